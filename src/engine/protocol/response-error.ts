import type { RemotingCommand } from './remoting-command.js';
import { responseCodeName } from './response-code.js';

/** A reply whose code is not the one the caller expected; carries the code for branching (never the remark). */
export class ResponseError extends Error {
  constructor(
    readonly code: number,
    readonly remark: string | undefined,
    what: string,
  ) {
    super(`${what} failed: ${responseCodeName(code)} (${code})${remark ? `: ${remark.trim()}` : ''}`);
    this.name = 'ResponseError';
  }
}

/** Throws ResponseError unless `resp.code` is one of `ok` (default SUCCESS). */
export function expectCode(
  resp: RemotingCommand,
  what: string,
  ok: readonly number[] = [0],
): RemotingCommand {
  if (!ok.includes(resp.code)) throw new ResponseError(resp.code, resp.remark, what);
  return resp;
}
