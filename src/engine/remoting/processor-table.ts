import type { Logger } from '../common/logger.js';
import { createResponse, isOneway, type RemotingCommand } from '../protocol/remoting-command.js';
import { requestCodeName } from '../protocol/request-code.js';
import { ResponseCode } from '../protocol/response-code.js';
import type { Channel } from './channel.js';
import type { ProtocolErrorLog } from './protocol-error-log.js';

/** Handles one request; `null` means "send no reply" (also the only thing that happens for oneway). */
export type RequestProcessor = (
  req: RemotingCommand,
  channel: Channel,
) => Promise<RemotingCommand | null> | RemotingCommand | null;

/**
 * Runs around every request (Java RPCHook): signing on clients, ACL checks on brokers. A throwing
 * `doBeforeRequest` on the server side turns into a SYSTEM_ERROR reply carrying its message (§1.5, §9.2).
 */
export interface RpcHook {
  doBeforeRequest?(remoteAddr: string, request: RemotingCommand): void;
  doAfterResponse?(remoteAddr: string, request: RemotingCommand, response: RemotingCommand | null): void;
}

/** Error replies the transport generates itself use the server default type, JSON (protocol.md §1.2). */
function errorReply(req: RemotingCommand, code: number, remark: string): RemotingCommand {
  const resp = createResponse(req, code, remark);
  resp.serializeType = 0;
  return resp;
}

/**
 * Code → processor dispatch with the server-side error rules of protocol.md §1.5: unknown code →
 * REQUEST_CODE_NOT_SUPPORTED (even for oneway), a throwing processor → SYSTEM_ERROR with its message.
 */
export class ProcessorTable {
  private readonly table = new Map<number, RequestProcessor>();
  private fallback: RequestProcessor | null = null;
  private readonly hooks: RpcHook[] = [];

  /** `errors`: where a peer's bad requests are reported (rate-limited on servers); default the log. */
  constructor(
    private readonly log: Logger,
    private readonly errors?: ProtocolErrorLog,
  ) {}

  private warnPeer(remote: string, msg: string, fields: Record<string, unknown>): void {
    if (this.errors) this.errors.report(remote, msg, fields);
    else this.log.warn({ remote, ...fields }, msg);
  }

  register(code: number, processor: RequestProcessor): void {
    this.table.set(code, processor);
  }

  registerDefault(processor: RequestProcessor): void {
    this.fallback = processor;
  }

  addRpcHook(hook: RpcHook): void {
    this.hooks.push(hook);
  }

  has(code: number): boolean {
    return this.table.has(code) || this.fallback !== null;
  }

  dispatch(req: RemotingCommand, ch: Channel, runHooks = true): void {
    const processor = this.table.get(req.code) ?? this.fallback;
    if (!processor) {
      this.warnPeer(ch.remoteAddress, 'request type not supported', { code: req.code });
      ch.send(
        errorReply(req, ResponseCode.REQUEST_CODE_NOT_SUPPORTED, ` request type ${req.code} not supported`),
      );
      return;
    }
    let result: Promise<RemotingCommand | null> | RemotingCommand | null;
    try {
      if (runHooks) for (const h of this.hooks) h.doBeforeRequest?.(ch.remoteAddress, req);
      result = processor(req, ch);
    } catch (err) {
      this.fail(req, ch, err);
      return;
    }
    if (result && typeof (result as Promise<unknown>).then === 'function') {
      (result as Promise<RemotingCommand | null>).then(
        (resp) => this.reply(req, ch, resp),
        (err) => this.fail(req, ch, err),
      );
    } else {
      this.reply(req, ch, result as RemotingCommand | null);
    }
  }

  private reply(req: RemotingCommand, ch: Channel, resp: RemotingCommand | null): void {
    try {
      for (const h of this.hooks) h.doAfterResponse?.(ch.remoteAddress, req, resp);
    } catch (err) {
      this.fail(req, ch, err);
      return;
    }
    if (!resp || isOneway(req)) return;
    resp.opaque = req.opaque;
    resp.flag |= 1;
    ch.send(resp);
  }

  private fail(req: RemotingCommand, ch: Channel, err: unknown): void {
    const msg = err instanceof Error ? err.message : String(err);
    this.warnPeer(ch.remoteAddress, 'process request exception', {
      code: req.code,
      name: requestCodeName(req.code),
      err: msg,
    });
    if (isOneway(req)) return;
    ch.send(errorReply(req, ResponseCode.SYSTEM_ERROR, msg));
  }
}
