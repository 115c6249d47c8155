import { createRequest, extLongNum, extStr, type RemotingCommand } from '../remoting-command.js';
import { RequestCode } from '../request-code.js';
import { expectCode } from '../response-error.js';

// UNREGISTER_BROKER (104).

export interface UnregisterBrokerHeader {
  brokerName: string;
  brokerAddr: string;
  clusterName: string;
  brokerId: number;
}

export function buildUnregisterBrokerRequest(h: UnregisterBrokerHeader): RemotingCommand {
  return createRequest(RequestCode.UNREGISTER_BROKER, {
    brokerName: h.brokerName,
    brokerAddr: h.brokerAddr,
    clusterName: h.clusterName,
    brokerId: h.brokerId,
  });
}

export function decodeUnregisterBrokerHeader(cmd: RemotingCommand): UnregisterBrokerHeader {
  return {
    brokerName: extStr(cmd, 'brokerName'),
    brokerAddr: extStr(cmd, 'brokerAddr'),
    clusterName: extStr(cmd, 'clusterName'),
    brokerId: extLongNum(cmd, 'brokerId'),
  };
}

export function parseUnregisterBrokerResponse(resp: RemotingCommand): void {
  expectCode(resp, 'UNREGISTER_BROKER');
}
