import { mkdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { MessageView } from '../../engine/admin/message-ops.js';
import { type MessageTrack, messageTrackText } from '../../engine/admin/message-track.js';
import { jformat } from './printf.js';
import { humanTime } from './time.js';

/** Writes the body where mqadmin does (<tmp>/rocketmq/msgbodys/<msgId>[_index]) and returns the path. */
export function writeBodyFile(m: MessageView, index = 0): string {
  const dir = join(tmpdir(), 'rocketmq', 'msgbodys');
  mkdirSync(dir, { recursive: true });
  const path = join(dir, index > 0 ? `${m.msgId}_${index}` : m.msgId);
  writeFileSync(path, Buffer.from(m.bodyBase64, 'base64'));
  return path;
}

/** Java's Map.toString for message properties: `{K=V, K=V}` (sorted here, Java's order is a hash order). */
export function propertiesText(p: Record<string, string>): string {
  return `{${Object.keys(p)
    .sort()
    .map((k) => `${k}=${p[k]}`)
    .join(', ')}}`;
}

/** The field block queryMsgById / queryMsgByOffset / queryMsgByUniqueKey print for one message. */
export function messageBlock(m: MessageView, bodyPath: string, withOffsetId = true): string {
  const s = (k: string, v: unknown) => jformat('%-20s %s%n', k, v);
  return (
    (withOffsetId ? s('OffsetID:', m.offsetMsgId) : '') +
    s('Topic:', m.topic) +
    s('Tags:', `[${m.tags ?? 'null'}]`) +
    s('Keys:', `[${m.keys ?? 'null'}]`) +
    s('Queue ID:', m.queueId) +
    s('Queue Offset:', m.queueOffset) +
    s('CommitLog Offset:', m.commitLogOffset) +
    s('Reconsume Times:', m.reconsumeTimes) +
    s('Born Timestamp:', humanTime(m.bornTimestamp)) +
    s('Store Timestamp:', humanTime(m.storeTimestamp)) +
    s('Born Host:', m.bornHost) +
    s('Store Host:', m.storeHost) +
    s('System Flag:', m.sysFlag) +
    s('Properties:', propertiesText(m.properties)) +
    s('Message Body Path:', bodyPath)
  );
}

/** The consumer groups' tracks after a message block, as queryMsgById prints them. */
export function tracksText(tracks: MessageTrack[]): string {
  if (tracks.length === 0) return '\n\nWARN: No Consumer\n';
  return `\n\n${tracks.map(messageTrackText).join('\n')}\n`;
}

/** MessageExt.toString-like one-liner used by printMsg. */
export function messageLine(m: MessageView): string {
  return (
    `MessageExt [brokerName=${m.brokerName}, queueId=${m.queueId}, queueOffset=${m.queueOffset}, sysFlag=${m.sysFlag}, ` +
    `bornTimestamp=${m.bornTimestamp}, bornHost=${m.bornHost}, storeTimestamp=${m.storeTimestamp}, storeHost=${m.storeHost}, ` +
    `msgId=${m.offsetMsgId}, commitLogOffset=${m.commitLogOffset}, reconsumeTimes=${m.reconsumeTimes}, ` +
    `toString()=Message{topic='${m.topic}', flag=${m.flag}, properties=${propertiesText(m.properties)}}]`
  );
}
