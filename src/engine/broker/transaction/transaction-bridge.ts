import {
  MessageConst,
  RMQ_SYS_TRANS_HALF_TOPIC,
  resetTransactionValue,
  SysFlag,
} from '../../protocol/message/index.js';
import type { MessageExtBrokerInner } from '../../store/types.js';

/**
 * Half messages (TransactionalMessageBridge.parseHalfMessageInner): a prepared message is parked in
 * RMQ_SYS_TRANS_HALF_TOPIC queue 0 with its real destination in REAL_TOPIC / REAL_QID and the transaction
 * bits cleared, so it is stored and indexed but invisible to consumers until END_TRANSACTION commits it.
 */
export function toHalfMessage(msg: MessageExtBrokerInner, props: Record<string, string>): void {
  props[MessageConst.REAL_TOPIC] = msg.topic;
  props[MessageConst.REAL_QUEUE_ID] = String(msg.queueId);
  msg.sysFlag = resetTransactionValue(msg.sysFlag, SysFlag.TRANSACTION_NOT_TYPE);
  msg.topic = RMQ_SYS_TRANS_HALF_TOPIC;
  msg.queueId = 0;
}
