import { toFastjson } from '../fastjson.js';
import { asArray, asString, parseBodyObject, utf8 } from './json-util.js';

/** `GetConsumerListByGroupResponseBody` (GET_CONSUMER_LIST_BY_GROUP, 38): `{"consumerIdList":[...]}`. */
export function encodeConsumerIdList(ids: readonly string[]): Buffer {
  return utf8(toFastjson({ consumerIdList: [...ids] }));
}

export function decodeConsumerIdList(body: Buffer | string): string[] {
  const obj = parseBodyObject(body, 'GetConsumerListByGroupResponseBody');
  return asArray(obj.consumerIdList, 'consumerIdList').map((s, i) => asString(s, `consumerIdList[${i}]`));
}

/** `GroupList` (QUERY_TOPIC_CONSUME_BY_WHO, 300): `{"groupList":[...]}`. */
export function encodeGroupList(groups: Iterable<string>): Buffer {
  return utf8(toFastjson({ groupList: [...groups] }));
}

export function decodeGroupList(body: Buffer | string): string[] {
  const obj = parseBodyObject(body, 'GroupList');
  return asArray(obj.groupList, 'groupList').map((s, i) => asString(s, `groupList[${i}]`));
}
