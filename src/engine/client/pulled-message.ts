import { inspect } from 'node:util';
import {
  ipText,
  MessageConst,
  offsetMsgIdAt,
  parseProperties,
  readInt64,
  recordPropertiesString,
  SysFlag,
  storeTimestampPos,
} from '../protocol/message/index.js';
import type { MessageExt } from './message.js';
import { uncompressBody } from './message-body.js';

/** `ip:port` texts of IPv4 hosts by address and port: a pull's records share a few (cleared when large). */
const hostTexts = new Map<number, string>();

function hostTextAt(buf: Buffer, pos: number, v6: boolean): string {
  const port = buf.readInt32BE(pos + (v6 ? 16 : 4));
  if (v6 || port < 0 || port > 0xffff) return `${ipText(buf.subarray(pos, pos + (v6 ? 16 : 4)))}:${port}`;
  const key = buf.readUInt32BE(pos) * 65536 + port;
  let s = hostTexts.get(key);
  if (s === undefined) {
    s = `${buf[pos]}.${buf[pos + 1]}.${buf[pos + 2]}.${buf[pos + 3]}:${port}`;
    if (hostTexts.size >= 4096) hostTexts.clear();
    hostTexts.set(key, s);
  }
  return s;
}

/** The last topic decoded, as bytes and text: a pull's records are all of one topic. */
let lastTopicBytes = Buffer.alloc(0);
let lastTopic = '';

function topicAt(buf: Buffer, pos: number, len: number): string {
  let same = len === lastTopicBytes.length && pos + len <= buf.length;
  for (let i = 0; same && i < len; i++) same = buf[pos + i] === lastTopicBytes[i];
  if (!same) {
    lastTopic = buf.toString('utf8', pos, pos + len);
    lastTopicBytes = Buffer.from(buf.subarray(pos, pos + len));
  }
  return lastTopic;
}

/** readInt64's range check without the number: a bad timestamp is refused at decode, not at first read. */
function checkInt64(buf: Buffer, pos: number, recordPos: number): void {
  const hi = buf.readInt32BE(pos);
  if (hi > 0x1fffff || hi < -0x200000)
    throw new RangeError(`record at ${recordPos}: int64 at ${pos} exceeds 2^53`);
}

/** Marks a property-derived field (tags, keys, msgId) not yet read from the record. */
const UNREAD: unique symbol = Symbol('unread');

/** What a PulledMessage read or was given after its decode (one object, made on the first lazy read). */
class LazyFields {
  props: Record<string, string> | undefined = undefined;
  tags: string | undefined | typeof UNREAD = UNREAD;
  keys: string | undefined | typeof UNREAD = UNREAD;
  msgId: string | typeof UNREAD = UNREAD;
  offsetMsgId: string | undefined = undefined;
  bornHost: string | undefined = undefined;
  storeHost: string | undefined = undefined;
  bornTimestamp: number | undefined = undefined;
  storeTimestamp: number | undefined = undefined;
}

/** MIN_OFFSET / MAX_OFFSET of one pull, shared by its messages until their properties are parsed. */
export interface PullOffsets {
  readonly min: string;
  readonly max: string;
}

/**
 * A message of a pull body, read in place. The fields every consumer needs (topic, queue, offsets, flags,
 * reconsume count) and the body are read at decode; the rest (properties and what derives from them: tags,
 * keys, msgId; hosts, offset msgId and timestamps) is read from the record's bytes on first access and
 * kept. A drain that never looks at them allocates no strings or property objects per message, and the
 * message stays small while it waits in its process queue (so fewer bytes are promoted by the GC).
 *
 * Every field reads and writes as on a plain MessageExt; `properties` also holds MIN_OFFSET / MAX_OFFSET
 * once the consumer set them (putPullOffsets). The lazy fields live on the prototype, so a spread
 * (`{...m}`) sees only the eager ones: toJSON() and toPlain() give the whole message as a plain object.
 * The record's buffer (the pull body, ≤ 256 KiB) stays alive as long as the message.
 */
export class PulledMessage implements MessageExt {
  topic: string;
  body: Buffer;
  queueId: number;
  brokerName: string;
  queueOffset: number;
  commitLogOffset: number;
  sysFlag: number;
  flag: number;
  reconsumeTimes: number;

  /** The pull body and where this record starts in it (the layout is read again from there). */
  readonly #buf: Buffer;
  readonly #pos: number;
  #pull: PullOffsets | undefined = undefined;
  #lazy: LazyFields | undefined = undefined;

