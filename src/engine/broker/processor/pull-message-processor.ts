import type { SubscriptionData } from '../../protocol/bodies/heartbeat-data.js';
import type { RemotingCommand } from '../../protocol/remoting-command.js';
import { decodePullHeader, PullSysFlag } from '../../protocol/requests/pull-message.js';
import { ResponseCode } from '../../protocol/response-code.js';
import type { Channel, RequestProcessor } from '../../remoting/index.js';
import type { BrokerController } from '../broker-controller.js';
import { buildSubscriptionData, tagsFilter } from '../longpolling/subscription-filter.js';
import { isReadable } from '../perm.js';
import { RETRY_GROUP_TOPIC_PREFIX } from '../topic/topic-validator.js';
import { fail } from './responses.js';

/** PULL_MESSAGE (11): protocol.md §3.5–3.7. */
export function pullMessageProcessor(ctl: BrokerController): RequestProcessor {
  return (req, ch) => processPull(ctl, req, ch, true);
}

/** `allowSuspend` is false when a held request is re-run (then it always answers). */
export async function processPull(
  ctl: BrokerController,
  req: RemotingCommand,
  ch: Channel,
  allowSuspend: boolean,
): Promise<RemotingCommand | null> {
  const h = decodePullHeader(req);
  const cfg = ctl.config;
  if (!isReadable(cfg.brokerPermission)) {
    return fail(req, ResponseCode.NO_PERMISSION, `the broker[${cfg.brokerIP1}] pulling message is forbidden`);
  }
  const sg = ctl.subscriptionGroupManager.find(h.consumerGroup);
  if (!sg) {
    return fail(
      req,
      ResponseCode.SUBSCRIPTION_GROUP_NOT_EXIST,
      `subscription group [${h.consumerGroup}] does not exist`,
    );
  }
  if (!sg.consumeEnable) {
    return fail(req, ResponseCode.NO_PERMISSION, `subscription group no permission, ${h.consumerGroup}`);
  }
  const hasSuspend = (h.sysFlag & PullSysFlag.SUSPEND) !== 0;
  const hasCommit = (h.sysFlag & PullSysFlag.COMMIT_OFFSET) !== 0;
  const hasSubscription = (h.sysFlag & PullSysFlag.SUBSCRIPTION) !== 0;
  const tc = ctl.topicConfigManager.select(h.topic);
  if (!tc) return fail(req, ResponseCode.TOPIC_NOT_EXIST, `topic[${h.topic}] not exist, apply first please!`);
  if (!isReadable(tc.perm)) {
    return fail(req, ResponseCode.NO_PERMISSION, `the topic[${h.topic}] pulling message is forbidden`);
  }
  if (h.queueId < 0 || h.queueId >= tc.readQueueNums) {
    return fail(
      req,
      ResponseCode.SYSTEM_ERROR,
      `queueId[${h.queueId}] is illegal, topic:[${h.topic}] topicConfig.readQueueNums:[${tc.readQueueNums}] consumer:[${ch.remoteAddress}]`,
    );
  }
  let sub: SubscriptionData | undefined;
  if (hasSubscription) {
    try {
      sub = buildSubscriptionData(h.topic, h.subscription, h.expressionType);
    } catch {
      return fail(req, ResponseCode.SUBSCRIPTION_PARSE_FAILED, "parse the consumer's subscription failed");
    }
  } else {
    const g = ctl.consumerManager.get(h.consumerGroup);
    if (!g) return fail(req, ResponseCode.SUBSCRIPTION_NOT_EXIST, "the consumer's group info not exist");
    if (!sg.consumeBroadcastEnable && g.messageModel === 'BROADCASTING') {
      return fail(
        req,
        ResponseCode.NO_PERMISSION,
        `the consumer group[${h.consumerGroup}] can not consume by broadcast way`,
      );
    }
    sub = g.subscriptions.get(h.topic);
    if (!sub) return fail(req, ResponseCode.SUBSCRIPTION_NOT_EXIST, "the consumer's subscription not exist");
    if (sub.subVersion < h.subVersion) {
      return fail(req, ResponseCode.SUBSCRIPTION_NOT_LATEST, "the consumer's subscription not latest");
    }
  }
  let recordFilter: ((record: Buffer) => boolean) | undefined;
  if (sub.expressionType !== 'TAG') {
    if (sub.expressionType !== 'SQL92' || !cfg.enablePropertyFilter) {
      return fail(
        req,
        ResponseCode.SYSTEM_ERROR,
        `The broker does not support consumer to filter message by ${sub.expressionType}`,
      );
    }
    // Retry topics are not filtered (Java's default, filterSupportRetry=false): the group's retries are
    // messages it already selected.
    if (!h.topic.startsWith(RETRY_GROUP_TOPIC_PREFIX)) {
      try {
        recordFilter = ctl.sql92Filters.recordFilter(sub.subString);
      } catch (e) {
        return fail(
          req,
          ResponseCode.SUBSCRIPTION_PARSE_FAILED,
          `parse the consumer's subscription[${sub.subString}] failed: ${(e as Error).message}`,
        );
      }
    }
  }
  const filter = tagsFilter(sub);
  // The commit-offset side effect happens before the read is awaited: a commit that landed after the await
  // could overtake a later UPDATE_CONSUMER_OFFSET from the queue's next owner and move the group backwards.
  if (allowSuspend && hasCommit && cfg.brokerRole !== 'SLAVE') {
    ctl.consumerOffsetManager.commitOffset(
      ch.remoteAddress,
      h.consumerGroup,
      h.topic,
      h.queueId,
      h.commitOffset,
    );
  }
  const begin = Date.now();
  const r = await ctl.store.getMessage(h.topic, h.queueId, h.queueOffset, h.maxMsgNums, filter, recordFilter);
  ctl.stats.storeGet(r.status === 'FOUND', Date.now() - begin);

  let suggest = 0;
  if (cfg.slaveReadEnable)
    suggest = r.suggestPullingFromSlave ? sg.whichBrokerWhenConsumeSlowly : sg.brokerId;
  let code: number;
  switch (r.status) {
    case 'FOUND':
      code = ResponseCode.SUCCESS;
      break;
    case 'MESSAGE_WAS_REMOVING':
    case 'NO_MATCHED_MESSAGE':
      code = ResponseCode.PULL_RETRY_IMMEDIATELY;
      break;
    case 'NO_MATCHED_LOGIC_QUEUE':
    case 'NO_MESSAGE_IN_QUEUE':
      code = h.queueOffset !== 0 ? ResponseCode.PULL_OFFSET_MOVED : ResponseCode.PULL_NOT_FOUND;
      break;
    case 'OFFSET_FOUND_NULL':
    case 'OFFSET_OVERFLOW_ONE':
      code = ResponseCode.PULL_NOT_FOUND;
      break;
    default:
      code = ResponseCode.PULL_OFFSET_MOVED;
  }
  // HA: a slave without slaveReadEnable still serves what it holds (Java's 20 there is overwritten by the
  // status mapping) and suggests the master (0, set above): consumers fail over to it when the master dies.
  if (code === ResponseCode.PULL_OFFSET_MOVED && cfg.brokerRole === 'SLAVE' && !cfg.offsetCheckInSlave) {
    code = ResponseCode.PULL_RETRY_IMMEDIATELY;
    suggest = sg.brokerId;
  }

  if (code === ResponseCode.PULL_NOT_FOUND && allowSuspend && hasSuspend) {
    const timeoutMs = cfg.longPollingEnable ? h.suspendTimeoutMillis : cfg.shortPollingTimeMills;
    ctl.pullHold.suspend(h.topic, h.queueId, {
      request: req,
      channel: ch,
      timeoutMs,
      suspendTimestamp: Date.now(),
      pullFromThisOffset: h.queueOffset,
      filter,
    });
    return null;
  }
  let body: Buffer[] | null = null;
  if (code === ResponseCode.SUCCESS) {
    body = adjacentRuns(r.buffers);
    ctl.stats.groupGet(h.topic, h.consumerGroup, r.buffers.length, h.queueId, r.bufferTotalSize);
    ctl.metrics?.messagesPulled(h.topic, h.consumerGroup, r.buffers.length, r.bufferTotalSize);
    ctl.stats.items.inc('GROUP_GET_SIZE', `${h.topic}@${h.consumerGroup}`, r.bufferTotalSize);
    ctl.stats.items.inc('BROKER_GET_NUMS', cfg.brokerClusterName, r.buffers.length);
    // Java adds the pull's own time (not the messages' age) under GROUP_GET_LATENCY.
    ctl.stats.items.inc('GROUP_GET_LATENCY', `${h.topic}@${h.consumerGroup}`, Date.now() - begin);
  }
  // A damaged record: PULL_RETRY_IMMEDIATELY (the client moves to nextBeginOffset, past it; an error code
  // would make a Java push consumer retry the same offset forever), with a remark naming the range.
  const remark = r.damaged
    ? `damaged record at queue offsets [${r.damaged.from}, ${r.damaged.to}) (commit-log offset ${r.damaged.phyOffset}: ${r.damaged.reason}), skipped`
    : r.status;
  const resp = fail(req, code, remark, {
    suggestWhichBrokerId: suggest,
    nextBeginOffset: r.nextBeginOffset,
    minOffset: r.minOffset,
    maxOffset: r.maxOffset,
  });
  resp.bodyParts = body;
  return resp;
}

/**
 * The records as the channel writes them, uncopied: records lying back to back in one read buffer (a run
 * read with one pread) are joined into one view of it, so a 32-message reply is a handful of iovecs.
 */
export function adjacentRuns(records: readonly Buffer[]): Buffer[] {
  const out: Buffer[] = [];
  let i = 0;
  while (i < records.length) {
    const first = records[i]!;
    let end = first.byteOffset + first.length;
    let j = i + 1;
    while (j < records.length && records[j]!.buffer === first.buffer && records[j]!.byteOffset === end) {
      end += records[j]!.length;
      j++;
    }
    // One view per run (not one per record joined): a 32-record run is one Buffer object.
    out.push(j === i + 1 ? first : Buffer.from(first.buffer, first.byteOffset, end - first.byteOffset));
    i = j;
  }
  return out;
}
