import * as fs from 'node:fs';
import { readInt64OrNaN, writeInt64 } from '../protocol/message/int64.js';
import { fdatasyncAsync } from './data-file.js';

/**
 * `${root}/checkpoint` (StoreCheckpoint): a 4 KiB file holding physicMsgTimestamp, logicsMsgTimestamp and
 * indexMsgTimestamp as int64 at 0, 8 and 16: the store times up to which the commit log, the consume
 * queues and the index are known durable.
 *
 * Its bytes are untrusted: a timestamp that is negative, beyond 2^53 or more than a day in the future
 * marks the checkpoint damaged (`damage` says why); the times are then 0 and the store recovers from the
 * files themselves, as RocketMQ's abnormal recovery does. The next flush writes good values over it.
 */
const DAY = 86_400_000;

export class StoreCheckpoint {
  physicMsgTimestamp = 0;
  logicsMsgTimestamp = 0;
  indexMsgTimestamp = 0;
  /** Why the file's values were not usable, or undefined. */
  damage: string | undefined;
  private readonly fd: number;
  private readonly buf = Buffer.alloc(24);

  constructor(
    readonly path: string,
    now: number = Date.now(),
  ) {
    const exists = fs.existsSync(path);
    this.fd = fs.openSync(path, exists ? 'r+' : 'w+');
    if (!exists || fs.fstatSync(this.fd).size < 4096) fs.ftruncateSync(this.fd, 4096);
    if (exists) {
      fs.readSync(this.fd, this.buf, 0, 24, 0);
      const names = ['physicMsgTimestamp', 'logicsMsgTimestamp', 'indexMsgTimestamp'] as const;
      const values = names.map((_, i) => readInt64OrNaN(this.buf, i * 8));
      const bad = values.findIndex((v) => !(v >= 0 && v <= now + DAY));
      if (bad >= 0) {
        const raw = this.buf.subarray(bad * 8, bad * 8 + 8).toString('hex');
        this.damage = `${path}: ${names[bad]} at offset ${bad * 8} is not a timestamp (0x${raw})`;
      } else {
        [this.physicMsgTimestamp, this.logicsMsgTimestamp, this.indexMsgTimestamp] = values as [
          number,
          number,
          number,
        ];
      }
    }
  }

  /** Java getMinTimestamp: the older of commit log and queues, less 3 s of slack for clock jitter. */
  minTimestamp(): number {
    return Math.max(0, Math.min(this.physicMsgTimestamp, this.logicsMsgTimestamp) - 3000);
  }

  /** Java getMinTimestampIndex (messageIndexSafe): also bounded by the index. */
  minTimestampIndex(): number {
    return Math.min(this.minTimestamp(), this.indexMsgTimestamp);
  }

  private encode(): void {
    writeInt64(this.buf, this.physicMsgTimestamp, 0);
    writeInt64(this.buf, this.logicsMsgTimestamp, 8);
    writeInt64(this.buf, this.indexMsgTimestamp, 16);
  }

  async flush(): Promise<void> {
    this.encode();
    fs.writeSync(this.fd, this.buf, 0, 24, 0);
    await fdatasyncAsync(this.fd);
  }

  flushSync(): void {
    this.encode();
    fs.writeSync(this.fd, this.buf, 0, 24, 0);
    fs.fdatasyncSync(this.fd);
  }

  close(): void {
    fs.closeSync(this.fd);
  }
}
