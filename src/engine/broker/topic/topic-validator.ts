import {
  RMQ_SYS_TRANS_HALF_TOPIC,
  RMQ_SYS_TRANS_OP_HALF_TOPIC,
  SCHEDULE_TOPIC,
} from '../../protocol/message/index.js';
import { TIMER_TOPIC } from '../timer/timer-send.js';

/** Names and rules of `TopicValidator.java` (4.9). */
export const AUTO_CREATE_TOPIC_KEY_TOPIC = 'TBW102';
export const RMQ_SYS_SELF_TEST_TOPIC = 'SELF_TEST_TOPIC';
export const RMQ_SYS_BENCHMARK_TOPIC = 'BenchmarkTest';
export const RMQ_SYS_OFFSET_MOVED_EVENT = 'OFFSET_MOVED_EVENT';
export const RMQ_SYS_TRANS_CHECK_MAX_TIME_TOPIC = 'TRANS_CHECK_MAX_TIME_TOPIC';
export const RMQ_SYS_SCHEDULE_TOPIC = SCHEDULE_TOPIC;
export { RMQ_SYS_TRANS_HALF_TOPIC, RMQ_SYS_TRANS_OP_HALF_TOPIC };
export const RETRY_GROUP_TOPIC_PREFIX = '%RETRY%';
export const DLQ_GROUP_TOPIC_PREFIX = '%DLQ%';
export const TOPIC_MAX_LENGTH = 127;
export const VALID_TOPIC_PATTERN = /^[%|a-zA-Z0-9_-]+$/;

/** Topics producers may not send to (NO_PERMISSION). */
const NOT_ALLOWED_SEND = new Set([
  RMQ_SYS_SCHEDULE_TOPIC,
  TIMER_TOPIC,
  RMQ_SYS_TRANS_HALF_TOPIC,
  RMQ_SYS_TRANS_OP_HALF_TOPIC,
  RMQ_SYS_TRANS_CHECK_MAX_TIME_TOPIC,
  RMQ_SYS_SELF_TEST_TOPIC,
  RMQ_SYS_OFFSET_MOVED_EVENT,
]);

export function isNotAllowedSendTopic(topic: string): boolean {
  return NOT_ALLOWED_SEND.has(topic);
}

/** The reason a topic name is unusable, or undefined when it is fine. */
export function topicProblem(topic: string | undefined): string | undefined {
  if (!topic || topic.trim() === '') return 'The specified topic is blank.';
  if (!VALID_TOPIC_PATTERN.test(topic)) {
    return `The specified topic[${topic}] contains illegal characters, allowing only ^[%|a-zA-Z0-9_-]+$`;
  }
  if (topic.length > TOPIC_MAX_LENGTH) {
    return `The specified topic[${topic.slice(0, 20)}...] is longer than topic max length ${TOPIC_MAX_LENGTH}.`;
  }
  return undefined;
}

export function retryTopic(group: string): string {
  return RETRY_GROUP_TOPIC_PREFIX + group;
}

export function dlqTopic(group: string): string {
  return DLQ_GROUP_TOPIC_PREFIX + group;
}

export function isRetryTopic(topic: string): boolean {
  return topic.startsWith(RETRY_GROUP_TOPIC_PREFIX);
}

/** System consumer groups (MixAll.isSysConsumerGroup): created even with autoCreateSubscriptionGroup off. */
export function isSysConsumerGroup(group: string): boolean {
  return group.startsWith('CID_RMQ_SYS_');
}
