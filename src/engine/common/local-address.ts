import { existsSync } from 'node:fs';
import { networkInterfaces } from 'node:os';

/**
 * The address a broker advertises when brokerIP1 is unset, chosen as RocketMQ's
 * RemotingUtil.getLocalAddress does: among the IPv4 addresses of non-loopback interfaces (bridges left
 * out), the first outside 127.0/192.168, else the last one found; 127.0.0.1 when the host has none.
 */
export function localAddress(interfaces = networkInterfaces()): string {
  const ipv4: string[] = [];
  for (const [name, addrs] of Object.entries(interfaces)) {
    // Java skips bridge interfaces (those with /sys/class/net/<name>/brif), e.g. docker0.
    if (existsSync(`/sys/class/net/${name}/brif`)) continue;
    for (const a of addrs ?? []) if (a.family === 'IPv4' && !a.internal) ipv4.push(a.address);
  }
  return (
    ipv4.find((ip) => !ip.startsWith('127.0') && !ip.startsWith('192.168')) ?? ipv4.at(-1) ?? '127.0.0.1'
  );
}
