import * as fs from 'node:fs';
import { totalmem } from 'node:os';
import { join } from 'node:path';
import { readInt64 } from '../protocol/message/int64.js';
import { MessageConst } from '../protocol/message/message-const.js';
import { createOffsetMsgId } from '../protocol/message/message-id.js';
import { encodeProperties, getPropertyFromString } from '../protocol/message/properties.js';
import {
  bodyCrc,
  MAX_PROPERTIES_BYTES,
  MAX_TOPIC_BYTES,
  recordLength,
  writeRecord,
  writeStoredRecord,
} from '../protocol/message/record.js';
import { SysFlag, transactionValue } from '../protocol/message/sys-flag.js';
import { CommitLog } from './commit-log.js';
import { ConsumeQueue, CQ_STORE_UNIT_SIZE } from './consume-queue.js';
import { IndexService } from './index-service.js';
import { defaultMessageStoreConfig, type MessageStoreConfig } from './message-store-config.js';
import { newPutProperties, scanPutProperties } from './put-properties.js';
import { hasTornProperties, parseDelayLevels, tagsCodeFrom, tagsCodeOf } from './record-check.js';
import { RetentionService } from './retention.js';
import { StoreCheckpoint } from './store-checkpoint.js';
import { StoreLock } from './store-lock.js';
import type {
  DispatchRequest,
  GetMessageResult,
  MessageArrivingListener,
  MessageExtBatch,
  MessageExtBrokerInner,
  PutMessageResult,
  QueryMessageResult,
} from './types.js';

export interface MessageStoreOptions {
  /** Disk usage of the store's file system as a fraction 0..1 (tests inject one; default fs.statfs). */
  diskUsage?: (path: string) => number | Promise<number>;
  /** Clock (tests); default Date.now. */
  now?: () => number;
  /** Warnings (recovery cuts, deleted files). Default: silent. */
  log?: (msg: string) => void;
}

export interface StoreStats {
  putMessageTimesTotal: number;
  putMessageSizeTotal: number;
  putMessageFailedTimes: number;
  getMessageTimesTotalFound: number;
  getMessageTimesTotalMiss: number;
  getMessageTransferedMsgCount: number;
  diskUsedRatio: number;
  commitLogMinOffset: number;
  commitLogMaxOffset: number;
  commitLogFlushedOffset: number;
  pendingWriteBytes: number;
}

const INT32_MAX = 0x7fffffff;

/**
 * The broker's message store (Java DefaultMessageStore) in RocketMQ 4.9's on-disk format.
 * Lifecycle: `new MessageStore(cfg)` → `await start()` (recovery) → puts/gets → `await shutdown()`.
 * Reads are synchronous preads (as Java's mmap reads are), writes are batched asynchronously.
 */
export class MessageStore {
  readonly config: MessageStoreConfig;
  readonly commitLog: CommitLog;
  readonly indexService: IndexService;
  checkpoint!: StoreCheckpoint;
  private readonly consumeQueueTable = new Map<string, Map<number, ConsumeQueue>>();
  /** Next queue offset per topic → queueId (Java topicQueueTable); nested so a put builds no key string. */
  private readonly topicQueueTable = new Map<string, Map<number, number>>();

  /** The queue-offset map of a topic, created on first use. */
  private queueOffsetsOf(topic: string): Map<number, number> {
    let m = this.topicQueueTable.get(topic);
    if (!m) this.topicQueueTable.set(topic, (m = new Map()));
    return m;
  }
  private readonly levels: number[];
  private readonly lock: StoreLock;
  /** Scratch for scanPutProperties, read right after each scan. */
  private readonly putProps = newPutProperties();
  private readonly now: () => number;
  private readonly log: (msg: string) => void;
  private readonly retention: RetentionService;
  private arrivingListeners: MessageArrivingListener[] = [];
  private timers: NodeJS.Timeout[] = [];
  private running = false;
  private shuttingDown = false;
  private ioError: Error | null = null;
  private backgroundFlush: Promise<void> | null = null;
  private lastDispatchedStoreTimestamp = 0;
  /** True when disk usage is above the write limit (see RetentionService). */
  diskFull = false;
  diskUsedRatio = 0;
  readonly stats = {
    putMessageTimesTotal: 0,
    putMessageSizeTotal: 0,
    putMessageFailedTimes: 0,
    getMessageTimesTotalFound: 0,
    getMessageTimesTotalMiss: 0,
    getMessageTransferedMsgCount: 0,
  };

  constructor(
    config: Partial<MessageStoreConfig> = {},
    readonly options: MessageStoreOptions = {},
  ) {
    this.config = defaultMessageStoreConfig(config);
    this.levels = parseDelayLevels(this.config.messageDelayLevel);
    this.now = options.now ?? Date.now;
    this.log = options.log ?? (() => {});
    this.commitLog = new CommitLog(
      this.config.storePathCommitLog,
      this.config.mappedFileSizeCommitLog,
      this.config.flushDiskType === 'SYNC_FLUSH',
      { dispatch: (reqs) => this.dispatch(reqs), onIoError: (e) => this.onIoError(e) },
    );
    this.indexService = new IndexService(
      this.config.storePathIndex,
      this.config.maxHashSlotNum,
      this.config.maxIndexNum,
    );
    this.retention = new RetentionService(this, options.diskUsage);
    this.lock = new StoreLock(this.config.storePathRootDir);
  }

  private get abortFile(): string {
    return join(this.config.storePathRootDir, 'abort');
  }

  // ---------------------------------------------------------------- lifecycle

