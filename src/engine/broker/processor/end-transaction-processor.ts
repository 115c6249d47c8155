import {
  decodeRecord,
  MessageConst,
  RMQ_SYS_TRANS_HALF_TOPIC,
  RMQ_SYS_TRANS_OP_HALF_TOPIC,
  resetTransactionValue,
  SysFlag,
} from '../../protocol/message/index.js';
import { extInt, extLongNum, extStr, type RemotingCommand } from '../../protocol/remoting-command.js';
import { ResponseCode } from '../../protocol/response-code.js';
import type { BrokerController } from '../broker-controller.js';
import { reputRecord } from '../reput-record.js';
import { fail, ok } from './responses.js';

/**
 * END_TRANSACTION (37): commit re-puts the half message to its real topic with the COMMIT type and
 * preparedTransactionOffset = the half's commit-log offset; commit and rollback both record an op message
 * (body = the half's queue offset, tag "d") in RMQ_SYS_TRANS_OP_HALF_TOPIC. Unknown (0) changes nothing.
 */
export async function endTransaction(
  ctl: BrokerController,
  req: RemotingCommand,
): Promise<RemotingCommand | null> {
  if (ctl.config.brokerRole === 'SLAVE') {
    return fail(req, ResponseCode.SLAVE_NOT_AVAILABLE, 'Slave Broker can not end transaction');
  }
  extStr(req, 'producerGroup');
  const commitLogOffset = extLongNum(req, 'commitLogOffset');
  const type = extInt(req, 'commitOrRollback');
  if (type !== SysFlag.TRANSACTION_COMMIT_TYPE && type !== SysFlag.TRANSACTION_ROLLBACK_TYPE) return null;
  const raw = await ctl.store.lookMessageByOffset(commitLogOffset);
  if (!raw)
    return fail(
      req,
      ResponseCode.SYSTEM_ERROR,
      `Find prepared transaction message failed, offset ${commitLogOffset}`,
    );
  const half = decodeRecord(raw);
  if (half.topic !== RMQ_SYS_TRANS_HALF_TOPIC) {
    return fail(
      req,
      ResponseCode.SYSTEM_ERROR,
      `the message at ${commitLogOffset} is not a prepared transaction message`,
    );
  }
  if (ctl.transactionCheck.isResolved(half.queueOffset)) return ok(req);
  if (type === SysFlag.TRANSACTION_COMMIT_TYPE) {
    const props = { ...half.properties };
    const topic = props[MessageConst.REAL_TOPIC] ?? '';
    const queueId = Number(props[MessageConst.REAL_QUEUE_ID] ?? 0);
    delete props[MessageConst.REAL_TOPIC];
    delete props[MessageConst.REAL_QUEUE_ID];
    delete props[MessageConst.TRANSACTION_PREPARED];
    const r = await ctl.putMessage(
      reputRecord(half, {
        topic,
        queueId,
        properties: props,
        sysFlag: resetTransactionValue(half.sysFlag, SysFlag.TRANSACTION_COMMIT_TYPE),
        reconsumeTimes: half.reconsumeTimes,
        preparedTransactionOffset: commitLogOffset,
      }),
    );
    if (r.status !== 'PUT_OK' && r.status !== 'FLUSH_DISK_TIMEOUT')
      return fail(req, ResponseCode.SYSTEM_ERROR, r.status);
  }
  ctl.transactionCheck.markResolved(half.queueOffset);
  await ctl.putMessage({
    topic: RMQ_SYS_TRANS_OP_HALF_TOPIC,
    queueId: 0,
    flag: 0,
    body: Buffer.from(String(half.queueOffset)),
    properties: { [MessageConst.TAGS]: 'd' },
    sysFlag: 0,
    bornTimestamp: Date.now(),
    bornHost: ctl.storeHost,
    storeHost: ctl.storeHost,
    reconsumeTimes: 0,
    preparedTransactionOffset: 0,
  });
  return ok(req);
}
