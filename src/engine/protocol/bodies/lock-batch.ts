import { toFastjson } from '../fastjson.js';
import { asArray, asObject, asString, parseBodyObject, utf8 } from './json-util.js';
import { type MessageQueueData, messageQueueBean, messageQueueFromObject } from './message-queue-key.js';

/** `LockBatchRequestBody` / `UnlockBatchRequestBody` (LOCK_BATCH_MQ 41 / UNLOCK_BATCH_MQ 42). */
export interface LockBatchRequestBody {
  consumerGroup: string;
  clientId: string;
  mqSet: MessageQueueData[];
}

export function encodeLockBatchRequest(b: LockBatchRequestBody): Buffer {
  return utf8(
    toFastjson({
      clientId: b.clientId,
      consumerGroup: b.consumerGroup,
      mqSet: b.mqSet.map(messageQueueBean),
    }),
  );
}

export function decodeLockBatchRequest(body: Buffer | string): LockBatchRequestBody {
  const obj = parseBodyObject(body, 'LockBatchRequestBody');
  return {
    consumerGroup: asString(obj.consumerGroup, 'consumerGroup'),
    clientId: asString(obj.clientId, 'clientId'),
    mqSet: asArray(obj.mqSet, 'mqSet').map((m, i) =>
      messageQueueFromObject(asObject(m, 'mq'), `mqSet[${i}]`),
    ),
  };
}

/** `LockBatchResponseBody`: the queues this client now holds. */
export function encodeLockBatchResponse(lockOKMQSet: MessageQueueData[]): Buffer {
  return utf8(toFastjson({ lockOKMQSet: lockOKMQSet.map(messageQueueBean) }));
}

export function decodeLockBatchResponse(body: Buffer | string): MessageQueueData[] {
  const obj = parseBodyObject(body, 'LockBatchResponseBody');
  return asArray(obj.lockOKMQSet, 'lockOKMQSet').map((m, i) =>
    messageQueueFromObject(asObject(m, 'mq'), `lockOKMQSet[${i}]`),
  );
}