  /** Open the store, recover it (normal or abnormal, see recover()), create the abort file, start timers. */
  async start(): Promise<void> {
    const c = this.config;
    for (const d of [c.storePathRootDir, c.storePathCommitLog, c.storePathConsumeQueue, c.storePathIndex]) {
      fs.mkdirSync(d, { recursive: true });
    }
    this.lock.acquire();
    try {
      const lastExitOK = !fs.existsSync(this.abortFile);
      this.checkpoint = new StoreCheckpoint(join(c.storePathRootDir, 'checkpoint'));
      this.commitLog.queue.load();
      this.loadConsumeQueues();
      this.recover(lastExitOK);
      fs.writeFileSync(this.abortFile, '');
      await this.retention.checkDisk();
    } catch (e) {
      this.lock.release();
      throw e;
    }
    this.running = true;
    const every = (ms: number, fn: () => unknown) => {
      const t = setInterval(() => {
        if (this.running) void Promise.resolve(fn()).catch((e) => this.log(`store background task: ${e}`));
      }, ms);
      t.unref();
      this.timers.push(t);
    };
    if (c.flushDiskType === 'ASYNC_FLUSH') every(c.flushIntervalCommitLog, () => this.commitLog.flush());
    else every(Math.min(100, c.syncFlushTimeout), () => this.commitLog.expireFlushWaiters(Date.now()));
    every(c.flushIntervalConsumeQueue, () => this.flushLogicsAndCheckpoint());
    every(100, () => this.writeAllQueues());
    every(c.cleanResourceInterval, () => this.retention.run());
  }

  /** Stop timers, finish pending writes, flush everything, delete the abort file (clean shutdown). */
  async shutdown(): Promise<void> {
    if (!this.running) return;
    this.running = false;
    this.shuttingDown = true;
    for (const t of this.timers) clearInterval(t);
    this.timers = [];
    await this.commitLog.waitWritten();
    await this.commitLog.flush();
    if (this.backgroundFlush) await this.backgroundFlush;
    await this.flushLogicsAndCheckpoint();
    this.commitLog.close();
    for (const m of this.consumeQueueTable.values()) for (const cq of m.values()) cq.close();
    this.indexService.close();
    this.checkpoint.close();
    if (!this.ioError) fs.rmSync(this.abortFile, { force: true });
    this.lock.release();
  }

  private onIoError(e: Error): void {
    this.ioError = e;
    this.log(`commit log I/O error, store is now read-only: ${e.message}`);
  }

  /** Register for new-message events (the broker wakes held pulls). `logicOffset` is the message's own. */
  onMessageArrive(listener: MessageArrivingListener): void {
    this.arrivingListeners.push(listener);
  }

  // ---------------------------------------------------------------- recovery

  private loadConsumeQueues(): void {
    const root = this.config.storePathConsumeQueue;
    if (!fs.existsSync(root)) return;
    for (const topic of fs.readdirSync(root)) {
      const tdir = join(root, topic);
      if (!fs.statSync(tdir).isDirectory()) continue;
      for (const q of fs.readdirSync(tdir)) {
        if (!/^\d+$/.test(q)) continue;
        const cq = new ConsumeQueue(root, topic, Number(q), this.config.mappedFileSizeConsumeQueue);
        cq.load();
        this.queueMap(topic).set(Number(q), cq);
      }
    }
  }

  /**
   * Normal recovery (clean shutdown): validate the last files of the commit log, cut anything invalid,
   * then dispatch whatever the consume queues lack. Abnormal recovery (abort file present): start from the
   * newest commit-log file whose first record is older than the checkpoint (commit log and queues, and the
   * index when messageIndexSafe), validate every record (magic, lengths, offset, CRC when
   * checkCRCOnRecover), cut the torn tail, truncate queues and index beyond it, and re-dispatch from there.
   */
  private recover(lastExitOK: boolean): void {
    const c = this.config;
    const files = this.commitLog.queue.files;
    let walkFrom = 0;
    if (files.length > 0) {
      if (lastExitOK) walkFrom = files[Math.max(0, files.length - c.normalRecoverFiles)]!.fileFromOffset;
      else {
        const minTs = c.messageIndexSafe
          ? this.checkpoint.minTimestampIndex()
          : this.checkpoint.minTimestamp();
        walkFrom = files[0]!.fileFromOffset;
        for (let i = files.length - 1; i >= 0; i--) {
          const ts = this.commitLog.firstStoreTimestamp(files[i]!, this.levels);
          if (ts !== 0 && ts <= minTs) {
            walkFrom = files[i]!.fileFromOffset;
            break;
          }
        }
      }
    }
    let lastTs = 0;
    let prevTs = 0;
    let last: { offset: number; size: number } | undefined;
    let cutReason = '';
    let validEnd =
      files.length === 0
        ? 0
        : this.commitLog.walk(
            walkFrom,
            Number.MAX_SAFE_INTEGER,
            c.checkCRCOnRecover,
            this.levels,
            (off, r) => {
              if (r.kind === 'message') {
                prevTs = lastTs;
                lastTs = r.req.storeTimestamp;
                last = { offset: off, size: r.size };
              } else if (r.kind === 'bad') cutReason = r.reason;
              return true;
            },
          );
    // A write cut short by a crash stops at a page boundary; inside the properties (which no CRC covers)
    // the record still parses. Only the last record can be such a torn one.
    if (!lastExitOK && last && last.offset + last.size === validEnd) {
      const f = this.commitLog.queue.findByOffset(last.offset);
      const rec = f?.read(last.offset - f.fileFromOffset, last.size);
      if (rec && rec.length === last.size && hasTornProperties(rec, last.offset)) {
        validEnd = last.offset;
        lastTs = prevTs;
        cutReason = 'properties end in a zero page (torn write)';
      }
    }
    if (cutReason) this.log(`commit log: cut at ${validEnd} (${cutReason})`);
    this.commitLog.queue.truncateFrom(validEnd);
    for (const f of this.commitLog.queue.files) {
      f.wrotePosition = f.flushedPosition = Math.min(f.fileSize, validEnd - f.fileFromOffset);
    }
    this.commitLog.setRecovered(validEnd, lastTs);

    const minPhy = this.commitLog.minOffset;
    let maxCqPhy = minPhy;
    for (const m of this.consumeQueueTable.values()) {
      for (const cq of m.values()) {
        cq.truncateDirty(validEnd);
        cq.correctMinOffset(minPhy);
        maxCqPhy = Math.max(maxCqPhy, cq.maxPhysicOffset);
      }
    }

    const indexRebuildFrom = c.messageIndexEnable
      ? this.indexService.load(lastExitOK, this.checkpoint.indexMsgTimestamp, validEnd)
      : Number.POSITIVE_INFINITY;
    let reputFrom = lastExitOK ? maxCqPhy : walkFrom;
    if (c.messageIndexEnable) {
      reputFrom = Math.min(reputFrom, indexRebuildFrom);
      if (c.messageIndexSafe || lastExitOK)
        reputFrom = Math.min(reputFrom, Math.max(this.indexService.endPhyOffset, minPhy));
    }
    reputFrom = Math.min(Math.max(reputFrom, minPhy), validEnd);
    this.reput(reputFrom, validEnd);

    for (const [topic, m] of this.consumeQueueTable) {
      for (const [qid, cq] of m) this.queueOffsetsOf(topic).set(qid, cq.maxOffsetInQueue);
    }
    this.lastDispatchedStoreTimestamp = lastTs;
  }

