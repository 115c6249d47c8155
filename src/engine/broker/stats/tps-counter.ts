/** Per-second counts over the last 600 s, for the putTps / getTransferedTps windows mqadmin prints. */
export class TpsCounter {
  private readonly slots = new Float64Array(601);
  private lastSecond = Math.floor(Date.now() / 1000);
  total = 0;

  add(n: number, now = Date.now()): void {
    this.advance(now);
    this.slots[this.lastSecond % this.slots.length] += n;
    this.total += n;
  }

  /** Average per second over the last `seconds` full seconds. */
  tps(seconds: number, now = Date.now()): number {
    this.advance(now);
    let sum = 0;
    for (let i = 1; i <= seconds; i++)
      sum += this.slots[(this.lastSecond - i + this.slots.length) % this.slots.length];
    return sum / seconds;
  }

  /** "10s 60s 600s" averages as Java prints them. */
  windows(now = Date.now()): string {
    return [10, 60, 600].map((s) => this.tps(s, now).toFixed(2)).join(' ');
  }

  private advance(now: number): void {
    const sec = Math.floor(now / 1000);
    if (sec <= this.lastSecond) return;
    const steps = Math.min(sec - this.lastSecond, this.slots.length);
    for (let i = 1; i <= steps; i++) this.slots[(this.lastSecond + i) % this.slots.length] = 0;
    this.lastSecond = sec;
  }
}
