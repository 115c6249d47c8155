import { createResponse, type ExtInput, type RemotingCommand } from '../../protocol/remoting-command.js';
import { ResponseCode } from '../../protocol/response-code.js';

/** Shorthands for replies; every reply echoes the request's opaque and serialize type. */
export function ok(req: RemotingCommand, ext?: ExtInput, body?: Buffer | null): RemotingCommand {
  return createResponse(req, ResponseCode.SUCCESS, undefined, ext, body);
}

export function fail(req: RemotingCommand, code: number, remark: string, ext?: ExtInput): RemotingCommand {
  return createResponse(req, code, remark, ext);
}

/** How users create a topic, for TOPIC_NOT_EXIST remarks. */
export function howToCreateTopic(topic: string, namesrv: string, cluster: string): string {
  const n = namesrv || '127.0.0.1:9876';
  return `create it first: mqadmin updateTopic -n ${n} -c ${cluster} -t ${topic} (or: mq updateTopic -n ${n} -c ${cluster} -t ${topic}), or set autoCreateTopicEnable=true in broker.conf`;
}
