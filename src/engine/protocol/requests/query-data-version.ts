import { type DataVersion, decodeDataVersion, encodeDataVersion } from '../bodies/data-version.js';
import { createRequest, extLongNum, extStr, type RemotingCommand } from '../remoting-command.js';
import { RequestCode } from '../request-code.js';
import { expectCode } from '../response-error.js';

// QUERY_DATA_VERSION (322): the broker asks whether its DataVersion differs from the name server's copy.

export interface QueryDataVersionHeader {
  brokerName: string;
  brokerAddr: string;
  clusterName: string;
  brokerId: number;
}

export function buildQueryDataVersionRequest(
  h: QueryDataVersionHeader,
  version: DataVersion,
): RemotingCommand {
  return createRequest(
    RequestCode.QUERY_DATA_VERSION,
    { brokerName: h.brokerName, brokerAddr: h.brokerAddr, clusterName: h.clusterName, brokerId: h.brokerId },
    encodeDataVersion(version),
  );
}

export function decodeQueryDataVersionHeader(cmd: RemotingCommand): QueryDataVersionHeader {
  return {
    brokerName: extStr(cmd, 'brokerName'),
    brokerAddr: extStr(cmd, 'brokerAddr'),
    clusterName: extStr(cmd, 'clusterName'),
    brokerId: extLongNum(cmd, 'brokerId'),
  };
}

export interface QueryDataVersionResult {
  changed: boolean;
  /** The name server's copy of the broker's DataVersion, if it has one. */
  nameServerVersion?: DataVersion;
}

export function parseQueryDataVersionResponse(resp: RemotingCommand): QueryDataVersionResult {
  expectCode(resp, 'QUERY_DATA_VERSION');
  const out: QueryDataVersionResult = { changed: resp.extFields?.changed?.toLowerCase() === 'true' };
  if (resp.body && resp.body.length > 0) out.nameServerVersion = decodeDataVersion(resp.body);
  return out;
}
