// Cluster-wide reads (cluster info, topic list, group list, …) are asked by every page and every tab:
// one answer is shared for `ttlMs`, and calls made while a read is in flight wait for that same read,
// so ten tabs polling once a second still cost the cluster one request per key per ttl.

interface Entry {
  at: number;
  value: Promise<unknown>;
}

export class TtlCache {
  private readonly entries = new Map<string, Entry>();

  constructor(private readonly ttlMs: number) {}

  get<T>(key: string, load: () => Promise<T>, ttlMs = this.ttlMs): Promise<T> {
    const now = Date.now();
    const e = this.entries.get(key);
    if (e && now - e.at < ttlMs) return e.value as Promise<T>;
    const value = load();
    this.entries.set(key, { at: now, value });
    // A failed read is not kept: the next call asks again.
    value.catch(() => {
      if (this.entries.get(key)?.value === value) this.entries.delete(key);
    });
    return value;
  }

  /** After a write (topic or group created/deleted): the next read asks the cluster. */
  invalidate(prefix = ''): void {
    for (const k of [...this.entries.keys()]) if (k.startsWith(prefix)) this.entries.delete(k);
  }
}
