// rocketmq-dashboard's JSON envelope (JsonResult): every API answer is {status, data, errMsg}; a failure
// has status -1 (GlobalExceptionHandler's code for anything that is not a ServiceException) and no data.

export interface Envelope<T = unknown> {
  status: number;
  data: T | null;
  errMsg: string | null;
}

export function ok<T>(data: T): Envelope<T> {
  return { status: 0, data, errMsg: null };
}

export function fail(errMsg: string, status = -1): Envelope<never> {
  return { status, data: null, errMsg };
}

/** A request the console refuses before calling the cluster: answered as status -1 with HTTP 400. */
export class BadRequest extends Error {}
