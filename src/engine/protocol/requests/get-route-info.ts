import { decodeTopicRouteData, type TopicRouteData } from '../bodies/topic-route-data.js';
import { createRequest, extBool, extStr, type RemotingCommand } from '../remoting-command.js';
import { RequestCode } from '../request-code.js';
import { ResponseCode } from '../response-code.js';
import { expectCode } from '../response-error.js';

// GET_ROUTEINFO_BY_TOPIC (105).

export interface GetRouteInfoHeader {
  topic: string;
  /** 4.9.4+: ask for standard JSON regardless of version. */
  acceptStandardJsonOnly?: boolean;
}

export function buildGetRouteInfoRequest(topic: string, acceptStandardJsonOnly?: boolean): RemotingCommand {
  return createRequest(RequestCode.GET_ROUTEINFO_BY_TOPIC, { topic, acceptStandardJsonOnly });
}

export function decodeGetRouteInfoHeader(cmd: RemotingCommand): GetRouteInfoHeader {
  return {
    topic: extStr(cmd, 'topic'),
    acceptStandardJsonOnly: extBool(cmd, 'acceptStandardJsonOnly', false),
  };
}

/** The route, or undefined on TOPIC_NOT_EXIST; other codes throw ResponseError. */
export function parseGetRouteInfoResponse(resp: RemotingCommand): TopicRouteData | undefined {
  if (resp.code === ResponseCode.TOPIC_NOT_EXIST) return undefined;
  expectCode(resp, 'GET_ROUTEINFO_BY_TOPIC');
  if (!resp.body) throw new Error('GET_ROUTEINFO_BY_TOPIC: reply has no body');
  return decodeTopicRouteData(resp.body);
}
