/**
 * Runs async jobs with at most `size` in flight and hands results over in submission order — what a
 * pipelined `producer send` needs to print results in input order while keeping the broker busy.
 */
export class OrderedWindow<T> {
  private readonly pending: Array<Promise<T>> = [];

  constructor(
    private readonly size: number,
    private readonly onResult: (result: T) => void,
  ) {
    if (size < 1) throw new Error('window size must be at least 1');
  }

  /** Starts `job`; waits first (oldest result out) while the window is full. */
  async submit(job: () => Promise<T>): Promise<void> {
    while (this.pending.length >= this.size) this.onResult(await this.pending.shift()!);
    this.pending.push(job());
  }

  /** Waits for everything submitted and hands over the remaining results. */
  async drain(): Promise<void> {
    while (this.pending.length > 0) this.onResult(await this.pending.shift()!);
  }

  get inFlight(): number {
    return this.pending.length;
  }
}
