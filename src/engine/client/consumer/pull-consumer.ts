import { MASTER_ID } from '../../protocol/bodies/topic-route-data.js';
import { PullSysFlag } from '../../protocol/requests/pull-message.js';
import type { PullStatus } from '../api/client-api.js';
import { type ClientConfig, checkTopic } from '../client-config.js';
import { MQClientInstance } from '../client-instance.js';
import { decodeMessagesTolerant, type MessageExt, nextPullOffset } from '../message.js';
import type { MessageQueue } from '../message-queue.js';
import { compareMq } from '../message-queue.js';
import { buildSubscription, type MessageSelector, matchesAllTags, tagMatches } from '../tag-expression.js';
import { toSubscribeQueues } from '../topic-route.js';

export interface PullResult {
  status: PullStatus;
  nextBeginOffset: number;
  minOffset: number;
  maxOffset: number;
  msgs: MessageExt[];
}

export interface PullConsumerOptions extends ClientConfig {
  groupName?: string;
}

let toolSeq = 0;

/**
 * A simple pull consumer for tools: you choose queues and offsets; nothing is committed unless you call
 * updateConsumeOffset. Pulls never long-poll unless asked (`suspendMs`).
 */
export class PullConsumer {
  readonly groupName: string;
  private instance: MQClientInstance | null = null;
  private readonly toolName = `pull-consumer-${++toolSeq}`;

  constructor(private readonly opts: PullConsumerOptions = {}) {
    this.groupName = opts.groupName ?? 'TOOLS_CONSUMER';
  }

  async start(): Promise<void> {
    if (this.instance) return;
    const inst = MQClientInstance.getOrCreate(this.opts);
    if (inst.namesrvAddrs.length === 0)
      throw new Error('no name server address set (use -n host:port or NAMESRV_ADDR)');
    inst.registerTool(this.toolName);
    this.instance = inst;
  }

  async shutdown(): Promise<void> {
    const inst = this.instance;
    this.instance = null;
    if (inst) await inst.unregisterTool(this.toolName);
  }

  get client(): MQClientInstance {
    if (!this.instance) throw new Error('the pull consumer is not started (call start() first)');
    return this.instance;
  }

  /** Readable queues of `topic`, sorted; throws when the topic does not exist. */
  async fetchMessageQueues(topic: string): Promise<MessageQueue[]> {
    checkTopic(topic);
    const inst = this.client;
    const found = await inst.updateTopicRoute(topic);
    const route = inst.getRoute(topic);
    if (!found || !route) throw new Error(`topic ${topic} does not exist`);
    return toSubscribeQueues(topic, route).sort(compareMq);
  }

  private async addr(mq: MessageQueue): Promise<string> {
    const inst = this.client;
    let a = inst.findBrokerAddressInSubscribe(mq.brokerName, MASTER_ID);
    if (!a) {
      await inst.updateTopicRoute(mq.topic);
      a = inst.findBrokerAddressInSubscribe(mq.brokerName, MASTER_ID);
    }
    if (!a) throw new Error(`the broker ${mq.brokerName} does not exist`);
    return a.addr;
  }

  async pull(
    mq: MessageQueue,
    expression: string | MessageSelector,
    offset: number,
    maxNums: number,
    opts: { suspendMs?: number; timeoutMs?: number } = {},
  ): Promise<PullResult> {
    const sub = buildSubscription(mq.topic, expression);
    const inst = this.client;
    const suspend = opts.suspendMs ?? 0;
    const r = await inst.api.pullMessage(
      await this.addr(mq),
      {
        consumerGroup: this.groupName,
        topic: mq.topic,
        queueId: mq.queueId,
        queueOffset: offset,
        maxMsgNums: maxNums,
        sysFlag: PullSysFlag.SUBSCRIPTION | (suspend > 0 ? PullSysFlag.SUSPEND : 0),
        commitOffset: 0,
        suspendTimeoutMillis: suspend,
        subscription: sub.subString,
        subVersion: sub.subVersion,
        expressionType: sub.expressionType,
        brokerName: mq.brokerName,
      },
      opts.timeoutMs ?? Math.max(inst.timeoutMs, suspend + 15000),
    );
    // A record that fails to decode is logged and left out, as in PushConsumer.
    const decoded =
      r.status === 'FOUND' && r.body ? decodeMessagesTolerant(r.body, mq.brokerName) : undefined;
    for (const b of decoded?.bad ?? [])
      inst.log.warn(
        { mq, queueOffset: b.queueOffset, commitLogOffset: b.commitLogOffset, err: b.error },
        'undecodable message skipped',
      );
    const pull = { min: String(r.minOffset), max: String(r.maxOffset) };
    const all = matchesAllTags(sub);
    const msgs = (decoded?.messages ?? []).filter((m) => {
      m.putPullOffsets(pull);
      return all || tagMatches(sub, m.tags);
    });
    return {
      status: r.status,
      nextBeginOffset: decoded ? nextPullOffset(decoded, offset, r.nextBeginOffset) : r.nextBeginOffset,
      minOffset: r.minOffset,
      maxOffset: r.maxOffset,
      msgs,
    };
  }

  async minOffset(mq: MessageQueue): Promise<number> {
    return this.client.api.getMinOffset(await this.addr(mq), mq, this.client.timeoutMs);
  }

  async maxOffset(mq: MessageQueue): Promise<number> {
    return this.client.api.getMaxOffset(await this.addr(mq), mq, this.client.timeoutMs);
  }

  async searchOffset(mq: MessageQueue, timestamp: number): Promise<number> {
    return this.client.api.searchOffset(await this.addr(mq), mq, timestamp, this.client.timeoutMs);
  }

  async earliestMsgStoreTime(mq: MessageQueue): Promise<number> {
    return this.client.api.getEarliestMsgStoreTime(await this.addr(mq), mq, this.client.timeoutMs);
  }

  /** Committed offset of this consumer's group, -1 if none. */
  async fetchConsumeOffset(mq: MessageQueue): Promise<number> {
    return this.client.api.queryConsumerOffset(
      await this.addr(mq),
      this.groupName,
      mq,
      this.client.timeoutMs,
    );
  }

  async updateConsumeOffset(mq: MessageQueue, offset: number): Promise<void> {
    await this.client.api.updateConsumerOffset(
      await this.addr(mq),
      this.groupName,
      mq,
      offset,
      false,
      this.client.timeoutMs,
    );
  }
}