  /** Dispatch committed records in [from, to) from the commit log (recovery, slave appends). */
  private reput(from: number, to: number): number {
    let batch: DispatchRequest[] = [];
    const end = this.commitLog.walk(from, to, false, this.levels, (_off, r) => {
      if (r.kind === 'message') {
        batch.push(r.req);
        if (batch.length >= 4096) {
          this.dispatch(batch);
          batch = [];
        }
      }
      return true;
    });
    if (batch.length) this.dispatch(batch);
    return end;
  }

  // ---------------------------------------------------------------- dispatch

  private queueMap(topic: string): Map<number, ConsumeQueue> {
    let m = this.consumeQueueTable.get(topic);
    if (!m) {
      m = new Map();
      this.consumeQueueTable.set(topic, m);
    }
    return m;
  }

  /** Every topic with consume queues here, and its highest queue id + 1. */
  queueTopics(): Map<string, number> {
    const out = new Map<string, number>();
    for (const [topic, m] of this.consumeQueueTable)
      if (m.size > 0) out.set(topic, Math.max(...m.keys()) + 1);
    return out;
  }

  findConsumeQueue(topic: string, queueId: number): ConsumeQueue | undefined {
    return this.consumeQueueTable.get(topic)?.get(queueId);
  }

  private getOrCreateConsumeQueue(topic: string, queueId: number): ConsumeQueue {
    const m = this.queueMap(topic);
    let cq = m.get(queueId);
    if (!cq) {
      cq = new ConsumeQueue(
        this.config.storePathConsumeQueue,
        topic,
        queueId,
        this.config.mappedFileSizeConsumeQueue,
      );
      m.set(queueId, cq);
    }
    return cq;
  }

  /** Build consume-queue entries and index keys for committed records (CommitLogDispatcher*). */
  private dispatch(reqs: DispatchRequest[]): void {
    const touched = new Set<ConsumeQueue>();
    const arrived: DispatchRequest[] = [];
    const indexOn = this.config.messageIndexEnable;
    for (const r of reqs) {
      const tt = transactionValue(r.sysFlag);
      if (tt === SysFlag.TRANSACTION_NOT_TYPE || tt === SysFlag.TRANSACTION_COMMIT_TYPE) {
        const cq = this.getOrCreateConsumeQueue(r.topic, r.queueId);
        if (cq.put(r.commitLogOffset, r.msgSize, r.tagsCode, r.consumeQueueOffset)) {
          touched.add(cq);
          arrived.push(r);
        }
      }
      if (indexOn) this.indexService.buildIndex(r);
    }
    // Queue entries stay readable in memory; big runs go to disk now, the rest on the next timer tick.
    for (const cq of touched) if (cq.pendingBytes >= 64 * 1024 && !cq.isWriting) this.writeQueue(cq);
    const last = reqs[reqs.length - 1];
    if (last) this.lastDispatchedStoreTimestamp = last.storeTimestamp;
    if (this.arrivingListeners.length && this.running) {
      for (const r of arrived) {
        for (const l of this.arrivingListeners) {
          try {
            l(r.topic, r.queueId, r.consumeQueueOffset, r.tagsCode);
          } catch (e) {
            this.log(`message arriving listener threw: ${e}`);
          }
        }
      }
    }
  }

  private writeQueue(cq: ConsumeQueue): void {
    cq.writePending().catch((e) => this.log(`consume queue ${cq.topic}-${cq.queueId} write failed: ${e}`));
  }

  private writeAllQueues(): void {
    for (const m of this.consumeQueueTable.values())
      for (const cq of m.values()) if (cq.pendingBytes) this.writeQueue(cq);
  }

  /** Hand every buffered consume-queue entry to the kernel (retention needs them in the files). */
  async writeQueuesNow(): Promise<void> {
    const all: Promise<void>[] = [];
    for (const m of this.consumeQueueTable.values()) for (const cq of m.values()) all.push(cq.writePending());
    await Promise.all(all);
  }

  /** Flush consume queues and index, then record their timestamps in the checkpoint. */
  async flushLogicsAndCheckpoint(): Promise<void> {
    if (this.backgroundFlush) return this.backgroundFlush;
    this.backgroundFlush = (async () => {
      try {
        const logicsTs = this.lastDispatchedStoreTimestamp;
        for (const m of this.consumeQueueTable.values()) for (const cq of m.values()) await cq.flush();
        const indexTs = this.config.messageIndexEnable ? await this.indexService.flush() : logicsTs;
        const cp = this.checkpoint;
        if (logicsTs) cp.logicsMsgTimestamp = logicsTs;
        if (indexTs) cp.indexMsgTimestamp = indexTs;
        if (this.commitLog.lastFlushedStoreTimestamp)
          cp.physicMsgTimestamp = this.commitLog.lastFlushedStoreTimestamp;
        await cp.flush();
      } finally {
        this.backgroundFlush = null;
      }
    })();
    return this.backgroundFlush;
  }

  // ---------------------------------------------------------------- put

