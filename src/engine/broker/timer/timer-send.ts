import { MessageConst } from '../../protocol/message/index.js';
import { ResponseCode } from '../../protocol/response-code.js';
import type { MessageExtBrokerInner } from '../../store/types.js';
import type { BrokerConfig } from '../config/broker-config.js';

/** TimerMessageStore.TIMER_TOPIC: where timer messages wait, one queue. */
export const TIMER_TOPIC = 'rmq_sys_wheel_timer';

export interface SendRefusal {
  code: number;
  remark: string;
}

/** 5.x's remark for WHEEL_TIMER_MSG_ILLEGAL. */
export function timerIllegalRemark(config: BrokerConfig): string {
  return `timer message illegal, the delay time should not be bigger than the max delay ${config.timerMaxDelaySec * 1000}ms; or if set del msg, the delay time should be bigger than the current time`;
}

/**
 * HookUtils.checkIfTimerMessage + transformTimerMessage: a message with TIMER_DELIVER_MS, TIMER_DELAY_SEC
 * or TIMER_DELAY_MS (and no DELAY level, which wins and drops them) is parked in the timer topic with its
 * real topic/queue in REAL_TOPIC/REAL_QID and its slot time in TIMER_OUT_MS. Past-due times leave it a
 * normal message. Returns why the send is refused, or undefined.
 *
 * Unlike 5.x, which rounds the time down to the precision (delivering up to one tick early), the slot is
 * the first tick at or after the asked time, so a timer never fires before it.
 */
export function applyTimer(
  config: BrokerConfig,
  msg: MessageExtBrokerInner,
  props: Record<string, string>,
  now = Date.now(),
): SendRefusal | undefined {
  const sec = props[MessageConst.TIMER_DELAY_SEC];
  const ms = props[MessageConst.TIMER_DELAY_MS];
  const at = props[MessageConst.TIMER_DELIVER_MS];
  if (sec === undefined && ms === undefined && at === undefined) return undefined;
  if (Number(props[MessageConst.DELAY_TIME_LEVEL] ?? 0) > 0) {
    delete props[MessageConst.TIMER_DELAY_SEC];
    delete props[MessageConst.TIMER_DELAY_MS];
    delete props[MessageConst.TIMER_DELIVER_MS];
    return undefined;
  }
  // Already converted once (a delivered timer put again, e.g. resent from a console): not a timer again.
  if (msg.topic === TIMER_TOPIC || props[MessageConst.TIMER_OUT_MS] !== undefined) return undefined;
  if (!config.timerWheelEnable) {
    return {
      code: ResponseCode.SYSTEM_ERROR,
      remark: `accurate timer message is not enabled, timerWheelEnable is ${config.timerWheelEnable}`,
    };
  }
  const long = (v: string) => (/^-?\d{1,19}$/.test(v.trim()) ? Number(v.trim()) : Number.NaN);
  const deliverMs =
    sec !== undefined ? now + long(sec) * 1000 : ms !== undefined ? now + long(ms) : long(at!);
  if (!Number.isFinite(deliverMs))
    return { code: ResponseCode.MESSAGE_ILLEGAL, remark: timerIllegalRemark(config) };
  if (deliverMs <= now) {
    if (props[MessageConst.TIMER_DEL_UNIQKEY] !== undefined)
      return { code: ResponseCode.MESSAGE_ILLEGAL, remark: timerIllegalRemark(config) };
    return undefined;
  }
  if (deliverMs - now > config.timerMaxDelaySec * 1000)
    return { code: ResponseCode.MESSAGE_ILLEGAL, remark: timerIllegalRemark(config) };
  const p = Math.max(1, config.timerPrecisionMs);
  props[MessageConst.TIMER_OUT_MS] = String(Math.ceil(deliverMs / p) * p);
  props[MessageConst.REAL_TOPIC] = msg.topic;
  props[MessageConst.REAL_QUEUE_ID] = String(msg.queueId);
  msg.topic = TIMER_TOPIC;
  msg.queueId = 0;
  return undefined;
}
