import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { FastjsonMap, parseFastjson, toFastjson } from '../protocol/fastjson.js';

/**
 * Namespaced key/value config (PUT/GET/DELETE_KV_CONFIG), persisted after every change to
 * kvConfig.json as `{"configTable":{namespace:{key:value}}}` like KVConfigManager.java.
 */
export class KVConfigManager {
  private readonly table = new Map<string, Map<string, string>>();

  constructor(private readonly path: string | null) {}

  /** Loads the file if present; a corrupt file is an error (we never silently drop stored config). */
  load(): void {
    if (!this.path) return;
    let text: string;
    try {
      text = readFileSync(this.path, 'utf8');
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return;
      throw err;
    }
    if (text.trim() === '') return;
    let parsed: unknown;
    try {
      parsed = parseFastjson(text);
    } catch (err) {
      throw new Error(`KV config file ${this.path} is not valid JSON: ${(err as Error).message}`);
    }
    const table = (parsed as { configTable?: Record<string, Record<string, unknown>> })?.configTable ?? {};
    for (const [ns, kv] of Object.entries(table)) {
      const m = new Map<string, string>();
      for (const [k, v] of Object.entries(kv ?? {})) m.set(k, String(v));
      this.table.set(ns, m);
    }
  }

  put(namespace: string, key: string, value: string): void {
    let m = this.table.get(namespace);
    if (!m) this.table.set(namespace, (m = new Map()));
    m.set(key, value);
    this.persist();
  }

  get(namespace: string, key: string): string | undefined {
    return this.table.get(namespace)?.get(key);
  }

  delete(namespace: string, key: string): void {
    const m = this.table.get(namespace);
    if (!m?.delete(key)) return;
    this.persist();
  }

  /** The namespace as a plain object, or undefined if it does not exist. */
  list(namespace: string): Record<string, string> | undefined {
    const m = this.table.get(namespace);
    return m ? Object.fromEntries(m) : undefined;
  }

  private persist(): void {
    if (!this.path) return;
    // HashMap<String, HashMap<String,String>> in Java: same key order as a Java name server's file.
    const tables: Record<string, FastjsonMap> = {};
    for (const [ns, m] of this.table) tables[ns] = FastjsonMap.java(Object.fromEntries(m));
    const configTable = FastjsonMap.java(tables);
    mkdirSync(dirname(this.path), { recursive: true });
    const tmp = `${this.path}.tmp`;
    writeFileSync(tmp, toFastjson({ configTable }));
    renameSync(tmp, this.path);
  }
}