  private checkStoreStatus(): PutMessageResult | null {
    if (!this.running || this.shuttingDown)
      return { status: 'SERVICE_NOT_AVAILABLE', remark: 'message store is not running' };
    if (this.config.brokerRole === 'SLAVE')
      return { status: 'SERVICE_NOT_AVAILABLE', remark: 'message store is a slave' };
    if (this.ioError)
      return {
        status: 'SERVICE_NOT_AVAILABLE',
        remark: `message store is not writeable: ${this.ioError.message}`,
      };
    if (this.diskFull) {
      return {
        status: 'SERVICE_NOT_AVAILABLE',
        remark: `disk full: ${(this.diskUsedRatio * 100).toFixed(1)}% used, writes refused above ${this.writeLimitRatio * 100}%`,
      };
    }
    if (this.commitLog.pendingBytes > this.config.maxWriteBatchBytes) {
      return { status: 'OS_PAGECACHE_BUSY', remark: 'write buffer full, disk too slow' };
    }
    return null;
  }

  /** Usage fraction above which writes are refused: the higher of diskMaxUsedSpaceRatio and the warning level. */
  get writeLimitRatio(): number {
    return Math.max(this.config.diskMaxUsedSpaceRatio, this.config.diskSpaceWarningLevelRatio) / 100;
  }

  private fail(r: PutMessageResult): Promise<PutMessageResult> {
    this.stats.putMessageFailedTimes++;
    return Promise.resolve(r);
  }

  private topicBytes = new Map<string, Buffer>();

  private checkTopic(topic: string): { bytes: Buffer } | PutMessageResult {
    let bytes = this.topicBytes.get(topic);
    if (!bytes) {
      bytes = Buffer.from(topic, 'utf8');
      if (this.topicBytes.size > 100_000) this.topicBytes.clear();
      this.topicBytes.set(topic, bytes);
    }
    if (bytes.length === 0 || bytes.length > MAX_TOPIC_BYTES) {
      return { status: 'MESSAGE_ILLEGAL', remark: `topic must be 1..${MAX_TOPIC_BYTES} bytes` };
    }
    return { bytes };
  }

  /**
   * Append one message. Resolves once it is written (ASYNC_FLUSH) or fdatasynced (SYNC_FLUSH; after
   * syncFlushTimeout: FLUSH_DISK_TIMEOUT, the message is still stored). The HA layer waits for a slave
   * to reach `appendResult.wroteOffset + appendResult.wroteBytes` on top of this.
   */
  putMessage(msg: MessageExtBrokerInner, waitFlush = true): Promise<PutMessageResult> {
    const bad = this.checkStoreStatus();
    if (bad) return this.fail(bad);
    const t = this.checkTopic(msg.topic);
    if (!('bytes' in t)) return this.fail(t);
    const propsStr = typeof msg.properties === 'string' ? msg.properties : encodeProperties(msg.properties);
    const propsLen = Buffer.byteLength(propsStr, 'utf8');
    if (propsLen > MAX_PROPERTIES_BYTES) {
      return this.fail({
        status: 'PROPERTIES_SIZE_EXCEEDED',
        remark: `properties ${propsLen} > ${MAX_PROPERTIES_BYTES} bytes`,
      });
    }
    const len = recordLength(msg.sysFlag, msg.body.length, t.bytes.length, propsLen);
    const sizeErr = this.checkSize(msg.body.length, len);
    if (sizeErr) return this.fail(sizeErr);
    const hostErr = this.checkHosts(msg.sysFlag, msg.bornHost.ip, msg.storeHost.ip);
    if (hostErr) return this.fail(hostErr);

    const tt = transactionValue(msg.sysFlag);
    const counted = tt === SysFlag.TRANSACTION_NOT_TYPE || tt === SysFlag.TRANSACTION_COMMIT_TYPE;
    const offsets = this.queueOffsetsOf(msg.topic);
    const queueOffset = counted ? (offsets.get(msg.queueId) ?? 0) : 0;
    const storeTimestamp = this.now();
    const log = this.commitLog;
    try {
      log.allocate(len);
    } catch (e) {
      return this.fail({
        status: 'CREATE_MAPEDFILE_FAILED',
        remark: `cannot create commit log file: ${(e as Error).message}`,
      });
    }
    const phyOffset = log.allocOffset;
    writeStoredRecord(
      log.allocBuf,
      log.allocPos,
      msg,
      queueOffset,
      phyOffset,
      storeTimestamp,
      bodyCrc(msg.body),
      t.bytes,
      propsStr,
      propsLen,
    );
    if (counted) offsets.set(msg.queueId, queueOffset + 1);
    const pp = scanPutProperties(propsStr, this.putProps);
    this.stats.putMessageTimesTotal++;
    this.stats.putMessageSizeTotal += len;
    const req: DispatchRequest = {
      topic: msg.topic,
      queueId: msg.queueId,
      commitLogOffset: phyOffset,
      msgSize: len,
      tagsCode: msg.tagsCode ?? tagsCodeFrom(msg.topic, pp.tags, pp.delay, storeTimestamp, this.levels),
      storeTimestamp,
      consumeQueueOffset: queueOffset,
      keys: pp.keys,
      uniqKey: pp.uniqKey,
      sysFlag: msg.sysFlag,
      preparedTransactionOffset: msg.preparedTransactionOffset,
    };
    const result: PutMessageResult = {
      status: 'PUT_OK',
      appendResult: {
        wroteOffset: phyOffset,
        wroteBytes: len,
        msgId: createOffsetMsgId(msg.storeHost, phyOffset),
        queueOffset,
        storeTimestamp,
        msgNum: 1,
      },
    };
    return log.commit(req, result, this.config.syncFlushTimeout, waitFlush);
  }

