import { REMOTING_VERSION } from '../version.js';

/** 0 = JSON header, 1 = ROCKETMQ binary header (per frame, protocol.md §1.2). */
export type SerializeType = 0 | 1;
export const SERIALIZE_JSON: SerializeType = 0;
export const SERIALIZE_ROCKETMQ: SerializeType = 1;

/** Flag bit 0 marks a response, bit 1 a oneway request (§1.3). */
export const FLAG_RESPONSE = 1;
export const FLAG_ONEWAY = 2;

/** One remoting frame, request or response. extFields values are always strings on the wire (§1.6). */
export interface RemotingCommand {
  code: number;
  language: string;
  version: number;
  opaque: number;
  flag: number;
  remark?: string;
  extFields?: Record<string, string>;
  body?: Buffer | null;
  /**
   * Outgoing only: the body as slices, written as they are (writev) instead of `body`; the broker's pull
   * replies carry the stored records this way, uncopied. Decoded frames never have it.
   */
  bodyParts?: readonly Buffer[] | null;
  serializeType: SerializeType;
}

/** What callers may pass as a header value; null/undefined fields are skipped, the rest stringified. */
export type ExtValue = string | number | bigint | boolean | null | undefined;
export type ExtInput = Record<string, ExtValue>;

let nextOpaque = 0;

/** Process-wide request id, like Java's AtomicInteger: starts at 0 and wraps through negative int32. */
export function newOpaque(): number {
  const v = nextOpaque;
  nextOpaque = (nextOpaque + 1) | 0;
  return v;
}

/** Stringify header values the way Java's `makeCustomHeaderToNet` does (toString, nulls skipped). */
export function toExtFields(input: ExtInput | undefined): Record<string, string> | undefined {
  if (!input) return undefined;
  const out: Record<string, string> = {};
  for (const key in input) {
    const v = input[key];
    if (v === null || v === undefined) continue;
    out[key] = typeof v === 'string' ? v : String(v);
  }
  return out;
}

export function createRequest(
  code: number,
  extFields?: ExtInput,
  body?: Buffer | null,
  serializeType: SerializeType = SERIALIZE_JSON,
): RemotingCommand {
  return {
    code,
    language: 'JAVA',
    version: REMOTING_VERSION,
    opaque: newOpaque(),
    flag: 0,
    extFields: toExtFields(extFields),
    body: body ?? null,
    serializeType,
  };
}

/** A reply to `request`: same opaque, response flag set, same serialize type (§1.5). */
export function createResponse(
  request: Pick<RemotingCommand, 'opaque' | 'serializeType'>,
  code: number,
  remark?: string,
  extFields?: ExtInput,
  body?: Buffer | null,
): RemotingCommand {
  return {
    code,
    language: 'JAVA',
    version: REMOTING_VERSION,
    opaque: request.opaque,
    flag: FLAG_RESPONSE,
    remark,
    extFields: toExtFields(extFields),
    body: body ?? null,
    serializeType: request.serializeType,
  };
}

export function isResponse(cmd: RemotingCommand): boolean {
  return (cmd.flag & FLAG_RESPONSE) !== 0;
}

export function isOneway(cmd: RemotingCommand): boolean {
  return (cmd.flag & FLAG_ONEWAY) !== 0;
}

export function markOneway(cmd: RemotingCommand): RemotingCommand {
  cmd.flag |= FLAG_ONEWAY;
  return cmd;
}

/** A missing or malformed header field; its message names the field so replies are self-explaining. */
export class HeaderError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'HeaderError';
  }
}

const INT_RE = /^[+-]?\d+$/;

function raw(cmd: RemotingCommand, field: string, required: boolean): string | undefined {
  return present(cmd.extFields?.[field], field, required);
}

/** `v` itself, or undefined when absent (a HeaderError naming `field` when it is `required`). */
function present(v: string | undefined, field: string, required: boolean): string | undefined {
  if (v === undefined || v === null) {
    if (required) throw new HeaderError(`the custom field <${field}> is null`);
    return undefined;
  }
  return v;
}

/**
 * Up to 9 digits after an optional '-', read char by char (what nearly every header int is), else NaN
 * and the caller takes the regex path. Same value as Number(v) for these, -0 included.
 */
function shortInt(v: string): number {
  const n = v.length;
  let k = v.charCodeAt(0) === 0x2d ? 1 : 0;
  if (n === k || n - k > 9) return Number.NaN;
  let x = 0;
  for (; k < n; k++) {
    const c = v.charCodeAt(k) - 0x30;
    if (c < 0 || c > 9) return Number.NaN;
    x = x * 10 + c;
  }
  return v.charCodeAt(0) === 0x2d ? -x : x;
}

/** String header field; `required` (default) throws HeaderError when absent. */
export function extStr(cmd: RemotingCommand, field: string): string;
export function extStr(cmd: RemotingCommand, field: string, required: false): string | undefined;
export function extStr(cmd: RemotingCommand, field: string, required = true): string | undefined {
  return raw(cmd, field, required);
}

