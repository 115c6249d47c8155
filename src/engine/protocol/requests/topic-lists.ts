import { decodeTopicList, type TopicList } from '../bodies/topic-list.js';
import { createRequest, extStr, type RemotingCommand } from '../remoting-command.js';
import { RequestCode } from '../request-code.js';
import { expectCode } from '../response-error.js';

// Name-server topic lists: GET_ALL_TOPIC_LIST_FROM_NAMESERVER (206), GET_TOPICS_BY_CLUSTER (224),
// GET_SYSTEM_TOPIC_LIST_FROM_NS (304), GET_UNIT_TOPIC_LIST (311), GET_HAS_UNIT_SUB_TOPIC_LIST (312),
// GET_HAS_UNIT_SUB_UNUNIT_TOPIC_LIST (313). All reply with a TopicList body.

export type TopicListCode =
  | typeof RequestCode.GET_ALL_TOPIC_LIST_FROM_NAMESERVER
  | typeof RequestCode.GET_SYSTEM_TOPIC_LIST_FROM_NS
  | typeof RequestCode.GET_UNIT_TOPIC_LIST
  | typeof RequestCode.GET_HAS_UNIT_SUB_TOPIC_LIST
  | typeof RequestCode.GET_HAS_UNIT_SUB_UNUNIT_TOPIC_LIST;

export function buildTopicListRequest(code: TopicListCode): RemotingCommand {
  return createRequest(code);
}

export function buildGetTopicsByClusterRequest(cluster: string): RemotingCommand {
  return createRequest(RequestCode.GET_TOPICS_BY_CLUSTER, { cluster });
}

export function decodeGetTopicsByClusterHeader(cmd: RemotingCommand): { cluster: string } {
  return { cluster: extStr(cmd, 'cluster') };
}

export function parseTopicListResponse(resp: RemotingCommand, what = 'topic list'): TopicList {
  expectCode(resp, what);
  return resp.body ? decodeTopicList(resp.body) : { topicList: [] };
}
