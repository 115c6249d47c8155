import { createRequest, extStr, type RemotingCommand } from '../remoting-command.js';
import { RequestCode } from '../request-code.js';
import { expectCode } from '../response-error.js';

// DELETE_TOPIC_IN_NAMESRV (216); clusterName (4.9.4+) limits the delete to that cluster's brokers.

export interface DeleteTopicInNamesrvHeader {
  topic: string;
  clusterName?: string;
}

export function buildDeleteTopicInNamesrvRequest(h: DeleteTopicInNamesrvHeader): RemotingCommand {
  return createRequest(RequestCode.DELETE_TOPIC_IN_NAMESRV, { topic: h.topic, clusterName: h.clusterName });
}

export function decodeDeleteTopicInNamesrvHeader(cmd: RemotingCommand): DeleteTopicInNamesrvHeader {
  return { topic: extStr(cmd, 'topic'), clusterName: extStr(cmd, 'clusterName', false) };
}

export function parseDeleteTopicInNamesrvResponse(resp: RemotingCommand): void {
  expectCode(resp, 'DELETE_TOPIC_IN_NAMESRV');
}