  /** Use decodePulledMessage, which checks the record first. */
  constructor(buf: Buffer, pos: number, brokerName: string, topic: string, body: Buffer, sysFlag: number) {
    this.topic = topic;
    this.body = body;
    this.queueId = buf.readInt32BE(pos + 12);
    this.brokerName = brokerName;
    this.queueOffset = readInt64(buf, pos + 20);
    this.commitLogOffset = readInt64(buf, pos + 28);
    this.sysFlag = sysFlag;
    this.flag = buf.readInt32BE(pos + 16);
    this.reconsumeTimes = buf.readInt32BE(storeHostPos(buf, pos) + storeHostSize(buf, pos));
    this.#buf = buf;
    this.#pos = pos;
  }

  get #fields(): LazyFields {
    return (this.#lazy ??= new LazyFields());
  }

  /** The record's properties as stored, parsed afresh. */
  #parse(): Record<string, string> {
    return parseProperties(recordPropertiesString(this.#buf, this.#pos));
  }

  /** Fills the derived fields not yet read or set from the stored properties (as the eager decoder did). */
  #derive(f: LazyFields, stored: Record<string, string>): void {
    if (f.tags === UNREAD) f.tags = stored[MessageConst.TAGS];
    if (f.keys === UNREAD) f.keys = stored[MessageConst.KEYS];
    if (f.msgId === UNREAD) f.msgId = stored[MessageConst.UNIQ_CLIENT_MESSAGE_ID_KEYIDX] ?? this.offsetMsgId;
  }

  get properties(): Record<string, string> {
    const f = this.#fields;
    let props = f.props;
    if (props === undefined) {
      props = this.#parse();
      this.#derive(f, props);
      const pull = this.#pull;
      if (pull !== undefined) {
        props[MessageConst.MIN_OFFSET] = pull.min;
        props[MessageConst.MAX_OFFSET] = pull.max;
      }
      f.props = props;
    }
    return props;
  }

  set properties(v: Record<string, string>) {
    const f = this.#fields;
    if (f.props === undefined) this.#derive(f, this.#parse());
    f.props = v;
  }

  /** MIN_OFFSET / MAX_OFFSET of the pull that brought the message (PullAPIWrapper puts them in properties). */
  putPullOffsets(pull: PullOffsets): void {
    const props = this.#lazy?.props;
    if (props === undefined) {
      this.#pull = pull;
    } else {
      props[MessageConst.MIN_OFFSET] = pull.min;
      props[MessageConst.MAX_OFFSET] = pull.max;
    }
  }

  get tags(): string | undefined {
    const f = this.#fields;
    if (f.tags === UNREAD) void this.properties;
    return f.tags as string | undefined;
  }

  set tags(v: string | undefined) {
    this.#fields.tags = v;
  }

  get keys(): string | undefined {
    const f = this.#fields;
    if (f.keys === UNREAD) void this.properties;
    return f.keys as string | undefined;
  }

  set keys(v: string | undefined) {
    this.#fields.keys = v;
  }

  get msgId(): string {
    const f = this.#fields;
    if (f.msgId === UNREAD) void this.properties;
    return f.msgId as string;
  }

  set msgId(v: string) {
    this.#fields.msgId = v;
  }