/** extStr over a value already read from extFields (`field` names it in errors). */
export function strValue(v: string | undefined, field: string): string;
export function strValue(v: string | undefined, field: string, required: false): string | undefined;
export function strValue(v: string | undefined, field: string, required = true): string | undefined {
  return present(v, field, required);
}

/** int32 header field parsed like Java's parseInt (no decimals, must fit in 32 bits). */
export function extInt(cmd: RemotingCommand, field: string): number;
export function extInt(cmd: RemotingCommand, field: string, required: false): number | undefined;
export function extInt(cmd: RemotingCommand, field: string, required = true): number | undefined {
  return intValue(cmd.extFields?.[field], field, required);
}

/** extInt over a value already read from extFields. */
export function intValue(v: string | undefined, field: string): number;
export function intValue(v: string | undefined, field: string, required: boolean): number | undefined;
export function intValue(v: string | undefined, field: string, required = true): number | undefined {
  if (present(v, field, required) === undefined) return undefined;
  const s = v as string;
  const quick = shortInt(s);
  if (!Number.isNaN(quick)) return quick;
  const n = INT_RE.test(s) ? Number(s) : Number.NaN;
  if (!Number.isInteger(n) || n > 2147483647 || n < -2147483648) {
    throw new HeaderError(`the custom field <${field}> is not an int: ${JSON.stringify(s)}`);
  }
  return n;
}

/** int64 header field as bigint (offsets, timestamps). */
export function extLong(cmd: RemotingCommand, field: string): bigint;
export function extLong(cmd: RemotingCommand, field: string, required: false): bigint | undefined;
export function extLong(cmd: RemotingCommand, field: string, required = true): bigint | undefined {
  return longValue(cmd.extFields?.[field], field, required);
}

function longValue(v: string | undefined, field: string, required: boolean): bigint | undefined {
  if (present(v, field, required) === undefined) return undefined;
  const s = v as string;
  if (!INT_RE.test(s))
    throw new HeaderError(`the custom field <${field}> is not a long: ${JSON.stringify(s)}`);
  const n = BigInt(s);
  if (n > 9223372036854775807n || n < -9223372036854775808n) {
    throw new HeaderError(`the custom field <${field}> is out of long range: ${s}`);
  }
  return n;
}

/** int64 header field as a JS number; throws if it is beyond ±2^53 (use extLong then). */
export function extLongNum(cmd: RemotingCommand, field: string): number;
export function extLongNum(cmd: RemotingCommand, field: string, required: false): number | undefined;
export function extLongNum(cmd: RemotingCommand, field: string, required = true): number | undefined {
  return longNumValue(cmd.extFields?.[field], field, required);
}

/** extLongNum over a value already read from extFields. */
export function longNumValue(v: string | undefined, field: string): number;
export function longNumValue(v: string | undefined, field: string, required: boolean): number | undefined;
export function longNumValue(v: string | undefined, field: string, required = true): number | undefined {
  // Up to 15 digits is always within 2^53: parse as a number without the BigInt round trip (every send
  // carries bornTimestamp).
  if (typeof v === 'string' && v.length <= 15 && INT_RE.test(v)) return Number(v);
  const big = longValue(v, field, required);
  if (big === undefined) return undefined;
  if (big > BigInt(Number.MAX_SAFE_INTEGER) || big < BigInt(Number.MIN_SAFE_INTEGER)) {
    throw new HeaderError(`the custom field <${field}> exceeds 2^53: ${big}`);
  }
  return Number(big);
}

/** extBool over a value already read from extFields. */
export function boolValue(v: string | undefined, field: string, required: boolean): boolean | undefined {
  if (present(v, field, required) === undefined) return undefined;
  return (v as string).toLowerCase() === 'true';
}

/** Boolean header field, Java `Boolean.parseBoolean` semantics: only "true" (any case) is true. */
export function extBool(cmd: RemotingCommand, field: string): boolean;
export function extBool(cmd: RemotingCommand, field: string, required: false): boolean | undefined;
export function extBool(cmd: RemotingCommand, field: string, required = true): boolean | undefined {
  return boolValue(cmd.extFields?.[field], field, required);
}

/** Double header field (Java Double.parseDouble). */
export function extDouble(cmd: RemotingCommand, field: string): number;
export function extDouble(cmd: RemotingCommand, field: string, required: false): number | undefined;
export function extDouble(cmd: RemotingCommand, field: string, required = true): number | undefined {
  const v = raw(cmd, field, required);
  if (v === undefined) return undefined;
  const n = v.trim() === '' ? Number.NaN : Number(v);
  if (Number.isNaN(n))
    throw new HeaderError(`the custom field <${field}> is not a double: ${JSON.stringify(v)}`);
  return n;
}
