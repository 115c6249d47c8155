/** A held POP_MESSAGE or NOTIFICATION. `run(final)` answers it and resolves true, or resolves false to wait on. */
export interface HeldPop {
  /** Topics whose arrivals may satisfy it: the topic and the group's pop retry topic. */
  topics: string[];
  queueId: number;
  deadline: number;
  run(final: boolean): Promise<boolean>;
}

/**
 * Long polling of pops and notifications (PopLongPollingService): a request that found nothing waits until
 * a message arrives in one of its topics (re-run then), or its poll time runs out (answered empty).
 */
export class PopLongPolling {
  private readonly byTopic = new Map<string, Set<HeldPop>>();
  private count = 0;
  private timer: NodeJS.Timeout | undefined;

  constructor(private readonly maxHeld = 100_000) {}

  start(): void {
    this.timer = setInterval(() => this.expire(Date.now()), 100);
    this.timer.unref();
  }

  shutdown(): void {
    if (this.timer) clearInterval(this.timer);
    this.byTopic.clear();
    this.count = 0;
  }

  get size(): number {
    return this.count;
  }

  /** False when the table is full (POLLING_FULL). */
  hold(h: HeldPop): boolean {
    if (this.count >= this.maxHeld) return false;
    for (const t of h.topics) {
      let s = this.byTopic.get(t);
      if (!s) {
        s = new Set();
        this.byTopic.set(t, s);
      }
      s.add(h);
    }
    this.count++;
    return true;
  }

  private remove(h: HeldPop): boolean {
    let found = false;
    for (const t of h.topics) {
      const s = this.byTopic.get(t);
      if (s?.delete(h)) found = true;
      if (s && s.size === 0) this.byTopic.delete(t);
    }
    if (found) this.count--;
    return found;
  }

  /** A message arrived in `topic` (queue `queueId`, -1 any): re-run the requests waiting on it. */
  notify(topic: string, queueId: number): void {
    const s = this.byTopic.get(topic);
    if (!s) return;
    for (const h of [...s]) {
      if (queueId >= 0 && h.queueId >= 0 && h.queueId !== queueId && h.topics[0] === topic) continue;
      this.rerun(h, false);
    }
  }

  private expire(now: number): void {
    const due = new Set<HeldPop>();
    for (const s of this.byTopic.values()) for (const h of s) if (h.deadline <= now) due.add(h);
    for (const h of due) this.rerun(h, true);
  }

  private rerun(h: HeldPop, final: boolean): void {
    if (!this.remove(h)) return;
    h.run(final).then(
      (answered) => {
        if (!answered) this.hold(h);
      },
      () => {},
    );
  }
}

/** Where a held request is in its wait: its deadline, and whether this run is its last (answer anyway). */
export interface HeldState {
  deadline: number;
  final: boolean;
}

/** What a pop or notification that found nothing does: it waited ('held'), or answers now. */
export type WaitOutcome = 'held' | 'full' | 'expired';

/**
 * The shared wait of POP_MESSAGE and NOTIFICATION that found nothing: a first run with poll time left is
 * held (`rerun` answers it later); a re-run that is still empty waits on (null); the last run answers.
 */
export function waitForArrival(
  polling: PopLongPolling,
  o: {
    topics: string[];
    queueId: number;
    pollTime: number;
    held: HeldState | undefined;
    closed: () => boolean;
    rerun: (state: HeldState) => Promise<{ send(): void } | null>;
  },
): WaitOutcome | null {
  const deadline = o.held?.deadline ?? Date.now() + o.pollTime;
  if (o.pollTime <= 0 || o.held?.final || Date.now() >= deadline) return 'expired';
  if (o.held) return null;
  const accepted = polling.hold({
    topics: o.topics,
    queueId: o.queueId,
    deadline,
    run: async (final) => {
      if (o.closed()) return true;
      const answer = await o.rerun({ deadline, final });
      if (!answer) return false;
      answer.send();
      return true;
    },
  });
  return accepted ? 'held' : 'full';
}