  /** SEND_BATCH: one record per item, consecutive queue offsets, all in one commit-log file. */
  putMessages(batch: MessageExtBatch, waitFlush = true): Promise<PutMessageResult> {
    const bad = this.checkStoreStatus();
    if (bad) return this.fail(bad);
    if (transactionValue(batch.sysFlag) !== SysFlag.TRANSACTION_NOT_TYPE) {
      return this.fail({ status: 'MESSAGE_ILLEGAL', remark: 'batch messages cannot be transactional' });
    }
    if (batch.items.length === 0) return this.fail({ status: 'MESSAGE_ILLEGAL', remark: 'empty batch' });
    const t = this.checkTopic(batch.topic);
    if (!('bytes' in t)) return this.fail(t);
    const hostErr = this.checkHosts(batch.sysFlag, batch.bornHost.ip, batch.storeHost.ip);
    if (hostErr) return this.fail(hostErr);
    const props: Buffer[] = [];
    const lens: number[] = [];
    let total = 0;
    for (const it of batch.items) {
      if (getPropertyFromString(it.properties, MessageConst.DELAY_TIME_LEVEL)) {
        return this.fail({ status: 'MESSAGE_ILLEGAL', remark: 'batch messages cannot be delayed' });
      }
      const p = Buffer.from(it.properties, 'utf8');
      if (p.length > MAX_PROPERTIES_BYTES) {
        return this.fail({
          status: 'PROPERTIES_SIZE_EXCEEDED',
          remark: `properties ${p.length} > ${MAX_PROPERTIES_BYTES} bytes`,
        });
      }
      const len = recordLength(batch.sysFlag, it.body.length, t.bytes.length, p.length);
      const sizeErr = this.checkSize(it.body.length, len);
      if (sizeErr) return this.fail(sizeErr);
      props.push(p);
      lens.push(len);
      total += len;
    }
    if (total + 8 > this.config.mappedFileSizeCommitLog) {
      return this.fail({ status: 'MESSAGE_ILLEGAL', remark: 'batch larger than a commit-log file' });
    }
    const offsets = this.queueOffsetsOf(batch.topic);
    const firstQueueOffset = offsets.get(batch.queueId) ?? 0;
    const storeTimestamp = this.now();
    const log = this.commitLog;
    try {
      log.allocate(total);
    } catch (e) {
      return this.fail({
        status: 'CREATE_MAPEDFILE_FAILED',
        remark: `cannot create commit log file: ${(e as Error).message}`,
      });
    }
    const reqs: DispatchRequest[] = [];
    const ids: string[] = [];
    const buf = log.allocBuf;
    const firstPhy = log.allocOffset;
    let pos = log.allocPos;
    let phy = firstPhy;
    for (let i = 0; i < batch.items.length; i++) {
      const it = batch.items[i]!;
      const queueOffset = firstQueueOffset + i;
      writeRecord(
        buf,
        pos,
        {
          queueId: batch.queueId,
          flag: it.flag,
          queueOffset,
          physicalOffset: phy,
          sysFlag: batch.sysFlag,
          bornTimestamp: batch.bornTimestamp,
          bornHost: batch.bornHost,
          storeTimestamp,
          storeHost: batch.storeHost,
          reconsumeTimes: batch.reconsumeTimes,
          preparedTransactionOffset: 0,
          body: it.body,
        },
        t.bytes,
        props[i]!,
      );
      reqs.push({
        topic: batch.topic,
        queueId: batch.queueId,
        commitLogOffset: phy,
        msgSize: lens[i]!,
        tagsCode: tagsCodeOf(batch.topic, it.properties, storeTimestamp, this.levels),
        storeTimestamp,
        consumeQueueOffset: queueOffset,
        keys: getPropertyFromString(it.properties, MessageConst.KEYS),
        uniqKey: getPropertyFromString(it.properties, MessageConst.UNIQ_CLIENT_MESSAGE_ID_KEYIDX),
        sysFlag: batch.sysFlag,
        preparedTransactionOffset: 0,
      });
      ids.push(createOffsetMsgId(batch.storeHost, phy));
      pos += lens[i]!;
      phy += lens[i]!;
    }
    offsets.set(batch.queueId, firstQueueOffset + batch.items.length);
    this.stats.putMessageTimesTotal += batch.items.length;
    this.stats.putMessageSizeTotal += total;
    const result: PutMessageResult = {
      status: 'PUT_OK',
      appendResult: {
        wroteOffset: firstPhy,
        wroteBytes: total,
        msgId: ids.join(','),
        queueOffset: firstQueueOffset,
        storeTimestamp,
        msgNum: batch.items.length,
      },
    };
    return log.commit(reqs, result, this.config.syncFlushTimeout, waitFlush);
  }

  private checkSize(bodyLen: number, recordLen: number): PutMessageResult | null {
    const max = this.config.maxMessageSize;
    if (bodyLen > max || recordLen > max) {
      return { status: 'MESSAGE_ILLEGAL', remark: `message size ${recordLen} exceeds maxMessageSize ${max}` };
    }
    if (recordLen + 8 > this.config.mappedFileSizeCommitLog) {
      return { status: 'MESSAGE_ILLEGAL', remark: 'message larger than a commit-log file' };
    }
    return null;
  }

  private checkHosts(sysFlag: number, bornIp: Uint8Array, storeIp: Uint8Array): PutMessageResult | null {
    const bornLen = sysFlag & SysFlag.BORNHOST_V6 ? 16 : 4;
    const storeLen = sysFlag & SysFlag.STOREHOST_V6 ? 16 : 4;
    if (bornIp.length !== bornLen || storeIp.length !== storeLen) {
      return { status: 'MESSAGE_ILLEGAL', remark: 'host address length does not match sysFlag IPv6 bits' };
    }
    return null;
  }

  // ---------------------------------------------------------------- get

  private nextOffsetCorrection(oldOffset: number, newOffset: number): number {
    return this.config.brokerRole !== 'SLAVE' || this.config.offsetCheckInSlave ? newOffset : oldOffset;
  }

