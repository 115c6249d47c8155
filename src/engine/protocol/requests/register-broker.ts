import { crc32 } from 'node:zlib';
import { decodeKVTable, type KVTable } from '../bodies/kv-table.js';
import { encodeRegisterBrokerBody, type RegisterBrokerBody } from '../bodies/register-broker-body.js';
import {
  createRequest,
  extBool,
  extInt,
  extLongNum,
  extStr,
  markOneway,
  type RemotingCommand,
} from '../remoting-command.js';
import { RequestCode } from '../request-code.js';
import { expectCode } from '../response-error.js';

// REGISTER_BROKER (103), protocol.md §2.1 and §8.1.

export interface RegisterBrokerHeader {
  brokerName: string;
  brokerAddr: string;
  clusterName: string;
  haServerAddr: string;
  brokerId: number;
  compressed: boolean;
  /** Masked CRC32 of the body bytes; 0 = skip the check. */
  bodyCrc32: number;
}

/** RocketMQ's `UtilAll.crc32`: zlib CRC32 with the sign bit cleared. */
export function maskedCrc32(buf: Buffer): number {
  return crc32(buf) & 0x7fffffff;
}

export interface RegisterBrokerArgs extends Omit<RegisterBrokerHeader, 'bodyCrc32' | 'compressed'> {
  body: RegisterBrokerBody;
  compressed?: boolean;
  oneway?: boolean;
}

/** Builds the request with the encoded body and its CRC, field order as Java's header class. */
export function buildRegisterBrokerRequest(a: RegisterBrokerArgs): RemotingCommand {
  const compressed = a.compressed === true;
  return buildRegisterBrokerRequestWithBody(a, encodeRegisterBrokerBody(a.body, compressed), compressed);
}

/** The request around a body already encoded (once for every name server, as Java's BrokerOuterAPI does). */
export function buildRegisterBrokerRequestWithBody(
  a: Omit<RegisterBrokerArgs, 'body' | 'compressed'>,
  body: Buffer,
  compressed: boolean,
): RemotingCommand {
  const cmd = createRequest(
    RequestCode.REGISTER_BROKER,
    {
      brokerName: a.brokerName,
      brokerAddr: a.brokerAddr,
      clusterName: a.clusterName,
      haServerAddr: a.haServerAddr,
      brokerId: a.brokerId,
      compressed,
      bodyCrc32: maskedCrc32(body),
    },
    body,
  );
  return a.oneway ? markOneway(cmd) : cmd;
}

export function decodeRegisterBrokerHeader(cmd: RemotingCommand): RegisterBrokerHeader {
  return {
    brokerName: extStr(cmd, 'brokerName'),
    brokerAddr: extStr(cmd, 'brokerAddr'),
    clusterName: extStr(cmd, 'clusterName'),
    haServerAddr: extStr(cmd, 'haServerAddr'),
    brokerId: extLongNum(cmd, 'brokerId'),
    compressed: extBool(cmd, 'compressed', false) ?? false,
    bodyCrc32: extInt(cmd, 'bodyCrc32', false) ?? 0,
  };
}

export interface RegisterBrokerResult {
  /** The master's HA address (slaves only). */
  haServerAddr?: string;
  /** The master's address (slaves only). */
  masterAddr?: string;
  /** KV config of namespace ORDER_TOPIC_CONFIG, if any. */
  kvTable?: KVTable;
}

export function parseRegisterBrokerResponse(resp: RemotingCommand): RegisterBrokerResult {
  expectCode(resp, 'REGISTER_BROKER');
  const out: RegisterBrokerResult = {};
  if (resp.extFields?.haServerAddr) out.haServerAddr = resp.extFields.haServerAddr;
  if (resp.extFields?.masterAddr) out.masterAddr = resp.extFields.masterAddr;
  if (resp.body && resp.body.length > 0) out.kvTable = decodeKVTable(resp.body);
  return out;
}
