import type { RemotingCommand } from '../../protocol/remoting-command.js';
import type { Channel } from '../../remoting/index.js';
import type { TagsCodeFilter } from '../broker-store.js';

export interface PullRequest {
  request: RemotingCommand;
  channel: Channel;
  timeoutMs: number;
  suspendTimestamp: number;
  pullFromThisOffset: number;
  filter: TagsCodeFilter | undefined;
}

/**
 * Held pulls (PullRequestHoldService, protocol.md §3.7), keyed `topic@queueId`. A held pull is re-run with
 * suspension off when a matching message arrives (the store's arrive hook), or on the periodic check when
 * new data is there or its hold time has passed.
 */
export class PullRequestHoldService {
  private readonly table = new Map<string, PullRequest[]>();
  private timer: NodeJS.Timeout | undefined;

  constructor(
    private readonly maxOffset: (topic: string, queueId: number) => number,
    private readonly wakeUp: (pr: PullRequest) => void,
    private readonly checkIntervalMs: number,
  ) {}

  start(): void {
    this.timer = setInterval(() => this.checkHoldRequest(), this.checkIntervalMs);
    this.timer.unref();
  }

  shutdown(): void {
    if (this.timer) clearInterval(this.timer);
    this.table.clear();
  }

  get heldCount(): number {
    let n = 0;
    for (const l of this.table.values()) n += l.length;
    return n;
  }

  suspend(topic: string, queueId: number, pr: PullRequest): void {
    const key = `${topic}@${queueId}`;
    let list = this.table.get(key);
    if (!list) {
      list = [];
      this.table.set(key, list);
    }
    list.push(pr);
  }

  checkHoldRequest(): void {
    for (const key of [...this.table.keys()]) {
      const at = key.lastIndexOf('@');
      const topic = key.slice(0, at);
      const queueId = Number(key.slice(at + 1));
      this.notifyMessageArriving(topic, queueId, this.maxOffset(topic, queueId));
    }
  }

  /** `tagsCode` given: only requests whose filter matches it wake up early. */
  notifyMessageArriving(topic: string, queueId: number, maxOffset: number, tagsCode?: number): void {
    const key = `${topic}@${queueId}`;
    const list = this.table.get(key);
    if (!list || list.length === 0) return;
    const keep: PullRequest[] = [];
    const now = Date.now();
    for (const pr of list) {
      if (pr.channel.closed) continue;
      let newest = maxOffset;
      if (newest <= pr.pullFromThisOffset) newest = this.maxOffset(topic, queueId);
      const matched = tagsCode === undefined || !pr.filter || pr.filter(tagsCode);
      if (newest > pr.pullFromThisOffset && matched) this.wakeUp(pr);
      else if (now >= pr.suspendTimestamp + pr.timeoutMs) this.wakeUp(pr);
      else keep.push(pr);
    }
    if (keep.length > 0) this.table.set(key, keep);
    else this.table.delete(key);
  }
}
