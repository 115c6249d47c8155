import * as fs from 'node:fs';
import { topicKeySeed, topicSeededKeyHash } from '../protocol/message/java-hash.js';
import { MessageConst } from '../protocol/message/message-const.js';
import { SysFlag, transactionValue } from '../protocol/message/sys-flag.js';
import { IndexFile, indexFilePath } from './index-file.js';
import type { DispatchRequest } from './types.js';

/** The index files of a store (Java IndexService): keys `topic#KEY` and `topic#UNIQ_KEY`. */
export class IndexService {
  files: IndexFile[] = [];

  constructor(
    readonly dir: string,
    readonly hashSlotNum: number,
    readonly indexNum: number,
    /** Per file: slot values held between flushes (IndexFile.maxDirtySlots). */
    readonly maxDirtySlots = 1 << 16,
  ) {}

  /**
   * Open existing files. After an abnormal exit, files written past the index checkpoint may be torn:
   * they are deleted and the returned offset is where their rebuild must start (Infinity if none).
   */
  load(lastExitOK: boolean, indexCheckpoint: number, validEnd: number): number {
    let rebuildFrom = Number.POSITIVE_INFINITY;
    if (!fs.existsSync(this.dir)) return rebuildFrom;
    const names = fs
      .readdirSync(this.dir)
      .filter((n) => /^\d{17}$/.test(n))
      .sort();
    for (const n of names) {
      const f = new IndexFile(`${this.dir}/${n}`, this.hashSlotNum, this.indexNum, false, this.maxDirtySlots);
      if (f.headerDamaged) {
        rebuildFrom = Math.min(rebuildFrom, this.endPhyOffset);
        f.destroy();
        continue;
      }
      if (!lastExitOK && (f.endTimestamp > indexCheckpoint || f.endPhyOffset >= validEnd)) {
        rebuildFrom = Math.min(rebuildFrom, f.beginPhyOffset);
        f.destroy();
        continue;
      }
      this.files.push(f);
    }
    const last = this.files[this.files.length - 1];
    if (last && !last.isWriteFull) last.makeWritable();
    return rebuildFrom;
  }

  /** Where re-indexing may resume: the last indexed physical offset. */
  get endPhyOffset(): number {
    return this.files[this.files.length - 1]?.endPhyOffset ?? 0;
  }

  private writable(now: number): IndexFile {
    let last = this.files[this.files.length - 1];
    if (last && !last.isWriteFull) return last;
    let name = indexFilePath(this.dir, now);
    while (fs.existsSync(name)) name = indexFilePath(this.dir, ++now);
    fs.mkdirSync(this.dir, { recursive: true });
    const f = new IndexFile(
      name,
      this.hashSlotNum,
      this.indexNum,
      true,
      this.maxDirtySlots,
      last?.endPhyOffset ?? 0,
      last?.endTimestamp ?? 0,
    );
    if (last) {
      // Java flushes a full file when it rolls; ours flushes in the background and drops its slots.
      const full = last;
      void full.flush().then(() => full.makeReadOnly());
    }
    this.files.push(f);
    last = f;
    return f;
  }

  buildIndex(req: DispatchRequest): void {
    if (transactionValue(req.sysFlag) === SysFlag.TRANSACTION_ROLLBACK_TYPE) return;
    const uniqHash = req.uniqKeyHash ?? -1;
    if (!req.keys && !req.uniqKey && uniqHash < 0) return;
    let f = this.writable(req.storeTimestamp);
    // Re-dispatch after recovery: skip what is already indexed (endPhyOffset is the last indexed record).
    const indexedAny = f.indexCount > 1 || this.files.length > 1;
    if (req.commitLogOffset < f.endPhyOffset || (indexedAny && req.commitLogOffset === f.endPhyOffset))
      return;
    if (req.topic !== this.seedTopic) {
      this.seedTopic = req.topic;
      this.seed = topicKeySeed(req.topic);
    }
    if (uniqHash >= 0) f = this.put(f, uniqHash, req);
    else if (req.uniqKey) f = this.put(f, topicSeededKeyHash(this.seed, req.uniqKey), req);
    if (req.keys) {
      for (const k of req.keys.split(MessageConst.KEY_SEPARATOR))
        if (k.length > 0) f = this.put(f, topicSeededKeyHash(this.seed, k), req);
    }
  }
  /** The last topic indexed and its hash seed (runs of one topic are the common case). */
  private seedTopic = '';
  private seed = topicKeySeed('');

  /** One key into `f`, or into a new file when `f` is full; returns the file now being written. */
  private put(f: IndexFile, keyHash: number, req: DispatchRequest): IndexFile {
    if (f.putKey(keyHash, req.commitLogOffset, req.storeTimestamp)) return f;
    const next = this.writable(req.storeTimestamp);
    next.putKey(keyHash, req.commitLogOffset, req.storeTimestamp);
    return next;
  }

  /** Push buffered entries of the writable file to the kernel (after each dispatch batch). */
  writePending(): void {
    this.files[this.files.length - 1]?.writeEntries();
  }

  /** Flush the writable file; returns the store timestamp now covered (for the checkpoint). */
  async flush(): Promise<number> {
    const last = this.files[this.files.length - 1];
    if (!last) return 0;
    const ts = last.endTimestamp;
    await last.flush();
    return ts;
  }

  queryOffset(
    topic: string,
    key: string,
    maxNum: number,
    begin: number,
    end: number,
  ): { phyOffsets: number[]; indexLastUpdateTimestamp: number; indexLastUpdatePhyoffset: number } {
    const out: number[] = [];
    const last = this.files[this.files.length - 1];
    for (let i = this.files.length - 1; i >= 0 && out.length < maxNum; i--) {
      const f = this.files[i]!;
      if (f.isTimeMatched(begin, end)) f.selectPhyOffsets(out, `${topic}#${key}`, maxNum, begin, end);
      if (f.beginTimestamp < begin) break;
    }
    return {
      phyOffsets: out,
      indexLastUpdateTimestamp: last?.endTimestamp ?? 0,
      indexLastUpdatePhyoffset: last?.endPhyOffset ?? 0,
    };
  }

  /** Delete files (never the last) whose entries all point below `minPhyOffset`. */
  deleteExpiredFiles(minPhyOffset: number): number {
    let n = 0;
    while (this.files.length > 1 && this.files[0]!.endPhyOffset < minPhyOffset) {
      this.files.shift()!.destroy();
      n++;
    }
    return n;
  }

  close(): void {
    for (const f of this.files) f.close();
  }
}
