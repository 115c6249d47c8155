// What the API routes share: one admin client (replaced when the name server list is switched on the Ops
// page), the short-lived cache of cluster-wide reads, and the TPS collector behind the dashboard charts.
import { AdminClient, type AdminClientOptions, selectBrokerAddr } from '../engine/admin/admin-client.js';
import { AdminError } from '../engine/admin/errors.js';
import type { ClusterInfo } from '../engine/protocol/bodies/cluster-info.js';
import { TtlCache } from './cache.js';

export type AdminFactory = (namesrvAddr: string) => AdminClient;

export class ConsoleContext {
  readonly cache: TtlCache;
  private current: AdminClient;
  private addr: string;

  constructor(
    namesrvAddr: string,
    private readonly adminOptions: Omit<AdminClientOptions, 'namesrvAddr'> = {},
    cacheTtlMs = 2000,
  ) {
    this.addr = namesrvAddr;
    this.current = new AdminClient({ ...adminOptions, namesrvAddr });
    this.cache = new TtlCache(cacheTtlMs);
  }

  get admin(): AdminClient {
    return this.current;
  }

  get namesrvAddr(): string {
    return this.addr;
  }

  get useTLS(): boolean {
    return this.adminOptions.useTLS === true;
  }

  get useVIPChannel(): boolean {
    return this.adminOptions.vipChannelEnabled === true;
  }

  /**
   * Ops page: point the console at another name server list, or switch TLS or the VIP channel (a new admin
   * client; the old one closes).
   */
  async switchNamesrv(
    namesrvAddr: string,
    useTLS = this.useTLS,
    vipChannelEnabled = this.useVIPChannel,
  ): Promise<void> {
    const next = new AdminClient({ ...this.adminOptions, useTLS, vipChannelEnabled, namesrvAddr });
    const old = this.current;
    this.current = next;
    this.addr = namesrvAddr;
    this.adminOptions.useTLS = useTLS;
    this.adminOptions.vipChannelEnabled = vipChannelEnabled;
    this.cache.invalidate();
    await old.close();
  }

  /** What a client the console starts (the resend producer) needs to reach the same cluster. */
  get credentials(): { accessKey?: string; secretKey?: string; useTLS?: boolean } {
    const { accessKey, secretKey, useTLS } = this.adminOptions;
    return { accessKey, secretKey, useTLS };
  }

  clusterInfo(): Promise<ClusterInfo> {
    return this.cache.get('clusterInfo', () => this.admin.examineBrokerClusterInfo());
  }

  async close(): Promise<void> {
    await this.current.close();
  }
}

/**
 * The dashboard's changeToBrokerNameSet: the brokers of the named clusters plus the named brokers; an
 * unknown name is an error naming it (nothing is written then).
 */
export function brokerNamesOf(ci: ClusterInfo, clusterNames: string[], brokerNames: string[]): string[] {
  const out = new Set<string>();
  for (const c of clusterNames) {
    const names = ci.clusterAddrTable[c];
    if (!names) throw new AdminError(`no cluster named ${c}`);
    for (const b of names) out.add(b);
  }
  for (const b of brokerNames) {
    if (!ci.brokerAddrTable[b]) throw new AdminError(`no broker named ${b}`);
    out.add(b);
  }
  return [...out].sort();
}

/** The address the dashboard writes to for a broker name (its master, else a replica). */
export function addrOfBrokerName(ci: ClusterInfo, brokerName: string): string {
  const bd = ci.brokerAddrTable[brokerName];
  const addr = bd && selectBrokerAddr(bd);
  if (!addr) throw new AdminError(`broker ${brokerName} has no address`);
  return addr;
}

/** `items` through `fn` with at most `limit` calls in flight; results in order. */
export async function mapLimit<T, R>(items: T[], limit: number, fn: (t: T) => Promise<R>): Promise<R[]> {
  const out: R[] = new Array(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const i = next++;
      out[i] = await fn(items[i]!);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return out;
}
