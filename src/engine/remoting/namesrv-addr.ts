/** Splits a name-server list "host:port;host:port" (also tolerating commas/spaces) into addresses. */
export function parseNamesrvAddr(list: string | undefined | null): string[] {
  if (!list) return [];
  return list
    .split(/[;,\s]+/)
    .map((s) => s.trim())
    .filter((s) => s.length > 0);
}

/** Splits "host:port" into parts; IPv6 as "[::1]:9876" or the last colon separates. */
export function splitHostPort(addr: string): { host: string; port: number } {
  const m = /^\[([^\]]+)\]:(\d+)$/.exec(addr) ?? /^(.*):(\d+)$/.exec(addr);
  if (!m) throw new Error(`address ${JSON.stringify(addr)} is not host:port`);
  const port = Number(m[2]);
  if (port <= 0 || port > 65535) throw new Error(`address ${JSON.stringify(addr)} has a bad port`);
  return { host: m[1], port };
}

/** "ip:port" as RocketMQ prints socket addresses (IPv4-mapped IPv6 shown as plain IPv4). */
export function formatAddr(host: string | undefined, port: number | undefined): string {
  let h = host ?? '';
  if (h.startsWith('::ffff:')) h = h.slice(7);
  return `${h}:${port ?? 0}`;
}