  /**
   * Pull up to maxMsgNums messages from a queue (DefaultMessageStore.getMessage, §3.6). Stays inside one
   * consume-queue file, caps by 256 KiB / 32 msgs (64 KiB / 8 when the data is far behind the head),
   * filters by tags code, and coalesces adjacent records into one read.
   */
  getMessage(
    topic: string,
    queueId: number,
    offset: number,
    maxMsgNums: number,
    filter?: (tagsCode: number) => boolean,
    /** Second stage on the stored record itself (SQL92 selectors read its properties). */
    recordFilter?: (record: Buffer) => boolean,
  ): GetMessageResult {
    const c = this.config;
    const res: GetMessageResult = {
      status: 'NO_MESSAGE_IN_QUEUE',
      buffers: [],
      bufferTotalSize: 0,
      nextBeginOffset: offset,
      minOffset: 0,
      maxOffset: 0,
      suggestPullingFromSlave: false,
      queueOffsets: [],
    };
    const maxOffsetPy = this.commitLog.readableOffset;
    const cq = this.findConsumeQueue(topic, queueId);
    if (!cq) {
      res.status = 'NO_MATCHED_LOGIC_QUEUE';
      res.nextBeginOffset = this.nextOffsetCorrection(offset, 0);
      return this.countGet(res);
    }
    const minOffset = (res.minOffset = cq.minOffsetInQueue);
    const maxOffset = (res.maxOffset = cq.maxOffsetInQueue);
    if (maxOffset === 0) {
      res.status = 'NO_MESSAGE_IN_QUEUE';
      res.nextBeginOffset = this.nextOffsetCorrection(offset, 0);
    } else if (offset < minOffset) {
      res.status = 'OFFSET_TOO_SMALL';
      res.nextBeginOffset = this.nextOffsetCorrection(offset, minOffset);
    } else if (offset === maxOffset) {
      res.status = 'OFFSET_OVERFLOW_ONE';
      res.nextBeginOffset = this.nextOffsetCorrection(offset, offset);
    } else if (offset > maxOffset) {
      res.status = 'OFFSET_OVERFLOW_BADLY';
      res.nextBeginOffset = this.nextOffsetCorrection(offset, minOffset === 0 ? minOffset : maxOffset);
    } else {
      const maxFilterCount = Math.max(16000, maxMsgNums * CQ_STORE_UNIT_SIZE) / CQ_STORE_UNIT_SIZE;
      const entries = cq.readEntries(offset, maxFilterCount);
      if (!entries) {
        res.status = 'OFFSET_FOUND_NULL';
        res.nextBeginOffset = this.nextOffsetCorrection(offset, cq.rollNextFile(offset));
        return this.countGet(res);
      }
      res.status = 'NO_MATCHED_MESSAGE';
      const memory = totalmem() * (c.accessMessageInMemoryMaxRatio / 100);
      const picks: { off: number; size: number; qo: number }[] = [];
      let nextPhyFileStart = Number.NEGATIVE_INFINITY;
      let maxPhyOffsetPulling = 0;
      let total = 0;
      let i = 0;
      for (; i + CQ_STORE_UNIT_SIZE <= entries.length; i += CQ_STORE_UNIT_SIZE) {
        const offsetPy = readInt64(entries, i);
        const sizePy = entries.readInt32BE(i + 8);
        const tagsCode = readInt64(entries, i + 12);
        if (sizePy === INT32_MAX) continue;
        maxPhyOffsetPulling = offsetPy;
        if (offsetPy < nextPhyFileStart) continue;
        const isInDisk = maxOffsetPy - offsetPy > memory;
        if (this.isTheBatchFull(sizePy, maxMsgNums, total, picks.length, isInDisk)) break;
        if (filter && !filter(tagsCode)) {
          if (total === 0) res.status = 'NO_MATCHED_MESSAGE';
          continue;
        }
        if (
          offsetPy < this.commitLog.minOffset ||
          offsetPy + sizePy > maxOffsetPy ||
          !this.commitLog.queue.findByOffset(offsetPy)
        ) {
          if (total === 0) res.status = 'MESSAGE_WAS_REMOVING';
          nextPhyFileStart = this.commitLog.rollNextFile(offsetPy);
          continue;
        }
        picks.push({ off: offsetPy, size: sizePy, qo: offset + i / CQ_STORE_UNIT_SIZE });
        total += sizePy;
        res.status = 'FOUND';
        nextPhyFileStart = Number.NEGATIVE_INFINITY;
      }
      const filteredOut = picks.length ? this.readRecords(picks, res, recordFilter) : 0;
      if (res.buffers.length === 0 && res.status === 'FOUND')
        res.status = filteredOut > 0 ? 'NO_MATCHED_MESSAGE' : 'MESSAGE_WAS_REMOVING';
      res.nextBeginOffset = offset + i / CQ_STORE_UNIT_SIZE;
      res.suggestPullingFromSlave = maxOffsetPy - maxPhyOffsetPulling > memory;
    }
    return this.countGet(res);
  }

  private countGet(res: GetMessageResult): GetMessageResult {
    if (res.status === 'FOUND') {
      this.stats.getMessageTimesTotalFound++;
      this.stats.getMessageTransferedMsgCount += res.buffers.length;
    } else this.stats.getMessageTimesTotalMiss++;
    return res;
  }

  /**
   * Read picked records, one pread per run of adjacent records in the same file; records `recordFilter`
   * refuses are left out (their count is returned).
   */
  private readRecords(
    picks: { off: number; size: number; qo: number }[],
    res: GetMessageResult,
    recordFilter?: (record: Buffer) => boolean,
  ): number {
    let filteredOut = 0;
    let i = 0;
    while (i < picks.length) {
      const first = picks[i]!;
      const f = this.commitLog.queue.findByOffset(first.off);
      let end = first.off + first.size;
      let j = i + 1;
      while (j < picks.length && picks[j]!.off === end && f && end + picks[j]!.size <= f.fileEndOffset) {
        end += picks[j]!.size;
        j++;
      }
      const data = this.commitLog.getData(first.off, end - first.off);
      if (data) {
        let p = 0;
        for (let k = i; k < j; k++) {
          const pk = picks[k]!;
          const record = data.subarray(p, p + pk.size);
          p += pk.size;
          if (recordFilter && !recordFilter(record)) {
            filteredOut++;
            continue;
          }
          res.buffers.push(record);
          res.queueOffsets.push(pk.qo);
          res.bufferTotalSize += pk.size;
        }
      }
      i = j;
    }
    return filteredOut;
  }

