import { type ClusterInfo, decodeClusterInfo } from '../bodies/cluster-info.js';
import { createRequest, type RemotingCommand } from '../remoting-command.js';
import { RequestCode } from '../request-code.js';
import { expectCode } from '../response-error.js';

// GET_BROKER_CLUSTER_INFO (106).

export function buildGetBrokerClusterInfoRequest(): RemotingCommand {
  return createRequest(RequestCode.GET_BROKER_CLUSTER_INFO);
}

export function parseGetBrokerClusterInfoResponse(resp: RemotingCommand): ClusterInfo {
  expectCode(resp, 'GET_BROKER_CLUSTER_INFO');
  return resp.body ? decodeClusterInfo(resp.body) : { brokerAddrTable: {}, clusterAddrTable: {} };
}
