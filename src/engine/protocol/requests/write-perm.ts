import { createRequest, extStr, type RemotingCommand } from '../remoting-command.js';
import { RequestCode } from '../request-code.js';
import { expectCode } from '../response-error.js';

// WIPE_WRITE_PERM_OF_BROKER (205) and ADD_WRITE_PERM_OF_BROKER (327).

export function buildWipeWritePermRequest(brokerName: string): RemotingCommand {
  return createRequest(RequestCode.WIPE_WRITE_PERM_OF_BROKER, { brokerName });
}

export function buildAddWritePermRequest(brokerName: string): RemotingCommand {
  return createRequest(RequestCode.ADD_WRITE_PERM_OF_BROKER, { brokerName });
}

export function decodeWritePermHeader(cmd: RemotingCommand): { brokerName: string } {
  return { brokerName: extStr(cmd, 'brokerName') };
}

/** Number of topics changed (`wipeTopicCount` / `addTopicCount`). */
export function parseWritePermResponse(resp: RemotingCommand): number {
  expectCode(
    resp,
    resp.extFields?.addTopicCount !== undefined ? 'ADD_WRITE_PERM_OF_BROKER' : 'WIPE_WRITE_PERM_OF_BROKER',
  );
  const v = resp.extFields?.wipeTopicCount ?? resp.extFields?.addTopicCount ?? '0';
  return Number.parseInt(v, 10) || 0;
}