  get offsetMsgId(): string {
    const buf = this.#buf;
    const p = this.#pos;
    return (this.#fields.offsetMsgId ??= offsetMsgIdAt(
      buf,
      storeHostPos(buf, p),
      storeHostSize(buf, p) === 20,
      readInt64(buf, p + 28),
    ));
  }

  set offsetMsgId(v: string) {
    this.#fields.offsetMsgId = v;
  }

  get bornHost(): string {
    const buf = this.#buf;
    const p = this.#pos;
    return (this.#fields.bornHost ??= hostTextAt(
      buf,
      p + 48,
      (storedSysFlag(buf, p) & SysFlag.BORNHOST_V6) !== 0,
    ));
  }

  set bornHost(v: string) {
    this.#fields.bornHost = v;
  }

  get storeHost(): string {
    const buf = this.#buf;
    const p = this.#pos;
    return (this.#fields.storeHost ??= hostTextAt(buf, storeHostPos(buf, p), storeHostSize(buf, p) === 20));
  }

  set storeHost(v: string) {
    this.#fields.storeHost = v;
  }

  get bornTimestamp(): number {
    return (this.#fields.bornTimestamp ??= readInt64(this.#buf, this.#pos + 40));
  }

  set bornTimestamp(v: number) {
    this.#fields.bornTimestamp = v;
  }

  get storeTimestamp(): number {
    return (this.#fields.storeTimestamp ??= readInt64(
      this.#buf,
      this.#pos + storeTimestampPos(storedSysFlag(this.#buf, this.#pos)),
    ));
  }

  set storeTimestamp(v: number) {
    this.#fields.storeTimestamp = v;
  }

  /** The message as a plain MessageExt, fields in the order the general decoder (toMessageExt) gives. */
  toPlain(): MessageExt {
    return {
      topic: this.topic,
      body: this.body,
      tags: this.tags,
      keys: this.keys,
      msgId: this.msgId,
      offsetMsgId: this.offsetMsgId,
      queueId: this.queueId,
      brokerName: this.brokerName,
      queueOffset: this.queueOffset,
      commitLogOffset: this.commitLogOffset,
      sysFlag: this.sysFlag,
      flag: this.flag,
      bornTimestamp: this.bornTimestamp,
      bornHost: this.bornHost,
      storeTimestamp: this.storeTimestamp,
      storeHost: this.storeHost,
      reconsumeTimes: this.reconsumeTimes,
      properties: this.properties,
    };
  }

  /** JSON.stringify writes what it wrote for a plain MessageExt. */
  toJSON(): MessageExt {
    return this.toPlain();
  }

  /** console.log / util.inspect show every field, as for a plain MessageExt. */
  [inspect.custom](depth: number, options: object): string {
    return inspect(this.toPlain(), { ...options, depth });
  }
}

// Record layout (§4.1) after the fixed 48 bytes: born host (8 or 20), store timestamp, store host (8 or
// 20), reconsume times... The host sizes follow the stored sysFlag's V6 bits (the stored one: the message's
// sysFlag field is writable).
function storedSysFlag(buf: Buffer, pos: number): number {
  return buf.readInt32BE(pos + 36);
}

function storeHostPos(buf: Buffer, pos: number): number {
  return pos + storeTimestampPos(storedSysFlag(buf, pos)) + 8;
}

function storeHostSize(buf: Buffer, pos: number): number {
  return (storedSysFlag(buf, pos) & SysFlag.STOREHOST_V6) !== 0 ? 20 : 8;
}

/**
 * One record of a pull body as a message, read in place (decodeRecord + toMessageExt without the
 * intermediate record, host objects or a body copy; see PulledMessage for what is read later). The body is
 * a view of the pull body: a message kept keeps its pull's body (≤ 256 KiB by the broker's transfer limits)
 * alive, as Java's consumer does not, but the drain path allocates and copies nothing per byte. Throws
 * RangeError for a record that overruns or has an out-of-range number, Error for a body that does not
 * inflate: everything that can fail is checked here, so no lazy field throws later.
 */
export function decodePulledMessage(buf: Buffer, pos: number, brokerName: string): PulledMessage {
  const storeSize = buf.readInt32BE(pos);
  if (storeSize < 4 || pos + storeSize > buf.length)
    throw new RangeError(`record at ${pos} has bad size ${storeSize}`);
  const sysFlag = buf.readInt32BE(pos + 36);
  const storeV6 = (sysFlag & SysFlag.STOREHOST_V6) !== 0;
  const storeTsPos = pos + storeTimestampPos(sysFlag);
  const storePos = storeTsPos + 8;
  let p = storePos + (storeV6 ? 20 : 8);
  const bodyLen = buf.readInt32BE(p + 12);
  p += 16;
  if (bodyLen < 0 || p + bodyLen + 3 > pos + storeSize)
    throw new RangeError(`record at ${pos} overruns its size`);
  const rawBody = buf.subarray(p, p + bodyLen);
  p += bodyLen;
  const topicLen = buf.readInt8(p);
  const topic = topicAt(buf, p + 1, topicLen);
  p += 1 + topicLen;
  const propsLen = buf.readInt16BE(p);
  if (p + 2 + propsLen > pos + storeSize) throw new RangeError(`record at ${pos} overruns its size`);
  checkInt64(buf, pos + 40, pos);
  checkInt64(buf, storeTsPos, pos);
  return new PulledMessage(
    buf,
    pos,
    brokerName,
    topic,
    sysFlag & SysFlag.COMPRESSED ? uncompressBody(sysFlag, rawBody) : rawBody,
    sysFlag,
  );
}
