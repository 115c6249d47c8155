import * as fs from 'node:fs';
import { totalmem } from 'node:os';
import { join } from 'node:path';
import { readInt64, readInt64OrNaN } from '../protocol/message/int64.js';
import { topicKeySeed } from '../protocol/message/java-hash.js';
import { MessageConst, SCHEDULE_TOPIC } from '../protocol/message/message-const.js';
import { createOffsetMsgId } from '../protocol/message/message-id.js';
import { encodeProperties, getPropertyFromString } from '../protocol/message/properties.js';
import {
  bodyCrc,
  MAX_PROPERTIES_BYTES,
  MAX_TOPIC_BYTES,
  MESSAGE_MAGIC_CODE,
  recordLength,
  writeRecord,
  writeStoredRecord,
} from '../protocol/message/record.js';
import { SysFlag, transactionValue } from '../protocol/message/sys-flag.js';
import { CommitLog } from './commit-log.js';
import { type SkippedRange, scanCommitLog } from './commit-log-scan.js';
import {
  ConsumeQueue,
  type ConsumeQueueDamage,
  type ConsumeQueueLoadOptions,
  CQ_STORE_UNIT_SIZE,
  releaseLoadScratch,
} from './consume-queue.js';
import type { DataFile } from './data-file.js';
import {
  DiskGuard,
  type DiskStatus,
  isNoSpaceError,
  statfsAvailableSync,
  statfsUsageSync,
} from './disk-guard.js';
import { IndexService } from './index-service.js';
import { defaultMessageStoreConfig, type MessageStoreConfig } from './message-store-config.js';
import {
  newPutProperties,
  newPutPropertyHashes,
  scanPutProperties,
  scanPutPropertyBytes,
} from './put-properties.js';
import { repairQueueEntries } from './queue-repair.js';
import {
  checkRecord,
  hasTornProperties,
  parseDelayLevels,
  type RecordView,
  tagsCodeFrom,
  tagsCodeOf,
} from './record-check.js';
import { RecoveryReport } from './recovery-report.js';
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
  /** Disk usage of the store's file system as a fraction 0..1 (tests inject one; default statfs). */
  diskUsage?: (path: string) => number | Promise<number>;
  /** Bytes still available there (default statfs), checked before writes resume after ENOSPC. */
  diskAvailable?: (path: string) => number;
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
  /** OK, ABOVE_MAX_USED, FULL (above the write limit) or NO_SPACE (a write hit ENOSPC). */
  diskStatus: DiskStatus;
  storeWriteable: boolean;
  /** Why puts are refused ('' when they are not). */
  storeNotWriteableReason: string;
  /** The last disk transition, with its time. */
  diskLastEvent: string;
  commitLogMinOffset: number;
  commitLogMaxOffset: number;
  commitLogFlushedOffset: number;
  pendingWriteBytes: number;
  /** SYNC_FLUSH group commit: puts answered per fdatasync (GroupCommitStats.toString). */
  groupCommitSizes: string;
}

