import { responseCodeName } from '../protocol/response-code.js';

/**
 * A failed admin operation. `code` is the broker/name-server response code when there was a reply
 * (e.g. 17 TOPIC_NOT_EXIST, 206 CONSUMER_NOT_ONLINE), so scripts and callers can branch on it.
 */
export class AdminError extends Error {
  constructor(
    message: string,
    readonly code?: number,
    readonly addr?: string,
  ) {
    super(message);
    this.name = 'AdminError';
  }

  get codeName(): string | undefined {
    return this.code === undefined ? undefined : responseCodeName(this.code);
  }
}

/** The error a reply with a non-success code turns into: what failed, where, the code and the remark. */
export function replyError(what: string, addr: string, code: number, remark: string | undefined): AdminError {
  const detail = remark ? `, ${remark.split('\n')[0]}` : '';
  return new AdminError(
    `${what} on ${addr} failed: ${responseCodeName(code)} (${code})${detail}`,
    code,
    addr,
  );
}
