import { AclError } from '../acl/acl-error.js';
import { ResponseCode } from '../protocol/response-code.js';
import { ResponseError } from '../protocol/response-error.js';
import { RemotingTimeoutError } from '../remoting/channel.js';

/** v2 `Status` as proto-loader hands it over (enum names, keepCase). */
export interface Status {
  code: string;
  message: string;
}

/** An error the proxy answers with a given v2 Code (Apache's GrpcProxyException / ProxyException). */
export class ProxyError extends Error {
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
    this.name = 'ProxyError';
  }
}

export const okStatus = (): Status => ({ code: 'OK', message: 'OK' });

/**
 * Classic response code → v2 Code, as Apache's ResponseBuilder maps them (everything else is
 * INTERNAL_SERVER_ERROR), plus TOPIC_NOT_EXIST → TOPIC_NOT_FOUND which its route service raises.
 */
const CODE_MAPPING = new Map<number, string>([
  [ResponseCode.SUCCESS, 'OK'],
  [ResponseCode.SYSTEM_BUSY, 'TOO_MANY_REQUESTS'],
  [ResponseCode.REQUEST_CODE_NOT_SUPPORTED, 'NOT_IMPLEMENTED'],
  [ResponseCode.SUBSCRIPTION_GROUP_NOT_EXIST, 'CONSUMER_GROUP_NOT_FOUND'],
  [ResponseCode.TOPIC_NOT_EXIST, 'TOPIC_NOT_FOUND'],
]);

export function codeOfResponse(responseCode: number): string {
  return CODE_MAPPING.get(responseCode) ?? 'INTERNAL_SERVER_ERROR';
}

/** The Status an exception turns into (Apache's ResponseBuilder.buildStatus(Throwable)). */
export function statusOf(err: unknown): Status {
  if (err instanceof ProxyError) return { code: err.code, message: err.message };
  // Apache 5.2+ answers both authentication and authorization failures with UNAUTHORIZED.
  if (err instanceof AclError) return { code: 'UNAUTHORIZED', message: err.reason };
  if (err instanceof ResponseError) return { code: codeOfResponse(err.code), message: err.message };
  if (err instanceof RemotingTimeoutError) return { code: 'PROXY_TIMEOUT', message: err.message };
  return { code: 'INTERNAL_SERVER_ERROR', message: err instanceof Error ? err.message : String(err) };
}