  private isTheBatchFull(
    sizePy: number,
    maxMsgNums: number,
    bufferTotal: number,
    messageTotal: number,
    isInDisk: boolean,
  ): boolean {
    const c = this.config;
    if (bufferTotal === 0 || messageTotal === 0) return false;
    if (maxMsgNums <= messageTotal) return true;
    if (isInDisk) {
      return (
        bufferTotal + sizePy > c.maxTransferBytesOnMessageInDisk ||
        messageTotal > c.maxTransferCountOnMessageInDisk - 1
      );
    }
    return (
      bufferTotal + sizePy > c.maxTransferBytesOnMessageInMemory ||
      messageTotal > c.maxTransferCountOnMessageInMemory - 1
    );
  }

  getMaxOffsetInQueue(topic: string, queueId: number): number {
    return this.findConsumeQueue(topic, queueId)?.maxOffsetInQueue ?? 0;
  }

  getMinOffsetInQueue(topic: string, queueId: number): number {
    return this.findConsumeQueue(topic, queueId)?.minOffsetInQueue ?? 0;
  }

  /** Commit-log offset of a queue entry (-1 if absent). */
  getCommitLogOffsetInQueue(topic: string, queueId: number, offset: number): number {
    return this.findConsumeQueue(topic, queueId)?.getEntry(offset)?.phyOffset ?? -1;
  }

  /** Store timestamp of the record a queue entry points at (-1 if unreadable). */
  getMessageStoreTimeStamp(topic: string, queueId: number, offset: number): number {
    const e = this.findConsumeQueue(topic, queueId)?.getEntry(offset);
    if (!e || e.size === INT32_MAX) return -1;
    return this.storeTimestampAt(e.phyOffset, e.size);
  }

  private storeTimestampAt(phyOffset: number, size: number): number {
    const b = this.commitLog.getData(phyOffset, Math.min(size, 128));
    if (!b || b.length < 64) return -1;
    const sysFlag = b.readInt32BE(36);
    return readInt64(b, 48 + (sysFlag & SysFlag.BORNHOST_V6 ? 20 : 8));
  }

  getEarliestMessageTime(topic: string, queueId: number): number {
    const cq = this.findConsumeQueue(topic, queueId);
    if (!cq || cq.maxOffsetInQueue === 0) return -1;
    return this.getMessageStoreTimeStamp(topic, queueId, cq.minOffsetInQueue);
  }

  /**
   * First queue offset whose message was stored at or after `timestamp` (binary search on store time);
   * maxOffset when every message is older, minOffset when every message is newer.
   */
  getOffsetInQueueByTime(topic: string, queueId: number, timestamp: number): number {
    const cq = this.findConsumeQueue(topic, queueId);
    if (!cq) return 0;
    let lo = cq.minOffsetInQueue;
    let hi = cq.maxOffsetInQueue;
    while (lo < hi) {
      const mid = Math.floor((lo + hi) / 2);
      const ts = this.getMessageStoreTimeStamp(topic, queueId, mid);
      if (ts >= 0 && ts < timestamp) lo = mid + 1;
      else if (ts < 0)
        lo = mid + 1; // removed record: treat as older
      else hi = mid;
    }
    return lo;
  }

  lookMessageByOffset(phyOffset: number, size?: number): Buffer | null {
    return this.commitLog.lookMessageByOffset(phyOffset, size);
  }

  getMinPhyOffset(): number {
    return this.commitLog.minOffset;
  }

  /** The readable end of the commit log (records dispatched; the last ones may still be in flight). */
  getMaxPhyOffset(): number {
    return this.commitLog.readableOffset;
  }

  /** End of the bytes written to the kernel (what HA can ship). */
  getWrittenPhyOffset(): number {
    return this.commitLog.writtenOffset;
  }

  /** Everything up to here is fdatasynced. */
  getFlushedPhyOffset(): number {
    return this.commitLog.flushedOffset;
  }

  /** Java getConfirmOffset: the offset readers may trust; here, the written end. */
  getConfirmOffset(): number {
    return this.commitLog.writtenOffset;
  }

  /** HA master: raw commit-log bytes from `offset` within one file (≤ maxBytes), or null if none yet. */
  getCommitLogData(offset: number, maxBytes: number = this.config.haTransferBatchSize): Buffer | null {
    return this.commitLog.getRawData(offset, maxBytes);
  }

  /**
   * HA slave: append raw bytes received from the master at `startOffset` (must equal getMaxPhyOffset()),
   * byte for byte, then dispatch every complete record. False on an offset mismatch or I/O error.
   */
  appendToCommitLog(startOffset: number, data: Buffer): boolean {
    if (!this.running) return false;
    const before = this.reputOffset ?? this.commitLog.writtenOffset;
    let ok: boolean;
    try {
      ok = this.commitLog.appendRaw(startOffset, data);
    } catch (e) {
      this.onIoError(e as Error);
      return false;
    }
    if (!ok) return false;
    // A slave that started mid-log has nothing below its first file: dispatch from there.
    this.reputOffset = this.reput(Math.max(before, this.commitLog.minOffset), this.commitLog.writtenOffset);
    for (const [topic, m] of this.consumeQueueTable) {
      for (const [qid, cq] of m) this.queueOffsetsOf(topic).set(qid, cq.maxOffsetInQueue);
    }
    return true;
  }
  private reputOffset: number | undefined;

  /** Query by key (`topic#KEY` or `topic#UNIQ_KEY`), newest first; only records whose key really matches. */
  queryMessage(topic: string, key: string, maxNum: number, begin: number, end: number): QueryMessageResult {
    const q = this.indexService.queryOffset(
      topic,
      key,
      Math.min(maxNum, this.config.defaultQueryMaxNum * 64),
      begin,
      end,
    );
    const res: QueryMessageResult = {
      buffers: [],
      phyOffsets: [],
      indexLastUpdateTimestamp: q.indexLastUpdateTimestamp,
      indexLastUpdatePhyoffset: q.indexLastUpdatePhyoffset,
    };
    for (const off of new Set(q.phyOffsets)) {
      const b = this.commitLog.lookMessageByOffset(off);
      if (!b || !recordHasKey(b, topic, key)) continue;
      res.buffers.push(b);
      res.phyOffsets.push(off);
    }
    return res;
  }

