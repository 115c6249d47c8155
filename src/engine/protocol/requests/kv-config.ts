import { decodeKVTable, type KVTable } from '../bodies/kv-table.js';
import { createRequest, extStr, type RemotingCommand } from '../remoting-command.js';
import { RequestCode } from '../request-code.js';
import { ResponseCode } from '../response-code.js';
import { expectCode } from '../response-error.js';

// PUT_KV_CONFIG (100), GET_KV_CONFIG (101), DELETE_KV_CONFIG (102), GET_KVLIST_BY_NAMESPACE (219).

export interface KVConfigHeader {
  namespace: string;
  key: string;
}

export function buildPutKVConfigRequest(h: KVConfigHeader & { value: string }): RemotingCommand {
  return createRequest(RequestCode.PUT_KV_CONFIG, { namespace: h.namespace, key: h.key, value: h.value });
}

export function decodePutKVConfigHeader(cmd: RemotingCommand): KVConfigHeader & { value: string } {
  return { namespace: extStr(cmd, 'namespace'), key: extStr(cmd, 'key'), value: extStr(cmd, 'value') };
}

export function buildGetKVConfigRequest(h: KVConfigHeader): RemotingCommand {
  return createRequest(RequestCode.GET_KV_CONFIG, { namespace: h.namespace, key: h.key });
}

export function decodeKVConfigHeader(cmd: RemotingCommand): KVConfigHeader {
  return { namespace: extStr(cmd, 'namespace'), key: extStr(cmd, 'key') };
}

/** The value, or undefined on QUERY_NOT_FOUND; other codes throw. */
export function parseGetKVConfigResponse(resp: RemotingCommand): string | undefined {
  if (resp.code === ResponseCode.QUERY_NOT_FOUND) return undefined;
  expectCode(resp, 'GET_KV_CONFIG');
  return resp.extFields?.value;
}

export function buildDeleteKVConfigRequest(h: KVConfigHeader): RemotingCommand {
  return createRequest(RequestCode.DELETE_KV_CONFIG, { namespace: h.namespace, key: h.key });
}

export function buildGetKVListByNamespaceRequest(namespace: string): RemotingCommand {
  return createRequest(RequestCode.GET_KVLIST_BY_NAMESPACE, { namespace });
}

export function decodeGetKVListByNamespaceHeader(cmd: RemotingCommand): { namespace: string } {
  return { namespace: extStr(cmd, 'namespace') };
}

/** The namespace's table, or undefined on QUERY_NOT_FOUND. */
export function parseGetKVListByNamespaceResponse(resp: RemotingCommand): KVTable | undefined {
  if (resp.code === ResponseCode.QUERY_NOT_FOUND) return undefined;
  expectCode(resp, 'GET_KVLIST_BY_NAMESPACE');
  return resp.body ? decodeKVTable(resp.body) : { table: {} };
}
