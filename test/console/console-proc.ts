// `mq console` as a child process against a test cluster, and the envelope-reading HTTP calls the tests make.
import assert from 'node:assert/strict';
import type { Cluster } from '../admin/servers.js';
import { type Proc, startProc } from '../helpers/servers.js';

export const CONSOLE_READY = /mq console listening on (http:\/\/\S+) /;

export interface ConsoleProc {
  proc: Proc;
  url: string;
}

/** Starts `mq console -n <cluster> --port 0`; resolves at its listening line. */
export async function startConsoleProc(c: Cluster, extra: string[] = []): Promise<ConsoleProc> {
  // Fast sampling unless `extra` sets it.
  const defaults = [
    ['--sample-interval', '1'],
    ['--topic-sample-interval', '2'],
  ].filter(([flag]) => !extra.includes(flag!));
  const { proc, match } = await startProc(
    'console',
    ['console', '-n', c.namesrvAddr, '--port', '0', ...defaults.flat(), ...extra],
    CONSOLE_READY,
    { env: c.env },
  );
  return { proc, url: match[1]! };
}

export interface Envelope<T> {
  status: number;
  data: T;
  errMsg: string | null;
}

export async function getEnv<T = unknown>(
  base: string,
  path: string,
): Promise<{ http: number; env: Envelope<T> }> {
  const res = await fetch(base + path);
  return { http: res.status, env: (await res.json()) as Envelope<T> };
}

/** GET and require status 0; returns data. */
export async function getData<T = unknown>(base: string, path: string): Promise<T> {
  const { http, env } = await getEnv<T>(base, path);
  assert.equal(env.status, 0, `${path}: ${env.errMsg}`);
  assert.equal(http, 200);
  assert.equal(env.errMsg, null);
  return env.data;
}

export async function postJson<T = unknown>(base: string, path: string, body: unknown): Promise<Envelope<T>> {
  const res = await fetch(base + path, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  return (await res.json()) as Envelope<T>;
}

export async function postForm<T = unknown>(
  base: string,
  path: string,
  fields: Record<string, string>,
): Promise<Envelope<T>> {
  const res = await fetch(base + path, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams(fields).toString(),
  });
  return (await res.json()) as Envelope<T>;
}
