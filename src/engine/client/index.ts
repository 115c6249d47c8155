/** The client engine: producers and consumers that speak RocketMQ 4.9.x classic remoting. */

export { Sql92SyntaxError } from '../filter/sql92/index.js';
export { type AllocateStrategy, allocateAveragely, allocateByCircle } from './allocate.js';
export type { PullStatus, SendResult, SendStatus } from './api/client-api.js';
export { buildClientId, type ClientConfig, localIp } from './client-config.js';
export { MQClientInstance } from './client-instance.js';
export { LocalFileOffsetStore, RemoteOffsetStore } from './consumer/offset-store.js';
export { PullConsumer, type PullConsumerOptions, type PullResult } from './consumer/pull-consumer.js';
export { PushConsumer, type PushConsumerOptions } from './consumer/push-consumer.js';
export type {
  ConcurrentListener,
  ConsumeConcurrentlyContext,
  ConsumeConcurrentlyStatus,
  ConsumeFromWhere,
  ConsumeOrderlyContext,
  ConsumeOrderlyStatus,
  MessageModel,
  OrderlyListener,
} from './consumer/types.js';
export type { Message, MessageExt } from './message.js';
export { type MessageQueue, mqKey } from './message-queue.js';
export { Producer, type ProducerOptions, type SendOptions } from './producer/producer.js';
export { type QueueSelector, selectByHash, selectRandom } from './queue-selector.js';
export { buildSubscription, MessageSelector, TagExpressionError, tagMatches } from './tag-expression.js';