const INT32_MAX = 0x7fffffff;
/** A pull's read joins the next record when at most this many bytes of other records lie between. */
const READ_GAP_MAX = 16 * 1024;
/** …and the joined read stays within this many bytes (Java's maxTransferBytesOnMessageInMemory). */
const READ_SPAN_MAX = 256 * 1024;

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
    if (topic === this.offsetsTopic) return this.offsetsOfTopic;
    let m = this.topicQueueTable.get(topic);
    if (!m) this.topicQueueTable.set(topic, (m = new Map()));
    this.offsetsTopic = topic;
    this.offsetsOfTopic = m;
    return m;
  }
  /** The last topic queueOffsetsOf was asked for and its map (puts come in runs of one topic). */
  private offsetsTopic: string | null = null;
  private offsetsOfTopic = new Map<number, number>();
  private readonly levels: number[];
  /** Machine memory, read once as Java does: os.totalmem() reads /proc/meminfo (~19 µs a call). */
  private readonly totalMemory = totalmem();
  private readonly lock: StoreLock;
  /** Scratch for scanPutProperties / scanPutPropertyBytes, read right after each scan. */
  private readonly putProps = newPutProperties();
  private readonly putHashes = newPutPropertyHashes();
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
  /** Disk usage, the DISK_FULL / ENOSPC state and its transitions (see DiskGuard). */
  readonly disk: DiskGuard;
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
      {
        dispatch: (reqs) => this.dispatch(reqs),
        onIoError: (e) => this.onIoError(e),
        onNoSpace: (e, reqs, bytes) => this.onNoSpace(e, reqs, bytes),
      },
      this.config.commitLogZeroAhead,
    );
    this.indexService = new IndexService(
      this.config.storePathIndex,
      this.config.maxHashSlotNum,
      this.config.maxIndexNum,
      this.config.maxIndexDirtySlots,
    );
    this.disk = new DiskGuard(
      this.config,
      {
        usage: options.diskUsage ?? statfsUsageSync,
        available: options.diskAvailable ?? statfsAvailableSync,
      },
      this.log,
      this.now,
    );
    this.retention = new RetentionService(this);
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
      this.checkpoint = new StoreCheckpoint(join(c.storePathRootDir, 'checkpoint'), this.now());
      this.commitLog.queue.load();
      this.recover(lastExitOK);
      fs.writeFileSync(this.abortFile, '');
      await this.disk.check();
    } catch (e) {
      this.lock.release();
      throw e;
    }
    this.running = true;
    const every = (ms: number, fn: () => unknown) => {
      // A task failing the same way every round (a full disk) is logged once, and again when it recovers.
      let lastError = '';
      const t = setInterval(() => {
        if (!this.running) return;
        void Promise.resolve(fn()).then(
          () => {
            if (lastError) this.log(`store background task works again (was: ${lastError})`);
            lastError = '';
          },
          (e) => {
            if (String(e) !== lastError) this.log(`store background task: ${e}`);
            lastError = String(e);
          },
        );
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

  /**
   * The commit log rolled back puts that hit ENOSPC: rewind the queue offsets they took (so the next
   * message of each queue gets the first of them again), count them as failed, refuse writes until
   * space is back, and run a retention pass now rather than at the next interval.
   */
  private onNoSpace(e: Error, reqs: DispatchRequest[], bytes: number): void {
    for (const r of reqs) {
      const tt = transactionValue(r.sysFlag);
      if (tt !== SysFlag.TRANSACTION_NOT_TYPE && tt !== SysFlag.TRANSACTION_COMMIT_TYPE) continue;
      const offsets = this.queueOffsetsOf(r.topic);
      if ((offsets.get(r.queueId) ?? 0) > r.consumeQueueOffset) offsets.set(r.queueId, r.consumeQueueOffset);
    }
    this.stats.putMessageTimesTotal -= reqs.length;
    this.stats.putMessageSizeTotal -= reqs.reduce((n, r) => n + r.msgSize, 0);
    this.stats.putMessageFailedTimes += reqs.length;
    this.disk.onNoSpace(e, bytes, reqs.length);
    if (this.running) void this.retention.run().catch((err) => this.log(`retention after ENOSPC: ${err}`));
  }

  /** Register for new-message events (the broker wakes held pulls). `logicOffset` is the message's own. */
  onMessageArrive(listener: MessageArrivingListener): void {
    this.arrivingListeners.push(listener);
  }

  // ---------------------------------------------------------------- recovery

  /** Open every consume queue, checking its files as they load; damaged ones are reported to `onDamage`. */
  private loadConsumeQueues(
    opts: ConsumeQueueLoadOptions,
    onDamage: (cq: ConsumeQueue, d: ConsumeQueueDamage) => void,
  ): void {
    const root = this.config.storePathConsumeQueue;
    if (!fs.existsSync(root)) return;
    const dirs: [string, number][] = [];
    for (const topic of fs.readdirSync(root)) {
      const tdir = join(root, topic);
      if (!fs.statSync(tdir).isDirectory()) continue;
      for (const q of fs.readdirSync(tdir)) if (/^\d+$/.test(q)) dirs.push([topic, Number(q)]);
    }
    this.checkQueueFileSize(root, dirs);
    for (const [topic, q] of dirs) {
      const cq = new ConsumeQueue(root, topic, q, this.config.mappedFileSizeConsumeQueue);
      const damage = cq.load(opts);
      this.queueMap(topic).set(q, cq);
      if (damage) onDamage(cq, damage);
    }
  }

  /**
   * A file of the wrong size is damage (rebuilt from the commit log) when others have the configured size;
   * when no queue file does, the configuration differs from the one that wrote the store: refuse, as Java
   * does, rather than rewrite every queue.
   */
  private checkQueueFileSize(root: string, dirs: [string, number][]): void {
    const size = this.config.mappedFileSizeConsumeQueue;
    let wrong: string | undefined;
    for (const [topic, q] of dirs) {
      const qdir = join(root, topic, String(q));
      for (const n of fs.readdirSync(qdir)) {
        if (!/^\d{20}$/.test(n)) continue;
        const s = fs.statSync(join(qdir, n)).size;
        if (s === size) return;
        wrong ??= `${join(qdir, n)}: size ${s}`;
      }
    }
    if (wrong)
      throw new Error(
        `${wrong} differs from the configured consume-queue file size ${size} (mappedFileSizeConsumeQueue, 20 bytes per entry) in every queue: the store was written with another size`,
      );
  }

  /** What the last start's recovery did (see RecoveryReport.summary()). */
  recoveryReport = new RecoveryReport();

  /**
   * Recovery. The commit log is the source of truth; every byte read from disk is untrusted.
   *
   * Normal recovery (clean shutdown, sound checkpoint) walks the last `normalRecoverFiles` commit-log
   * files; abnormal recovery (abort file present) walks from the newest file older than the checkpoint;
   * with a damaged checkpoint, from the first file. The walk checks every record (magic, lengths, its
   * own offset, CRC when checkCRCOnRecover), steps over damaged records to the next valid one (each
   * skipped range logged with its file and offsets), and cuts a torn tail.
   *
   * Consume queues are checked as they load: every entry after an abnormal exit, otherwise the entries
   * of their last files and the first/last entry of older files (so a clean start of a big store reads
   * about what Java's does; damage deeper in is repaired when a pull meets it, see repairQueue). While
   * walking, each record is compared with its queue's entry (offset, size, tags code): the walked range
   * is where a crash leaves wrong entries, and the comparison costs one queue read per 1024 entries. A
   * queue that is missing, cut short, zeroed or holds entries that do not match is cut at the first bad
   * entry and rebuilt by dispatching the commit log again from its last good record; entries of records
   * lost to damage become blank units, so every later entry keeps its queue offset.
   */
  private recover(lastExitOK: boolean): void {
    const started = Date.now();
    const c = this.config;
    const cp = this.checkpoint;
    const rep = (this.recoveryReport = new RecoveryReport());
    rep.lastExitOK = lastExitOK;
    rep.checkpointDamage = cp.damage;
    if (cp.damage) this.log(`checkpoint damaged, recovering from the commit-log files: ${cp.damage}`);
    const normal = lastExitOK && !cp.damage;
    const files = this.commitLog.queue.files;
    let walkFrom = 0;
    if (files.length > 0) {
      if (normal) walkFrom = files[Math.max(0, files.length - c.normalRecoverFiles)]!.fileFromOffset;
      else {
        const minTs = c.messageIndexSafe ? cp.minTimestampIndex() : cp.minTimestamp();
        walkFrom = files[0]!.fileFromOffset;
        for (let i = files.length - 1; i >= 0 && !cp.damage; i--) {
          const ts = this.commitLog.firstStoreTimestamp(files[i]!, this.levels);
          if (ts !== 0 && ts <= minTs) {
            walkFrom = files[i]!.fileFromOffset;
            break;
          }
        }
      }
    }
    const minPhy = this.commitLog.minOffset;
    const deleted = this.loadDeletedTopics(minPhy);
    const isDeleted = (topic: string, offset: number) => (deleted.get(topic) ?? -1) > offset;

    // 1. Consume queues, checked as they load.
    const rebuild = new Map<string, { from: number; reason: string }>();
    const needRebuild = (topic: string, queueId: number, from: number, reason: string) => {
      const key = `${topic}/${queueId}`;
      const cur = rebuild.get(key);
      if (!cur || from < cur.from) rebuild.set(key, { from: Math.max(from, minPhy), reason });
    };
    rep.queuesCheckedFully = !normal;
    this.loadConsumeQueues(
      { full: !normal, recentFiles: c.normalRecoverFiles, maxEntrySize: c.mappedFileSizeCommitLog },
      (cq, d) => {
        this.log(
          `consume queue ${cq.topic}/${cq.queueId}: ${d.reason} at ${d.file}:${d.position} (queue offset ${d.index}); rebuilding from the commit log`,
        );
        needRebuild(cq.topic, cq.queueId, cq.maxPhysicOffset >= 0 ? cq.maxPhysicOffset : minPhy, d.reason);
      },
    );
    for (const m of this.consumeQueueTable.values()) rep.queuesChecked += m.size;

    // 2. Walk the commit log, comparing each record with its queue entry.
    const seenQo = new Map<string, Map<number, number>>();
    const blanks: { cq: ConsumeQueue; index: number }[] = [];
    const gaps: { topic: string; queueId: number; from: number; reason: string }[] = [];
    // The first walked record some queue lacks: re-dispatch starts there (or earlier, see step 4).
    let firstMissing = Number.POSITIVE_INFINITY;
    let runTopic: string | undefined;
    let runSeen: Map<number, number> | undefined;
    let runQueues: Map<number, ConsumeQueue> | undefined;
    const entry = { phyOffset: 0, size: 0, tagsCode: 0 };
    const verify = (off: number, r: RecordView) => {
      const tt = transactionValue(r.sysFlag);
      if (tt !== SysFlag.TRANSACTION_NOT_TYPE && tt !== SysFlag.TRANSACTION_COMMIT_TYPE) return;
      if (deleted.size && isDeleted(r.topic, off)) return;
      const qo = r.queueOffset;
      // Nested maps, looked up once per run of one topic: no key string per record on the hot loop.
      if (r.topic !== runTopic) {
        runTopic = r.topic;
        runSeen = seenQo.get(runTopic);
        if (!runSeen) seenQo.set(runTopic, (runSeen = new Map()));
        runQueues = this.consumeQueueTable.get(runTopic);
      }
      const seen = runSeen!;
      const prev = seen.get(r.queueId);
      seen.set(r.queueId, qo);
      if (rebuild.size && rebuild.has(`${r.topic}/${r.queueId}`)) return;
      const cq = runQueues?.get(r.queueId);
      const end = cq ? cq.maxOffsetInQueue : 0;
      if (cq && prev !== undefined) {
        // Records of this queue between the previous one and this one were in damaged ranges.
        for (let i = Math.max(prev + 1, cq.minOffsetInQueue); i < Math.min(qo, end); i++)
          blanks.push({ cq, index: i });
      }
      if (qo >= end) {
        // The queue lacks this record's entry: dispatched again below if it lies past where that starts.
        if (off < firstMissing) firstMissing = off;
        if (prev === undefined) {
          const from =
            qo === end ? off : cq && cq.maxPhysicOffset >= 0 && end > 0 ? cq.maxPhysicOffset : minPhy;
          const reason = !cq ? 'queue missing' : end === 0 ? 'queue empty' : `entries from ${end} missing`;
          gaps.push({ topic: r.topic, queueId: r.queueId, from, reason });
        }
        return;
      }
      if (!cq || qo < cq.minOffsetInQueue) return;
      const e = cq.readEntryOnDisk(qo, entry) ? entry : null;
      // The tags code (a properties look-up) only for an entry that matches in offset and size.
      const size = r.size;
      if (e && e.phyOffset === off && e.size === size && e.tagsCode === r.tagsCode(this.levels)) return;
      // The entry may be right and this record an earlier life of a deleted, re-created topic.
      if (e && e.phyOffset !== off && this.entryMatchesItsRecord(cq, qo, e)) return;
      const why = e
        ? `entry ${qo} (offset ${e.phyOffset}, size ${e.size}, tags ${e.tagsCode}) does not match the record at ${off} (size ${size}, tags ${r.tagsCode(this.levels)})`
        : `entry ${qo} unreadable`;
      this.log(`consume queue ${r.topic}/${r.queueId}: ${why}; rebuilding from there`);
      cq.truncateAt(qo);
      needRebuild(r.topic, r.queueId, cq.maxPhysicOffset >= 0 ? cq.maxPhysicOffset : minPhy, why);
    };
    let lastTs = 0;
    let prevTs = 0;
    let lastOffset = -1;
    let lastSize = 0;
    const scan =
      files.length === 0
        ? { end: 0, skipped: [], cutReason: undefined }
        : scanCommitLog(
            this.commitLog.queue,
            {
              from: walkFrom,
              limit: Number.MAX_SAFE_INTEGER,
              checkCRC: c.checkCRCOnRecover,
              levels: this.levels,
            },
            (off, r) => {
              rep.recordsChecked++;
              prevTs = lastTs;
              lastTs = r.storeTimestamp;
              lastOffset = off;
              lastSize = r.size;
              verify(off, r);
            },
          );
    let validEnd = scan.end;
    let cutReason = scan.cutReason;
    // A write cut short by a crash stops at a page boundary; inside the properties (which no CRC covers)
    // the record still parses. Only the last record can be such a torn one.
    if (!lastExitOK && lastOffset >= 0 && lastOffset + lastSize === validEnd) {
      const f = this.commitLog.queue.findByOffset(lastOffset);
      const rec = f?.read(lastOffset - f.fileFromOffset, lastSize);
      if (rec && rec.length === lastSize && hasTornProperties(rec, lastOffset)) {
        validEnd = lastOffset;
        lastTs = prevTs;
        cutReason = 'properties end in a zero page (torn write)';
      }
    }
    rep.walkFrom = walkFrom;
    rep.walkEnd = validEnd;
    rep.crcChecked = c.checkCRCOnRecover;
    rep.skipped = scan.skipped;
    for (const s of scan.skipped)
      this.log(`commit log: skipped damaged bytes [${s.from}, ${s.to}) in ${s.file} (${s.reason})`);
    if (cutReason) {
      const f = this.commitLog.queue.findByOffset(validEnd) ?? this.commitLog.queue.last;
      this.log(
        `commit log: cut at ${validEnd}${f ? ` in ${f.path}:${validEnd - f.fileFromOffset}` : ''} (${cutReason})`,
      );
      rep.cut = { at: validEnd, reason: cutReason };
    }
    this.commitLog.queue.truncateFrom(validEnd);
    for (const f of this.commitLog.queue.files) {
      f.wrotePosition = f.flushedPosition = Math.min(f.fileSize, validEnd - f.fileFromOffset);
    }
    this.commitLog.setRecovered(validEnd, lastTs);

    // 3. Queues: drop entries past the commit log's end, blank those of lost records.
    let maxCqPhy = minPhy;
    for (const m of this.consumeQueueTable.values()) {
      for (const cq of m.values()) {
        cq.truncateDirty(validEnd);
        cq.correctMinOffset(minPhy);
        maxCqPhy = Math.max(maxCqPhy, cq.maxPhysicOffset);
      }
    }
    for (const b of blanks) {
      if (rebuild.has(`${b.cq.topic}/${b.cq.queueId}`)) continue;
      const e = b.cq.entryOnDisk(b.index);
      if (e && e.size !== INT32_MAX && b.cq.blankEntry(b.index)) {
        rep.entriesBlanked++;
        this.log(
          `consume queue ${b.cq.topic}/${b.cq.queueId}: entry ${b.index} points at a damaged record (offset ${e.phyOffset}): marked lost`,
        );
      }
    }

    // 4. Dispatch again what queues and index lack.
    const indexRebuildFrom = c.messageIndexEnable
      ? this.indexService.load(normal, cp.indexMsgTimestamp, validEnd)
      : Number.POSITIVE_INFINITY;
    // Apache re-dispatches every record from walkFrom after an abnormal exit, and its queues and index skip
    // what they hold. The walk has compared each record with its queue: the records before `firstMissing`
    // are all in their queues, so re-dispatch starts at the first record a queue or the index lacks. A
    // queue's gap before that point (a missing or short queue) is a rebuild, as before.
    let indexFrom = Number.POSITIVE_INFINITY;
    if (c.messageIndexEnable) {
      indexFrom = indexRebuildFrom;
      if (c.messageIndexSafe || normal)
        indexFrom = Math.min(indexFrom, Math.max(this.indexService.endPhyOffset, minPhy));
      else indexFrom = Math.min(indexFrom, Math.max(this.indexService.endPhyOffset, walkFrom));
    }
    const gapLimit = Math.min(normal ? maxCqPhy : walkFrom, indexFrom);
    for (const g of gaps) if (g.from < gapLimit) needRebuild(g.topic, g.queueId, g.from, g.reason);
    let reputFrom = Math.min(normal ? maxCqPhy : firstMissing, indexFrom);
    for (const r of rebuild.values()) reputFrom = Math.min(reputFrom, r.from);
    reputFrom = Math.min(Math.max(reputFrom, minPhy), validEnd);
    const before = new Map<string, number>();
    for (const key of rebuild.keys()) {
      const [topic, q] = splitQueueKey(key);
      before.set(key, this.findConsumeQueue(topic, q)?.maxOffsetInQueue ?? 0);
    }
    const blanksBefore = this.countFilledBlanks();
    const reput = this.reputRecovered(reputFrom, validEnd, scan.skipped, isDeleted);
    rep.redispatched = reput.dispatched;
    rep.redispatchFrom = reputFrom;
    for (const s of reput.skipped) {
      if (rep.skipped.some((k) => k.from === s.from)) continue;
      rep.skipped.push(s);
      this.log(`commit log: skipped damaged bytes [${s.from}, ${s.to}) in ${s.file} (${s.reason})`);
    }
    rep.blanksFilled = this.countFilledBlanks() - blanksBefore;
    for (const [key, r] of rebuild) {
      const [topic, q] = splitQueueKey(key);
      const added = (this.findConsumeQueue(topic, q)?.maxOffsetInQueue ?? 0) - (before.get(key) ?? 0);
      rep.entriesRebuilt += added;
      rep.queuesRebuilt.push(`${key}: ${r.reason}`);
      this.log(`consume queue ${key}: rebuilt ${added} entries from the commit log (from offset ${r.from})`);
    }

    for (const [topic, m] of this.consumeQueueTable) {
      for (const [qid, cq] of m) {
        this.queueOffsetsOf(topic).set(qid, cq.maxOffsetInQueue);
        cq.releaseWindow();
      }
    }
    releaseLoadScratch();
    this.lastDispatchedStoreTimestamp = lastTs;
    rep.ms = Date.now() - started;
    this.log(rep.summary());
  }

  private countFilledBlanks(): number {
    let n = 0;
    for (const m of this.consumeQueueTable.values()) for (const cq of m.values()) n += cq.blanksFilled;
    return n;
  }

  /**
   * Whether a queue entry points at a valid record of its own queue and offset (the entry is right; the
   * walked record with the same queue offset belongs to an earlier life of a deleted, re-created topic).
   */
  private entryMatchesItsRecord(
    cq: ConsumeQueue,
    qo: number,
    e: { phyOffset: number; size: number; tagsCode: number },
  ): boolean {
    if (!(e.phyOffset >= 0) || e.size <= 0 || e.size > this.config.mappedFileSizeCommitLog) return false;
    const f = this.commitLog.queue.findByOffset(e.phyOffset);
    if (!f || e.phyOffset - f.fileFromOffset + e.size > f.fileSize) return false;
    const b = f.read(e.phyOffset - f.fileFromOffset, e.size);
    const r = checkRecord(b, 0, b.length, e.phyOffset, false, this.levels);
    return (
      r.kind === 'message' &&
      r.size === e.size &&
      r.req.topic === cq.topic &&
      r.req.queueId === cq.queueId &&
      r.req.consumeQueueOffset === qo
    );
  }

  /** Dispatch committed records in [from, to) after recovery, stepping over known damaged ranges. */
  private reputRecovered(
    from: number,
    to: number,
    known: SkippedRange[],
    isDeleted: (topic: string, offset: number) => boolean,
  ): { dispatched: number; skipped: SkippedRange[] } {
    let batch: DispatchRequest[] = [];
    let dispatched = 0;
    const scan = scanCommitLog(
      this.commitLog.queue,
      { from, limit: to, checkCRC: false, levels: this.levels, known },
      (off, r) => {
        if (isDeleted(r.topic, off)) return;
        batch.push(r.request(this.levels));
        dispatched++;
        if (batch.length >= 4096) {
          this.dispatch(batch);
          batch = [];
        }
      },
    );
    if (batch.length) this.dispatch(batch);
    return { dispatched, skipped: scan.skipped };
  }

  private get deletedTopicsFile(): string {
    return join(this.config.storePathRootDir, 'deletedTopics.json');
  }

  /**
   * Topics deleted by an admin, with the commit-log offset at deletion: their older records stay in the
   * log until it ages out, and recovery must neither count their queue as missing nor dispatch them again.
   * Entries whose records have all aged out are dropped. A damaged file counts as empty.
   */
  private loadDeletedTopics(minPhy: number): Map<string, number> {
    const m = new Map<string, number>();
    try {
      const raw = JSON.parse(fs.readFileSync(this.deletedTopicsFile, 'utf8')) as Record<string, unknown>;
      for (const [t, v] of Object.entries(raw)) if (typeof v === 'number' && v > minPhy) m.set(t, v);
    } catch {
      // absent or unreadable
    }
    this.deletedTopics = m;
    return m;
  }
  private deletedTopics = new Map<string, number>();

  private saveDeletedTopics(): void {
    const tmp = `${this.deletedTopicsFile}.tmp`;
    fs.writeFileSync(tmp, JSON.stringify(Object.fromEntries(this.deletedTopics)));
    fs.renameSync(tmp, this.deletedTopicsFile);
  }

  /**
   * Dispatch committed records in [from, to) from the commit log (slave appends); returns where the next
   * call resumes (a record the chunk cut is finished by the next one). Damaged records the master kept
   * (it skips them, see recover()) are stepped over here too, and logged: with checkCRCOnRecover the body
   * CRC is checked, as the master's recovery does (protocol/message/crc32.ts: ~0.35 µs per KiB of body).
   */
  private reput(from: number, to: number): number {
    let batch: DispatchRequest[] = [];
    const scan = scanCommitLog(
      this.commitLog.queue,
      { from, limit: to, checkCRC: this.config.checkCRCOnRecover, levels: this.levels },
      (_off, r) => {
        batch.push(r.request(this.levels));
        if (batch.length >= 4096) {
          this.dispatch(batch);
          batch = [];
        }
      },
    );
    if (batch.length) this.dispatch(batch);
    for (const s of scan.skipped)
      this.log(`commit log: skipped damaged bytes [${s.from}, ${s.to}) in ${s.file} (${s.reason})`);
    return scan.end;
  }

  // ---------------------------------------------------------------- dispatch

  private queueMap(topic: string): Map<number, ConsumeQueue> {
    if (topic === this.queuesTopic) return this.queuesOfTopic;
    let m = this.consumeQueueTable.get(topic);
    if (!m) {
      m = new Map();
      this.consumeQueueTable.set(topic, m);
    }
    this.queuesTopic = topic;
    this.queuesOfTopic = m;
    return m;
  }
  /** The last topic queueMap was asked for and its queues (dispatch comes in runs of one topic). */
  private queuesTopic: string | null = null;
  private queuesOfTopic = new Map<number, ConsumeQueue>();

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

  /**
   * Background write of a queue's buffered entries. A failed write (a full disk) keeps them in memory,
   * readable, and is retried on the next tick: logged once when it starts failing and once when it works again.
   */
  private writeQueue(cq: ConsumeQueue): void {
    cq.writePending().then(
      () => {
        if (this.failingQueues.delete(cq)) this.log(`consume queue ${cq.topic}-${cq.queueId} written again`);
      },
      (e) => {
        if (this.failingQueues.has(cq)) return;
        this.failingQueues.add(cq);
        this.log(
          `consume queue ${cq.topic}-${cq.queueId} write failed, entries kept in memory and retried: ${e}`,
        );
      },
    );
  }
  private readonly failingQueues = new Set<ConsumeQueue>();

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
    const disk = this.disk.refusal();
    if (disk) return disk;
    if (this.commitLog.pendingBytes > this.config.maxWriteBatchBytes) {
      return { status: 'OS_PAGECACHE_BUSY', remark: 'write buffer full, disk too slow' };
    }
    return null;
  }

  /** Usage fraction above which writes are refused: the higher of diskMaxUsedSpaceRatio and the warning level. */
  get writeLimitRatio(): number {
    return this.disk.writeLimit;
  }

  /** Last measured disk usage (0..1; -1 when unknown). */
  get diskUsedRatio(): number {
    return this.disk.ratio;
  }

  /** Writes are refused for lack of disk (above the write limit, or after ENOSPC). */
  get diskFull(): boolean {
    return !this.disk.writeable;
  }

  private fail(r: PutMessageResult): Promise<PutMessageResult> {
    this.stats.putMessageFailedTimes++;
    return Promise.resolve(r);
  }

  private topicBytes = new Map<string, Buffer>();

  /** The topic's UTF-8 bytes (cached), or undefined when it cannot be stored (see topicIllegal). */
  private checkTopic(topic: string): Buffer | undefined {
    if (topic === this.lastTopic) return this.lastTopicBytes;
    let bytes = this.topicBytes.get(topic);
    if (!bytes) {
      bytes = Buffer.from(topic, 'utf8');
      if (this.topicBytes.size > 100_000) this.topicBytes.clear();
      this.topicBytes.set(topic, bytes);
    }
    if (bytes.length === 0 || bytes.length > MAX_TOPIC_BYTES) return undefined;
    this.lastTopic = topic;
    this.lastTopicBytes = bytes;
    this.lastTopicSeed = topicKeySeed(topic);
    return bytes;
  }
  /** The last topic checkTopic accepted, its bytes, and its topicKeySeed (UNIQ_KEY index hashes start from it). */
  private lastTopic: string | null = null;
  private lastTopicBytes: Buffer = Buffer.alloc(0);
  private lastTopicSeed = 0;

  private topicIllegal(): Promise<PutMessageResult> {
    return this.fail({ status: 'MESSAGE_ILLEGAL', remark: `topic must be 1..${MAX_TOPIC_BYTES} bytes` });
  }

  /**
   * Append one message. Resolves once it is written (ASYNC_FLUSH) or fdatasynced (SYNC_FLUSH; after
   * syncFlushTimeout: FLUSH_DISK_TIMEOUT, the message is still stored). The HA layer waits for a slave
   * to reach `appendResult.wroteOffset + appendResult.wroteBytes` on top of this.
   */
  putMessage(msg: MessageExtBrokerInner, waitFlush = true): Promise<PutMessageResult> {
    const bad = this.checkStoreStatus();
    if (bad) return this.fail(bad);
    const topicBytes = this.checkTopic(msg.topic);
    if (!topicBytes) return this.topicIllegal();
    const propsStr = typeof msg.properties === 'string' ? msg.properties : encodeProperties(msg.properties);
    const propsLen = Buffer.byteLength(propsStr, 'utf8');
    if (propsLen > MAX_PROPERTIES_BYTES) {
      return this.fail({
        status: 'PROPERTIES_SIZE_EXCEEDED',
        remark: `properties ${propsLen} > ${MAX_PROPERTIES_BYTES} bytes`,
      });
    }
    const len = recordLength(msg.sysFlag, msg.body.length, topicBytes.length, propsLen);
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
    const buf = log.allocBuf;
    const pos = log.allocPos;
    writeStoredRecord(
      buf,
      pos,
      msg,
      queueOffset,
      phyOffset,
      storeTimestamp,
      bodyCrc(msg.body),
      topicBytes,
      propsStr,
      propsLen,
    );
    if (counted) offsets.set(msg.queueId, queueOffset + 1);
    // Tags code and index keys from the bytes just written; the string scan where they are not plain
    // ASCII, for a given tags code, and for the schedule topic (whose tags code is a delivery time).
    let tagsCode: number;
    let keys: string | undefined;
    let uniqKey: string | undefined;
    let uniqKeyHash = -1;
    const ph = this.putHashes;
    if (
      msg.tagsCode === undefined &&
      msg.topic !== SCHEDULE_TOPIC &&
      scanPutPropertyBytes(buf, pos + len - propsLen, pos + len, this.lastTopicSeed, ph)
    ) {
      tagsCode = ph.tagsCode;
      keys = ph.keys;
      uniqKeyHash = ph.uniqKeyHash;
    } else {
      const pp = scanPutProperties(propsStr, this.putProps);
      tagsCode = msg.tagsCode ?? tagsCodeFrom(msg.topic, pp.tags, pp.delay, storeTimestamp, this.levels);
      keys = pp.keys;
      uniqKey = pp.uniqKey;
    }
    this.stats.putMessageTimesTotal++;
    this.stats.putMessageSizeTotal += len;
    const req: DispatchRequest = {
      topic: msg.topic,
      queueId: msg.queueId,
      commitLogOffset: phyOffset,
      msgSize: len,
      tagsCode,
      storeTimestamp,
      consumeQueueOffset: queueOffset,
      keys,
      uniqKey,
      uniqKeyHash,
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
    const topicBytes = this.checkTopic(batch.topic);
    if (!topicBytes) return this.topicIllegal();
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
      const len = recordLength(batch.sysFlag, it.body.length, topicBytes.length, p.length);
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
        topicBytes,
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
      // Java scans up to 800 entries of its mapped slice for free; a pread of all 800 (16 KB, a fresh
      // buffer) for a 32-message pull is 25× what an unfiltered pull uses, so entries are read in chunks
      // that grow (×8) only while the scan goes on (tag filters, blank entries).
      // The first chunk holds one entry past a full batch: the scan ends on reading it.
      let chunk = Math.min(maxFilterCount, Math.max(32, maxMsgNums) + 1);
      let entries = cq.readEntries(offset, chunk);
      if (!entries) {
        res.status = 'OFFSET_FOUND_NULL';
        res.nextBeginOffset = this.nextOffsetCorrection(offset, cq.rollNextFile(offset));
        return this.countGet(res);
      }
      res.status = 'NO_MATCHED_MESSAGE';
      const memory = this.totalMemory * (c.accessMessageInMemoryMaxRatio / 100);
      const picks: { off: number; size: number; qo: number }[] = [];
      let nextPhyFileStart = Number.NEGATIVE_INFINITY;
      let maxPhyOffsetPulling = 0;
      let total = 0;
      let i = 0;
      /** Bytes of entries before `entries` (read by earlier chunks): `i` counts from `offset`. */
      let base = 0;
      for (; ; i += CQ_STORE_UNIT_SIZE) {
        if (i - base + CQ_STORE_UNIT_SIZE > entries.length) {
          // A chunk shorter than asked for ends at its file's written end (or memory's): the scan stops there.
          const read = i / CQ_STORE_UNIT_SIZE;
          if (entries.length < chunk * CQ_STORE_UNIT_SIZE || read >= maxFilterCount) break;
          chunk = Math.min(chunk * 8, maxFilterCount - read);
          const more = cq.readEntries(offset + read, chunk);
          if (!more) break;
          entries = more;
          base = i;
        }
        const e = i - base;
        const offsetPy = readInt64OrNaN(entries, e);
        const sizePy = entries.readInt32BE(e + 8);
        const tagsCode = readInt64OrNaN(entries, e + 12);
        if (sizePy === INT32_MAX) continue;
        if (!(offsetPy >= 0) || sizePy <= 0 || offsetPy + sizePy > maxOffsetPy) {
          // An entry no record can have (damaged after the start's checks): an error for it alone.
          if (picks.length === 0) {
            const qo = offset + i / CQ_STORE_UNIT_SIZE;
            res.damaged = {
              from: qo,
              to: qo + 1,
              phyOffset: offsetPy,
              reason: 'consume queue entry unreadable',
            };
            i += CQ_STORE_UNIT_SIZE;
          }
          break;
        }
        maxPhyOffsetPulling = offsetPy;
        if (offsetPy < nextPhyFileStart) continue;
        const isInDisk = maxOffsetPy - offsetPy > memory;
        if (this.isTheBatchFull(sizePy, maxMsgNums, total, picks.length, isInDisk)) break;
        if (filter && !filter(tagsCode)) {
          if (total === 0) res.status = 'NO_MATCHED_MESSAGE';
          continue;
        }
        if (offsetPy < this.commitLog.minOffset || !this.commitLog.queue.findByOffset(offsetPy)) {
          if (total === 0) res.status = 'MESSAGE_WAS_REMOVING';
          nextPhyFileStart = this.commitLog.rollNextFile(offsetPy);
          continue;
        }
        picks.push({ off: offsetPy, size: sizePy, qo: offset + i / CQ_STORE_UNIT_SIZE });
        total += sizePy;
        res.status = 'FOUND';
        nextPhyFileStart = Number.NEGATIVE_INFINITY;
      }
      const read = picks.length
        ? this.readRecords(topic, queueId, picks, res, recordFilter)
        : { filteredOut: 0, badAt: -1, reason: '' };
      res.nextBeginOffset = offset + i / CQ_STORE_UNIT_SIZE;
      if (read.badAt >= 0) {
        // Stop before the damaged record; a pull starting at it gets the error for it alone (unless the
        // read repair below finds the record its entry should lead to).
        const bad = picks[read.badAt]!;
        if (read.badAt === 0) {
          res.damaged = {
            from: bad.qo,
            to: bad.qo + 1,
            phyOffset: bad.off,
            reason: read.reason,
          };
          res.nextBeginOffset = bad.qo + 1;
        } else res.nextBeginOffset = bad.qo;
      }
      if (res.damaged) {
        // Read repair: the commit log may still hold the record the entry should lead to.
        if (!this.repairing && this.repairQueue(cq, res.damaged.from)) {
          this.repairing = true;
          try {
            return this.getMessage(topic, queueId, offset, maxMsgNums, filter, recordFilter);
          } finally {
            this.repairing = false;
          }
        }
        res.status = 'MESSAGE_WAS_REMOVING';
        this.logDamagedRead(topic, queueId, res.damaged);
      }
      if (res.buffers.length === 0 && res.status === 'FOUND')
        res.status = read.filteredOut > 0 ? 'NO_MATCHED_MESSAGE' : 'MESSAGE_WAS_REMOVING';
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
   * Read picked records, one pread per run of nearby records in the same file: gaps of other queues'
   * records up to READ_GAP_MAX are read and skipped, as copying a few KB costs less than the pread per
   * record that a queue interleaved with others would take. Records `recordFilter` refuses are left
   * out (their count is returned). Each record's TOTALSIZE must equal its entry's size
   * and its magic code be a message's (two int reads per record, no CRC: the pull path is hot); the read
   * stops at the first that fails (`badAt`, its index in picks).
   */
  private readRecords(
    topic: string,
    queueId: number,
    picks: { off: number; size: number; qo: number }[],
    res: GetMessageResult,
    recordFilter?: (record: Buffer) => boolean,
  ): { filteredOut: number; badAt: number; reason: string } {
    const lmq = topic.startsWith('%LMQ%');
    let filteredOut = 0;
    let i = 0;
    while (i < picks.length) {
      const first = picks[i]!;
      const f = this.commitLog.queue.findByOffset(first.off);
      let end = first.off + first.size;
      let j = i + 1;
      for (; j < picks.length && f; j++) {
        const next = picks[j]!;
        const nextEnd = next.off + next.size;
        if (next.off < end || next.off - end > READ_GAP_MAX || nextEnd - first.off > READ_SPAN_MAX) break;
        if (nextEnd > f.fileEndOffset) break;
        end = nextEnd;
      }
      const data = this.commitLog.getData(first.off, end - first.off);
      if (data) {
        for (let k = i; k < j; k++) {
          const pk = picks[k]!;
          const p = pk.off - first.off;
          const size = data.readInt32BE(p);
          const magic = data.readInt32BE(p + 4);
          // Queue id and offset are free to check here too (LMQ entries point at other queues' records).
          const ownQueue =
            lmq || (data.readInt32BE(p + 12) === queueId && readInt64OrNaN(data, p + 20) === pk.qo);
          if (size !== pk.size || magic !== MESSAGE_MAGIC_CODE || !ownQueue) {
            const reason =
              magic !== MESSAGE_MAGIC_CODE
                ? `magic code 0x${(magic >>> 0).toString(16)}`
                : size !== pk.size
                  ? `record size ${size}, queue entry says ${pk.size}`
                  : `record of queue ${data.readInt32BE(p + 12)} offset ${readInt64OrNaN(data, p + 20)}`;
            return { filteredOut, badAt: k, reason };
          }
          const record = data.subarray(p, p + pk.size);
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
    return { filteredOut, badAt: -1, reason: '' };
  }

  private repairing = false;
  private readonly repairTried = new Set<string>();

  /** Rewrite the entries around a bad one at `index` from the commit log; true if any changed. */
  private repairQueue(cq: ConsumeQueue, index: number): boolean {
    // One walk per damaged entry: a lost record is pulled again by every consumer group.
    const key = `${cq.topic}/${cq.queueId}/${index}`;
    if (this.repairTried.has(key)) return false;
    if (this.repairTried.size >= 10_000) this.repairTried.clear();
    this.repairTried.add(key);
    const n = repairQueueEntries(cq, index, this.commitLog, this.levels, this.config.mappedFileSizeCommitLog);
    if (n > 0)
      this.log(
        `consume queue ${cq.topic}/${cq.queueId}: entry ${index} did not lead to its record; repaired ${n} entries from the commit log`,
      );
    return n > 0;
  }

  /** Damaged records already logged (by commit-log offset), so a consumer retrying logs nothing more. */
  private readonly loggedDamage = new Set<number>();

  private logDamagedRead(topic: string, queueId: number, d: NonNullable<GetMessageResult['damaged']>): void {
    if (this.loggedDamage.has(d.phyOffset)) return;
    if (this.loggedDamage.size >= 10_000) this.loggedDamage.clear();
    this.loggedDamage.add(d.phyOffset);
    const f = this.commitLog.queue.findByOffset(d.phyOffset);
    const where = f ? ` (${f.path}:${d.phyOffset - f.fileFromOffset})` : '';
    this.log(
      `pull ${topic}/${queueId}: queue offset ${d.from} points at a damaged record at commit-log offset ${d.phyOffset}${where}: ${d.reason}; not delivered`,
    );
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
      // ENOSPC: the chunk was undone; refused until space is back, then the master sends it again.
      if (isNoSpaceError(e)) this.disk.onNoSpace(e as Error, data.length, 0);
      else this.onIoError(e as Error);
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
      this.deletedTopics.set(topic, this.commitLog.appendOffset);
      this.topicQueueTable.delete(topic);
      if (this.offsetsTopic === topic) this.offsetsTopic = null;
      if (this.queuesTopic === topic) this.queuesTopic = null;
      this.consumeQueueTable.delete(topic);
      fs.rmSync(join(this.config.storePathConsumeQueue, topic), { recursive: true, force: true });
      n++;
    }
    if (n) this.saveDeletedTopics();
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
        if (this.queuesTopic === topic) this.queuesTopic = null;
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
      diskUsedRatio: this.disk.ratio,
      diskStatus: this.disk.status,
      storeWriteable: !this.ioError && this.disk.writeable,
      storeNotWriteableReason: this.ioError
        ? `message store is not writeable: ${this.ioError.message}`
        : this.disk.reason,
      diskLastEvent: this.disk.lastEvent,
      commitLogMinOffset: this.commitLog.minOffset,
      commitLogMaxOffset: this.commitLog.writtenOffset,
      commitLogFlushedOffset: this.commitLog.flushedOffset,
      pendingWriteBytes: this.commitLog.pendingBytes,
      groupCommitSizes: this.commitLog.groupCommit.toString(),
    };
  }

  /** Run retention now (expired files, disk guard); `force` deletes as if the disk were full (admin). */
  async cleanNow(force = false): Promise<void> {
    await this.retention.run(force);
  }

  /** Re-read disk usage now (normally every cleanResourceInterval). */
  async checkDisk(): Promise<void> {
    await this.disk.check();
  }

  /** Store timestamp of the first record of a commit-log file (0 when it has none). */
  firstStoreTimestampOf(f: DataFile): number {
    return this.commitLog.firstStoreTimestamp(f, this.levels);
  }

  get isRunning(): boolean {
    return this.running;
  }

  /** Current wall clock of the store (injectable for tests). */
  currentTime(): number {
    return this.now();
  }
}

/** "topic/queueId" → [topic, queueId] (topics hold no '/'). */
function splitQueueKey(key: string): [string, number] {
  const i = key.lastIndexOf('/');
  return [key.slice(0, i), Number(key.slice(i + 1))];
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
