import {
  encodeTraceRecord,
  RMQ_SYS_TRACE_TOPIC,
  type TraceRecord,
  traceRecordKeys,
} from '../../protocol/message/trace-data.js';
import type { Message } from '../message.js';

/** How trace messages leave: a producer send (the trace records must not be traced themselves). */
export type TraceSend = (msg: Message) => Promise<unknown>;

const MAX_BODY = 128 * 1024;
const FLUSH_MS = 50;

/**
 * Message trace on the client (Java's AsyncTraceDispatcher): records are batched and sent in the
 * background as messages on the trace topic, keyed by the traced message ids so queryMsgTraceById finds
 * them. Tracing never slows down or fails the traced send or consume: a lost trace is only logged.
 */
export class TraceDispatcher {
  private pending: TraceRecord[] = [];
  private timer: NodeJS.Timeout | undefined;
  private inFlight = new Set<Promise<void>>();

  constructor(
    private readonly send: TraceSend,
    private readonly onError: (err: unknown) => void,
    readonly traceTopic = RMQ_SYS_TRACE_TOPIC,
  ) {}

  append(r: TraceRecord): void {
    this.pending.push(r);
    if (this.pending.length >= 100) this.flush();
    else if (!this.timer) {
      this.timer = setTimeout(() => this.flush(), FLUSH_MS);
      this.timer.unref();
    }
  }

  /** Sends what is pending (in messages up to 128 KB each). */
  flush(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    const records = this.pending;
    this.pending = [];
    let body = '';
    let keys = new Set<string>();
    const sendOne = () => {
      if (!body) return;
      const p = this.send({ topic: this.traceTopic, body, keys: [...keys] }).then(
        () => undefined,
        (err) => this.onError(err),
      );
      this.inFlight.add(p);
      void p.finally(() => this.inFlight.delete(p));
      body = '';
      keys = new Set();
    };
    for (const r of records) {
      const text = encodeTraceRecord(r);
      if (body.length + text.length > MAX_BODY) sendOne();
      body += text;
      for (const k of traceRecordKeys(r)) keys.add(k);
    }
    sendOne();
  }

  /** Flushes and waits for the trace sends (before the sender shuts down). */
  async close(): Promise<void> {
    this.flush();
    await Promise.all([...this.inFlight]);
  }
}
