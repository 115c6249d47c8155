import { RemotingTimeoutError } from '../../remoting/index.js';

/** Socket error codes as an operator reads them in "cannot register with <addr>: <reason>". */
const REASONS: Record<string, string> = {
  ECONNREFUSED: 'connection refused',
  ECONNRESET: 'connection reset',
  EHOSTUNREACH: 'host unreachable',
  ENETUNREACH: 'network unreachable',
  ENOTFOUND: 'unknown host',
  EAI_AGAIN: 'unknown host',
};

/** Why a name server could not be reached, in a few words (the socket's code, else the error's text). */
export function unreachableReason(err: unknown): string {
  if (err instanceof RemotingTimeoutError) return `no answer within ${err.timeoutMs} ms`;
  const message = err instanceof Error ? err.message : String(err);
  for (const [code, reason] of Object.entries(REASONS)) if (message.includes(code)) return reason;
  const timeout = /timeout after (\d+) ms/.exec(message);
  if (timeout) return `no connection within ${timeout[1]} ms`;
  return message.replace(/^connect to <[^>]*> failed: /, '');
}