  // ---------------------------------------------------------------- admin

  /** Remove every consume queue of these topics (and their queue offsets); commit-log data ages out. */
  deleteTopics(topics: Iterable<string>): number {
    let n = 0;
    for (const topic of topics) {
      const m = this.consumeQueueTable.get(topic);
      if (!m) continue;
      for (const cq of m.values()) cq.destroy();
      this.topicQueueTable.delete(topic);
      this.consumeQueueTable.delete(topic);
      fs.rmSync(join(this.config.storePathConsumeQueue, topic), { recursive: true, force: true });
      n++;
    }
    return n;
  }

  /**
   * CLEAN_UNUSED_TOPIC (Java cleanUnusedTopic): drop the consume queues of topics the broker no longer
   * configures. `inUse` says which topics are configured; the schedule topic, the system (RMQ_SYS_) topics
   * and LMQ queues are kept whatever it says: the transaction half and op topics hold pending
   * transactions, and a store must not lose them to a topic table that lacks them (an old topics.json,
   * a caller's mistake). Returns the topics dropped.
   */
  cleanUnusedTopic(inUse: (topic: string) => boolean): string[] {
    const unused = [...this.consumeQueueTable.keys()].filter(
      (t) => !inUse(t) && t !== 'SCHEDULE_TOPIC_XXXX' && !t.startsWith('RMQ_SYS_') && !t.startsWith('%LMQ%'),
    );
    this.deleteTopics(unused);
    return unused;
  }

  /**
   * CLEAN_EXPIRED_CONSUMEQUEUE (Java cleanExpiredConsumerQueue): destroy consume queues whose last entry
   * points below the commit log's min offset (all their messages are gone). Unlike Java, the queue's next
   * logical offset is kept, so later messages continue the numbering consumers committed against.
   * Returns the queues destroyed as "topic@queueId".
   */
  async cleanExpiredConsumerQueue(): Promise<string[]> {
    await this.writeQueuesNow();
    const minPhy = this.commitLog.minOffset;
    const out: string[] = [];
    for (const [topic, queues] of this.consumeQueueTable) {
      if (topic === 'SCHEDULE_TOPIC_XXXX') continue;
      for (const [queueId, cq] of queues) {
        if (cq.maxPhysicOffset < 0 || cq.maxPhysicOffset > minPhy) continue;
        if (cq.pendingBytes > 0 || cq.isWriting) continue;
        cq.destroy();
        queues.delete(queueId);
        out.push(`${topic}@${queueId}`);
      }
      if (queues.size === 0) {
        this.consumeQueueTable.delete(topic);
        fs.rmSync(join(this.config.storePathConsumeQueue, topic), { recursive: true, force: true });
      }
    }
    return out;
  }

  /**
   * DELETE_EXPIRED_COMMITLOG (Java executeDeleteFilesManually): a deletion pass now, whatever the hour;
   * only expired commit-log files go (or more when the disk itself demands it), never the file in use.
   * Returns how many files were deleted.
   */
  async deleteExpiredCommitLogNow(): Promise<number> {
    return this.retention.run(true, true);
  }

  /** Raw consume-queue entries from `index` (≤ count, within one file), or null past the ends. */
  readConsumeQueue(topic: string, queueId: number, index: number, count: number): Buffer | null {
    return this.findConsumeQueue(topic, queueId)?.readEntries(index, count) ?? null;
  }

  /** Topics with consume queues, and their queue ids. */
  getTopicQueues(): Map<string, number[]> {
    const out = new Map<string, number[]>();
    for (const [t, m] of this.consumeQueueTable)
      out.set(
        t,
        [...m.keys()].sort((a, b) => a - b),
      );
    return out;
  }

  /** Queue offset the next message of a topic-queue will get. */
  getNextQueueOffset(topic: string, queueId: number): number {
    return this.topicQueueTable.get(topic)?.get(queueId) ?? 0;
  }

  getRuntimeStats(): StoreStats {
    return {
      ...this.stats,
      diskUsedRatio: this.diskUsedRatio,
      commitLogMinOffset: this.commitLog.minOffset,
      commitLogMaxOffset: this.commitLog.writtenOffset,
      commitLogFlushedOffset: this.commitLog.flushedOffset,
      pendingWriteBytes: this.commitLog.pendingBytes,
    };
  }

  /** Run retention now (expired files, disk guard); `force` deletes as if the disk were full (admin). */
  async cleanNow(force = false): Promise<void> {
    await this.retention.run(force);
  }

  /** Re-read disk usage now (normally every cleanResourceInterval). */
  async checkDisk(): Promise<void> {
    await this.retention.checkDisk();
  }

  get isRunning(): boolean {
    return this.running;
  }

  /** Current wall clock of the store (injectable for tests). */
  currentTime(): number {
    return this.now();
  }
}

/** Does the record carry `key` as its UNIQ_KEY or one of its KEYS (index hashes can collide)? */
function recordHasKey(b: Buffer, topic: string, key: string): boolean {
  const sysFlag = b.readInt32BE(36);
  let p = 48 + (sysFlag & SysFlag.BORNHOST_V6 ? 20 : 8) + 8 + (sysFlag & SysFlag.STOREHOST_V6 ? 20 : 8) + 12;
  p += 4 + b.readInt32BE(p);
  const tl = b.readInt8(p);
  if (b.toString('utf8', p + 1, p + 1 + tl) !== topic) return false;
  p += 1 + tl;
  const props = b.toString('utf8', p + 2, p + 2 + b.readInt16BE(p));
  if (getPropertyFromString(props, MessageConst.UNIQ_CLIENT_MESSAGE_ID_KEYIDX) === key) return true;
  const keys = getPropertyFromString(props, MessageConst.KEYS);
  return keys ? keys.split(MessageConst.KEY_SEPARATOR).includes(key) : false;
}
