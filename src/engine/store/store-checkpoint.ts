import * as fs from 'node:fs';
import { readInt64, writeInt64 } from '../protocol/message/int64.js';
import { fdatasyncAsync } from './data-file.js';

/**
 * `${root}/checkpoint` (StoreCheckpoint): a 4 KiB file holding physicMsgTimestamp, logicsMsgTimestamp and
 * indexMsgTimestamp as int64 at 0, 8 and 16: the store times up to which the commit log, the consume
 * queues and the index are known durable.
 */
export class StoreCheckpoint {
  physicMsgTimestamp = 0;
  logicsMsgTimestamp = 0;
  indexMsgTimestamp = 0;
  private readonly fd: number;
  private readonly buf = Buffer.alloc(24);

  constructor(readonly path: string) {
    const exists = fs.existsSync(path);
    this.fd = fs.openSync(path, exists ? 'r+' : 'w+');
    if (!exists || fs.fstatSync(this.fd).size < 4096) fs.ftruncateSync(this.fd, 4096);
    if (exists) {
      fs.readSync(this.fd, this.buf, 0, 24, 0);
      this.physicMsgTimestamp = readInt64(this.buf, 0);
      this.logicsMsgTimestamp = readInt64(this.buf, 8);
      this.indexMsgTimestamp = readInt64(this.buf, 16);
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
