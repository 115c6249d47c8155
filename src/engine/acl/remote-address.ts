import { isIPv4, isIPv6 } from 'node:net';
import { AclError } from './acl-error.js';

/** Does a client address (no port) fall under a white-list pattern? */
export type AddressMatcher = (ip: string) => boolean;

const NOTHING: AddressMatcher = () => false;
const EVERYTHING: AddressMatcher = () => true;

/** IPv6 in RocketMQ's canonical form for comparison: 8 groups of 4 upper-case hex digits. */
export function expandIPv6(ip: string): string {
  let text = ip;
  // An embedded IPv4 tail (::ffff:1.2.3.4) becomes two hex groups.
  const v4 = /(\d+\.\d+\.\d+\.\d+)$/.exec(text);
  if (v4) {
    const o = v4[1].split('.').map(Number);
    text = `${text.slice(0, v4.index)}${((o[0] << 8) | o[1]).toString(16)}:${((o[2] << 8) | o[3]).toString(16)}`;
  }
  const [head, tail] = text.includes('::') ? text.split('::') : [text, undefined];
  const left = head ? head.split(':') : [];
  const right = tail ? tail.split(':') : [];
  const fill = tail === undefined ? [] : new Array(8 - left.length - right.length).fill('0');
  return [...left, ...fill, ...right].map((g) => g.padStart(4, '0').toUpperCase()).join(':');
}

function canonical(ip: string): string {
  return isIPv6(ip) ? expandIPv6(ip) : ip;
}

function mustBeIp(ip: string, pattern: string): string {
  if (!isIPv4(ip) && !isIPv6(ip)) {
    throw new AclError(
      `white address ${JSON.stringify(pattern)}: ${JSON.stringify(ip)} is not an IP address`,
    );
  }
  return canonical(ip);
}

function setMatcher(ips: string[], pattern: string): AddressMatcher {
  const set = new Set(ips.map((ip) => mustBeIp(ip.trim(), pattern)));
  return (ip) => set.has(canonical(ip));
}

function octet(text: string): number | undefined {
  return /^\d{1,3}$/.test(text) && Number(text) <= 255 ? Number(text) : undefined;
}

/**
 * `a.b.*.*`, `a.b.c.*`, `a.*.*.*` or a range `a.b.c.1-100` / `a.b.1-9.*`: the first of segments 2–4 that
 * is `*` or `lo-hi` decides; the segments before it must match exactly (later ones are not looked at, as
 * in RocketMQ).
 */
function ipv4RangeMatcher(pattern: string): AddressMatcher {
  const parts = pattern.split('.').filter((p) => p.length > 0);
  for (let i = 1; i < Math.min(parts.length, 4); i++) {
    const seg = parts[i].trim();
    let lo: number | undefined;
    let hi: number | undefined;
    if (seg === '*') {
      lo = 0;
      hi = 255;
    } else if (seg.includes('-')) {
      const m = /^(\d+)-(\d+)$/.exec(seg);
      lo = m ? octet(m[1]) : undefined;
      hi = m ? octet(m[2]) : undefined;
      if (lo === undefined || hi === undefined || lo > hi) {
        throw new AclError(`white address ${JSON.stringify(pattern)}: bad range ${JSON.stringify(seg)}`);
      }
    } else continue;
    if (parts.length !== 4 || parts.slice(0, i).some((p) => octet(p.trim()) === undefined)) {
      throw new AclError(
        `white address ${JSON.stringify(pattern)}: expected four segments with exact numbers before the wildcard or range`,
      );
    }
    const head = parts
      .slice(0, i)
      .map((p) => p.trim())
      .join('.');
    const from = lo as number;
    const to = hi as number;
    return (ip) => {
      if (!isIPv4(ip)) return false;
      const o = ip.split('.');
      if (o.slice(0, i).join('.') !== head) return false;
      const v = Number(o[i]);
      return v >= from && v <= to;
    };
  }
  throw new AclError(
    `white address ${JSON.stringify(pattern)}: no wildcard (*) or range (lo-hi) in segments 2 to 4`,
  );
}

/**
 * Compiles one white-list pattern the way RocketMQ's RemoteAddressStrategyFactory reads it: blank matches
 * nothing; `*` (or `*.*.*.*`) everything; `192.168.1.{1,2,3}` and `1.1.1.1,2.2.2.2` are address lists;
 * `*` or `-` in a segment is a range; anything else must be one exact IPv4/IPv6 address.
 * A pattern RocketMQ would refuse throws AclError naming it.
 */
export function compileAddressPattern(raw: string | undefined | null): AddressMatcher {
  const pattern = (raw ?? '').trim();
  if (pattern === '') return NOTHING;
  if (pattern === '*' || pattern === '*.*.*.*' || pattern === '*:*:*:*:*:*:*:*') return EVERYTHING;
  if (pattern.endsWith('}')) {
    const open = pattern.indexOf('{');
    const sep = pattern.includes(':') ? ':' : '.';
    const prefix = pattern.slice(0, open);
    if (open < 0 || !prefix.endsWith(sep) || (sep === '.' && pattern.split('.').length < 4)) {
      throw new AclError(
        `white address ${JSON.stringify(pattern)}: the {a,b,c} list must be the last segment of a full address`,
      );
    }
    const items = pattern
      .slice(open + 1, -1)
      .split(',')
      .filter((s) => s.length > 0);
    return setMatcher(
      items.map((s) => prefix + s.trim()),
      pattern,
    );
  }
  if (pattern.includes(',')) {
    return setMatcher(
      pattern.split(',').filter((s) => s.length > 0),
      pattern,
    );
  }
  if (pattern.includes('*') || pattern.includes('-')) {
    if (pattern.includes(':')) {
      throw new AclError(
        `white address ${JSON.stringify(pattern)}: IPv6 wildcards and ranges are not supported`,
      );
    }
    return ipv4RangeMatcher(pattern);
  }
  const exact = mustBeIp(pattern, pattern);
  return (ip) => canonical(ip) === exact;
}

/** The client IP of a channel's "ip:port" remote address. */
export function hostOfRemote(remoteAddr: string): string {
  const i = remoteAddr.lastIndexOf(':');
  const host = i >= 0 ? remoteAddr.slice(0, i) : remoteAddr;
  return host.replace(/^\[|\]$/g, '');
}
