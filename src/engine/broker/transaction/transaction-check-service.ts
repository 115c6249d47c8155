import type { Logger } from '../../common/logger.js';
import {
  decodeRecord,
  encodeRecord,
  MessageConst,
  RMQ_SYS_TRANS_HALF_TOPIC,
  RMQ_SYS_TRANS_OP_HALF_TOPIC,
} from '../../protocol/message/index.js';
import { createRequest, markOneway } from '../../protocol/remoting-command.js';
import { RequestCode } from '../../protocol/request-code.js';
import type { BrokerController } from '../broker-controller.js';

/** The system group whose offsets record how far the half and op queues have been checked (Java's). */
export const TRANS_CHECK_GROUP = 'CID_RMQ_SYS_TRANS';
/** Half messages looked at per round, so one round never blocks the event loop for long. */
const MAX_SCAN = 2000;

/**
 * Transaction back-checks (TransactionalMessageCheckService, simplified): every transactionCheckInterval,
 * half messages with no commit/rollback record in the op queue that are older than transactionTimeOut
 * are checked with CHECK_TRANSACTION_STATE (oneway) on a live channel of their producer group, at most
 * transactionCheckMax times each; the producer answers with END_TRANSACTION.
 */
export class TransactionCheckService {
  private timer: NodeJS.Timeout | undefined;
  private running = false;
  /** Half queue offsets that have an op record (committed or rolled back). */
  private readonly resolved = new Set<number>();
  private readonly checks = new Map<number, number>();
  /**
   * The check scan forgets resolved offsets once it has moved past them. Everything it passed since this
   * process started ([scannedFrom, scannedBelow)) was resolved, except the few it gave up on
   * (transactionCheckMax checks unanswered). Without this, a duplicate END_TRANSACTION arriving after a
   * scan would be committed twice.
   */
  private scannedFrom = -1;
  private scannedBelow = -1;
  private readonly givenUp = new Set<number>();

  constructor(
    private readonly ctl: BrokerController,
    private readonly log: Logger,
  ) {}

  /** END_TRANSACTION records its decision here too, so a late duplicate commit is not applied twice. */
  markResolved(halfQueueOffset: number): void {
    this.resolved.add(halfQueueOffset);
  }

  isResolved(halfQueueOffset: number): boolean {
    if (this.resolved.has(halfQueueOffset)) return true;
    return (
      halfQueueOffset >= this.scannedFrom &&
      halfQueueOffset < this.scannedBelow &&
      !this.givenUp.has(halfQueueOffset)
    );
  }

  start(): void {
    const every = Math.max(100, this.ctl.config.transactionCheckInterval);
    this.timer = setInterval(() => {
      if (this.running) return;
      this.running = true;
      this.checkOnce()
        .catch((e) => this.log.error({ err: (e as Error).message }, 'transaction check failed'))
        .finally(() => {
          this.running = false;
        });
    }, every);
    this.timer.unref();
  }

  shutdown(): void {
    if (this.timer) clearInterval(this.timer);
  }

  /** One round; returns how many CHECK_TRANSACTION_STATE requests went out. */
  async checkOnce(now = Date.now()): Promise<number> {
    const { store, consumerOffsetManager: offsets, config } = this.ctl;
    let opOffset = Math.max(0, offsets.queryOffset(TRANS_CHECK_GROUP, RMQ_SYS_TRANS_OP_HALF_TOPIC, 0));
    for (;;) {
      const r = await store.getMessage(RMQ_SYS_TRANS_OP_HALF_TOPIC, 0, opOffset, 32);
      if (r.damaged) {
        // A record damaged on disk (the store logged it): skipped, not a stop.
        opOffset = r.nextBeginOffset;
        continue;
      }
      if (r.status !== 'FOUND') break;
      for (const buf of r.buffers) {
        const qo = Number(decodeRecord(buf).body.toString());
        if (Number.isSafeInteger(qo)) this.resolved.add(qo);
      }
      opOffset = r.nextBeginOffset;
    }
    offsets.commitOffset('trans', TRANS_CHECK_GROUP, RMQ_SYS_TRANS_OP_HALF_TOPIC, 0, opOffset);

    let halfOffset = Math.max(0, offsets.queryOffset(TRANS_CHECK_GROUP, RMQ_SYS_TRANS_HALF_TOPIC, 0));
    if (this.scannedFrom < 0) this.scannedFrom = this.scannedBelow = halfOffset;
    let contiguous = true;
    let sent = 0;
    let offset = halfOffset;
    for (let scanned = 0; scanned < MAX_SCAN; ) {
      const r = await store.getMessage(RMQ_SYS_TRANS_HALF_TOPIC, 0, offset, 32);
      if (r.damaged) {
        // A half message damaged on disk cannot be checked: given up, like one checked too often.
        for (let qo = r.damaged.from; qo < r.damaged.to; qo++) {
          if (contiguous && qo === halfOffset) {
            halfOffset = qo + 1;
            this.givenUp.add(qo);
            this.scannedBelow = halfOffset;
          }
        }
        offset = r.nextBeginOffset;
        scanned++;
        continue;
      }
      if (r.status !== 'FOUND') break;
      for (let i = 0; i < r.buffers.length; i++, scanned++) {
        const qo = r.queueOffsets[i] ?? offset + i;
        const done = this.resolved.has(qo) || (this.checks.get(qo) ?? 0) >= config.transactionCheckMax;
        if (done) {
          if (contiguous && qo === halfOffset) {
            halfOffset = qo + 1;
            if (!this.resolved.delete(qo)) this.givenUp.add(qo);
            this.checks.delete(qo);
            this.scannedBelow = halfOffset;
          }
          continue;
        }
        contiguous = false;
        const half = decodeRecord(r.buffers[i]!);
        if (now - half.bornTimestamp < config.transactionTimeOut) continue;
        if (this.sendCheck(half, qo)) sent++;
      }
      offset = r.nextBeginOffset;
    }
    offsets.commitOffset('trans', TRANS_CHECK_GROUP, RMQ_SYS_TRANS_HALF_TOPIC, 0, halfOffset);
    return sent;
  }

  private sendCheck(half: ReturnType<typeof decodeRecord>, queueOffset: number): boolean {
    const group = half.properties[MessageConst.PRODUCER_GROUP];
    const channel = group ? this.ctl.producerManager.anyChannel(group) : undefined;
    if (!channel) return false;
    const count = (this.checks.get(queueOffset) ?? 0) + 1;
    this.checks.set(queueOffset, count);
    if (count > this.ctl.config.transactionCheckMax) return false;
    const uniq = half.properties[MessageConst.UNIQ_CLIENT_MESSAGE_ID_KEYIDX];
    const body = encodeRecord(
      {
        ...half,
        queueId: Number(half.properties[MessageConst.REAL_QUEUE_ID] ?? 0),
        physicalOffset: half.commitLogOffset,
      },
      half.properties[MessageConst.REAL_TOPIC] ?? half.topic,
      half.propertiesString,
    );
    const req = createRequest(
      RequestCode.CHECK_TRANSACTION_STATE,
      {
        tranStateTableOffset: queueOffset,
        commitLogOffset: half.commitLogOffset,
        msgId: uniq ?? half.msgId,
        transactionId: half.properties[MessageConst.TRANSACTION_ID] ?? uniq ?? half.msgId,
        offsetMsgId: half.msgId,
      },
      body,
    );
    channel.invokeOneway(markOneway(req));
    this.log.info({ group, queueOffset, count }, 'transaction state check sent');
    return true;
  }
}
