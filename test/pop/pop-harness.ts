import { MQClientAPI, type PopResult, popReceipt } from '../../src/engine/client/api/client-api.js';
import { type MessageExt, Producer } from '../../src/engine/client/index.js';
import { parseExtraInfo } from '../../src/engine/protocol/pop-extra-info.js';
import { RequestCode } from '../../src/engine/protocol/request-code.js';
import type { PopMessageRequestHeader } from '../../src/engine/protocol/requests/pop-message.js';
import { type Cluster, startCluster } from '../broker/harness.js';

export const BROKER = 'broker-t';

/** A name server and broker (child processes), a producer and the classic-protocol POP calls. */
export interface PopCluster {
  c: Cluster;
  api: MQClientAPI;
  producer: Producer;
  /** One pop; `opts` overrides the header (defaults: any queue, 32 messages, 3 s invisible, no poll). */
  pop(
    group: string,
    topic: string,
    opts?: Partial<PopMessageRequestHeader>,
    timeoutMs?: number,
  ): Promise<PopResult>;
  ack(group: string, m: MessageExt): Promise<void>;
  changeInvisible(group: string, m: MessageExt, ms: number): Promise<string>;
  send(topic: string, body: string, opts?: { tags?: string; queueId?: number }): Promise<void>;
  subGroup(group: string, extra?: Record<string, string | number | boolean>): Promise<void>;
  stop(): Promise<void>;
}

export async function startPopCluster(): Promise<PopCluster> {
  const c = await startCluster();
  const api = new MQClientAPI(c.client);
  const producer = new Producer({ namesrvAddr: c.namesrv, instanceName: `pop${process.pid}` });
  await producer.start();
  const pc: PopCluster = {
    c,
    api,
    producer,
    pop: (group, topic, opts = {}, timeoutMs = 10_000) =>
      api.popMessage(
        c.brokerAddr,
        {
          consumerGroup: group,
          topic,
          queueId: -1,
          maxMsgNums: 32,
          invisibleTime: 3000,
          pollTime: 0,
          bornTime: Date.now(),
          initMode: 0,
          brokerName: BROKER,
          ...opts,
        },
        timeoutMs,
      ),
    ack: (group, m) =>
      api.ackMessage(
        c.brokerAddr,
        {
          consumerGroup: group,
          topic: m.topic,
          queueId: m.queueId,
          extraInfo: popReceipt(m),
          offset: m.queueOffset,
        },
        5000,
      ),
    async changeInvisible(group, m, ms) {
      const r = await api.changeInvisibleTime(
        c.brokerAddr,
        {
          consumerGroup: group,
          topic: m.topic,
          queueId: m.queueId,
          extraInfo: popReceipt(m),
          offset: m.queueOffset,
          invisibleTime: ms,
        },
        5000,
      );
      m.properties.POP_CK = r.extraInfo;
      return r.extraInfo;
    },
    async send(topic, body, opts = {}) {
      const mq =
        opts.queueId === undefined ? undefined : { topic, brokerName: BROKER, queueId: opts.queueId };
      const r = await producer.send({ topic, body, tags: opts.tags }, mq ? { queue: mq } : undefined);
      if (r.sendStatus !== 'SEND_OK') throw new Error(`send: ${r.sendStatus}`);
    },
    async subGroup(group, extra = {}) {
      const body = Buffer.from(
        JSON.stringify({
          groupName: group,
          consumeEnable: true,
          consumeFromMinEnable: true,
          consumeBroadcastEnable: true,
          retryQueueNums: 1,
          retryMaxTimes: 16,
          brokerId: 0,
          whichBrokerWhenConsumeSlowly: 1,
          notifyConsumerIdsChangedEnable: true,
          ...extra,
        }),
      );
      const r = await c.call(RequestCode.UPDATE_AND_CREATE_SUBSCRIPTIONGROUP, undefined, body);
      if (r.code !== 0) throw new Error(`update group ${group}: ${r.code} ${r.remark}`);
    },
    async stop() {
      await producer.shutdown();
      await c.stop();
    },
  };
  return pc;
}

/** The receipt's fields, for assertions. */
export const receipt = (m: MessageExt) => parseExtraInfo(popReceipt(m));
export const bodies = (r: PopResult) => r.msgs.map((m) => m.body.toString()).sort();
