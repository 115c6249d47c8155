import {
  extInt,
  extLong,
  extLongNum,
  extStr,
  type RemotingCommand,
} from '../../protocol/remoting-command.js';
import { ResponseCode } from '../../protocol/response-code.js';
import type { BrokerController } from '../broker-controller.js';
import { fail, ok } from './responses.js';

/** QUERY_MESSAGE (12): by key, or by UNIQ_KEY with `_UNIQUE_KEY_QUERY=true` (then maxNum = defaultQueryMaxNum). */
export async function queryMessage(ctl: BrokerController, req: RemotingCommand): Promise<RemotingCommand> {
  const topic = extStr(req, 'topic');
  const key = extStr(req, 'key');
  let maxNum = extInt(req, 'maxNum');
  // Java's admin asks for [0, Long.MAX_VALUE]: clamp to the safe-integer range, which no store timestamp reaches.
  const begin = clampToSafe(extLong(req, 'beginTimestamp'));
  const end = clampToSafe(extLong(req, 'endTimestamp'));
  if (req.extFields?._UNIQUE_KEY_QUERY === 'true') maxNum = ctl.config.defaultQueryMaxNum;
  const r = await ctl.store.queryMessage(topic, key, maxNum, begin, end);
  const ext = {
    indexLastUpdateTimestamp: r.indexLastUpdateTimestamp,
    indexLastUpdatePhyoffset: r.indexLastUpdatePhyoffset,
  };
  if (r.buffers.length === 0) {
    return fail(req, ResponseCode.QUERY_NOT_FOUND, 'can not find message, maybe time range not correct', ext);
  }
  return ok(req, ext, Buffer.concat(r.buffers));
}

function clampToSafe(v: bigint): number {
  if (v > BigInt(Number.MAX_SAFE_INTEGER)) return Number.MAX_SAFE_INTEGER;
  if (v < BigInt(Number.MIN_SAFE_INTEGER)) return Number.MIN_SAFE_INTEGER;
  return Number(v);
}

/** VIEW_MESSAGE_BY_ID (33): the raw record at a commit-log offset. */
export async function viewMessageById(ctl: BrokerController, req: RemotingCommand): Promise<RemotingCommand> {
  const offset = extLongNum(req, 'offset');
  const raw = await ctl.store.lookMessageByOffset(offset);
  if (!raw) return fail(req, ResponseCode.SYSTEM_ERROR, `can not find message by the offset, ${offset}`);
  return ok(req, undefined, raw);
}
