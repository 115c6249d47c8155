import { randomInt } from 'node:crypto';
import { networkInterfaces } from 'node:os';

/**
 * UNIQ_KEY generator (MessageClientIDSetter): prefix = IPv4 (4) + pid (int16) + a per-process random int32
 * (Java uses the ClassLoader hashCode), then per id: ms since the start of the current month in local time
 * (int32) + a wrapping int16 counter. 32 uppercase hex chars.
 */
export class UniqKeyGenerator {
  private readonly prefix: string;
  private counter = randomInt(0, 0x10000);
  private startTime = 0;
  private nextStartTime = 0;
  private readonly tail = Buffer.allocUnsafe(6);

  constructor(ip?: Uint8Array) {
    const b = Buffer.allocUnsafe(10);
    b.set(ip ?? localIpv4(), 0);
    b.writeInt16BE((process.pid << 16) >> 16, 4);
    b.writeInt32BE(randomInt(-0x80000000, 0x7fffffff), 6);
    this.prefix = b.toString('hex').toUpperCase();
  }

  next(now = Date.now()): string {
    if (now >= this.nextStartTime) this.setStartTime(now);
    this.tail.writeInt32BE((now - this.startTime) | 0, 0);
    this.tail.writeUInt16BE(this.counter, 4);
    this.counter = (this.counter + 1) & 0xffff;
    return this.prefix + this.tail.toString('hex').toUpperCase();
  }

  private setStartTime(now: number): void {
    const d = new Date(now);
    this.startTime = new Date(d.getFullYear(), d.getMonth(), 1).getTime();
    this.nextStartTime = new Date(d.getFullYear(), d.getMonth() + 1, 1).getTime();
  }
}

function localIpv4(): Uint8Array {
  for (const list of Object.values(networkInterfaces())) {
    for (const a of list ?? []) {
      if (a.family === 'IPv4' && !a.internal) return Uint8Array.from(a.address.split('.').map(Number));
    }
  }
  return Uint8Array.from([127, 0, 0, 1]);
}

let shared: UniqKeyGenerator | undefined;
/** A process-wide UNIQ_KEY. */
export function createUniqKey(): string {
  shared ??= new UniqKeyGenerator();
  return shared.next();
}
