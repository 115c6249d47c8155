import { FastjsonSet, toFastjson } from '../fastjson.js';
import { asArray, asString, parseBodyObject, utf8 } from './json-util.js';

/** `TopicList` body: `{"topicList":[...]}`, plus `brokerAddr` when set (protocol.md §7.7). */
export interface TopicList {
  topicList: string[];
  brokerAddr?: string;
}

export function encodeTopicList(t: TopicList): Buffer {
  return utf8(toFastjson({ brokerAddr: t.brokerAddr, topicList: new FastjsonSet(t.topicList) })); // a Java HashSet
}

export function decodeTopicList(body: Buffer | string): TopicList {
  const obj = parseBodyObject(body, 'TopicList');
  const out: TopicList = {
    topicList: asArray(obj.topicList, 'topicList').map((s, i) => asString(s, `topicList[${i}]`)),
  };
  if (obj.brokerAddr !== undefined && obj.brokerAddr !== null)
    out.brokerAddr = asString(obj.brokerAddr, 'brokerAddr');
  return out;
}
