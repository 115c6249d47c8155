import { type ExtraInfo, parseExtraInfo } from '../protocol/pop-extra-info.js';
import { ProxyError } from './status.js';

/**
 * A v2 receipt handle: the broker's POP_CK receipt (what ACK_MESSAGE and CHANGE_MESSAGE_INVISIBLETIME take
 * back verbatim) and, after a tab, the message's commit-log offset (what a forward to the DLQ needs).
 */
export interface ReceiptHandle {
  popCk: string;
  info: ExtraInfo;
  commitLogOffset: number;
}

export function encodeReceiptHandle(popCk: string, commitLogOffset: number): string {
  return `${popCk}\t${commitLogOffset}`;
}

export function decodeReceiptHandle(handle: string): ReceiptHandle {
  const [popCk = '', clo] = handle.split('\t');
  try {
    const info = parseExtraInfo(popCk);
    if (info.queueOffset === undefined) throw new Error('it names no queue offset');
    return { popCk, info, commitLogOffset: clo === undefined ? -1 : Number(clo) };
  } catch (err) {
    throw new ProxyError('INVALID_RECEIPT_HANDLE', `receipt handle is invalid: ${(err as Error).message}`);
  }
}
