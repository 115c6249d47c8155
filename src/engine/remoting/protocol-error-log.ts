import type { Logger } from '../common/logger.js';
import { reclaimMemory } from '../common/memory-reclaim.js';

/** Default summary interval: one line per peer per 10 s at most, however many errors it sends (0: off). */
export const PROTOCOL_ERROR_LOG_INTERVAL_MS = 10_000;

/** A burst of at least this many errors is followed, once it is over, by a full GC (reclaimMemory). */
const BURST_ERRORS = 1000;

/** Peers tracked at once; past that, errors of new peers are counted together (the table stays small). */
const MAX_PEERS = 1000;

interface PeerErrors {
  /** Errors since the last line written for this peer. */
  count: number;
  lastMsg: string;
  lastErr: string | undefined;
}

/**
 * Rate-limited logging of a peer's protocol errors (bad frames, unsupported codes, failed requests): the
 * first one is logged at once with its details; the rest within the interval are counted and written as
 * one line per peer (IP, not port: a flood opens a connection per frame) with the count. A peer quiet for
 * a whole interval is forgotten, so its next error is again logged at once.
 */
export class ProtocolErrorLog {
  private readonly peers = new Map<string, PeerErrors>();
  private timer: NodeJS.Timeout | undefined;
  /** Errors since the table was last empty. */
  private burst = 0;

  constructor(
    private readonly log: Logger,
    private readonly intervalMs = PROTOCOL_ERROR_LOG_INTERVAL_MS,
  ) {}

  /** `remote` is `ip:port`; `fields` go into the line as they are. */
  report(remote: string, msg: string, fields: Record<string, unknown> = {}): void {
    if (this.intervalMs <= 0) {
      this.log.warn({ remote, ...fields }, msg); // limiting off
      return;
    }
    const peer = this.peers.size >= MAX_PEERS && !this.peers.has(peerHost(remote)) ? '*' : peerHost(remote);
    const err = typeof fields.err === 'string' ? fields.err : undefined;
    this.burst++;
    const seen = this.peers.get(peer);
    if (seen) {
      seen.count++;
      seen.lastMsg = msg;
      seen.lastErr = err;
      return;
    }
    this.peers.set(peer, { count: 0, lastMsg: msg, lastErr: err });
    this.log.warn({ remote, ...fields }, msg);
    this.timer ??= setInterval(() => this.flush(), this.intervalMs).unref();
  }

  /** Writes one line per peer with errors since its last line; forgets quiet peers. */
  flush(): void {
    for (const [peer, e] of this.peers) {
      if (e.count === 0) {
        this.peers.delete(peer);
        continue;
      }
      this.log.warn(
        { peer, count: e.count, intervalMs: this.intervalMs, last: e.lastMsg, err: e.lastErr },
        'repeated protocol errors from peer',
      );
      e.count = 0;
    }
    if (this.peers.size === 0 && this.timer) {
      clearInterval(this.timer);
      this.timer = undefined;
      // Every peer has been quiet for a whole interval: a flood is over, and what it grew can go back.
      if (this.burst >= BURST_ERRORS) {
        this.log.info({ errors: this.burst }, 'protocol error burst over, reclaiming memory');
        reclaimMemory();
      }
      this.burst = 0;
    }
  }

  /** Flushes what is counted and stops the timer (server close). */
  close(): void {
    this.flush();
    this.peers.clear();
    this.burst = 0;
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
  }
}

/** The IP of an `ip:port` (or `[v6]:port`) address. */
function peerHost(remote: string): string {
  const i = remote.lastIndexOf(':');
  return i > 0 ? remote.slice(0, i) : remote;
}
