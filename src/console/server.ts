// `mq console`: the web console as a library call — one admin client, the API routes, the TPS collector,
// /metrics and the bundled pages on one HTTP listener.
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { AdminClientOptions } from '../engine/admin/admin-client.js';
import { aclRoutes } from './api/acl-api.js';
import { clusterRoutes } from './api/cluster-api.js';
import { consumerRoutes } from './api/consumer-api.js';
import { dashboardRoutes } from './api/dashboard-api.js';
import { dlqRoutes } from './api/dlq-api.js';
import { messageRoutes } from './api/message-api.js';
import { messagePageRoutes } from './api/message-page.js';
import { opsRoutes } from './api/ops-api.js';
import { topicRoutes } from './api/topic-api.js';
import { ConsoleContext } from './context.js';
import { DailyFiles } from './daily-files.js';
import { createConsoleHttpServer, type Route } from './http.js';
import { loadUsers } from './login.js';
import { ConsoleMetrics } from './metrics.js';
import { loadStaticAssets } from './static-assets.js';
import { localDate, TpsCollector } from './tps-collector.js';

export interface ConsoleOptions {
  namesrvAddr: string;
  host?: string;
  /** 0 = any free port. */
  port?: number;
  admin?: Omit<AdminClientOptions, 'namesrvAddr'>;
  /** Broker TPS sample period (default 5 s) and topic TPS period (default 60 s). */
  brokerIntervalMs?: number;
  topicIntervalMs?: number;
  /** Where assets are read from (default: the build output). */
  assetDir?: string;
  /** users.properties (user=password[,1 for admin]): HTTP Basic login; without it, no login. */
  loginFile?: string;
  /** The dashboard's data folder: daily TPS files written every `dataSaveIntervalMs` (60 s) and reloaded. */
  dataDir?: string;
  dataSaveIntervalMs?: number;
  log?: (line: string) => void;
}

export interface RunningConsole {
  url: string;
  port: number;
  host: string;
  /** Whether a login file guards it. */
  login: boolean;
  close(): Promise<void>;
}

export async function startConsole(o: ConsoleOptions): Promise<RunningConsole> {
  const users = o.loginFile ? loadUsers(o.loginFile) : undefined;
  const assets = loadStaticAssets(o.assetDir);
  const ctx = new ConsoleContext(o.namesrvAddr, { ...o.admin });
  const collector = new TpsCollector(() => ctx.admin, {
    brokerIntervalMs: o.brokerIntervalMs,
    topicIntervalMs: o.topicIntervalMs,
  });
  const files = o.dataDir ? new DailyFiles(o.dataDir, (line) => o.log?.(line)) : undefined;
  if (files) {
    const n = files.load(collector);
    o.log?.(`data folder ${files.dir}: ${n} samples loaded`);
  }
  const metrics = new ConsoleMetrics(ctx);
  const known = new Set([o.namesrvAddr]);
  const routes: Route[] = [
    ...opsRoutes(ctx, known),
    ...dashboardRoutes(ctx, collector, files),
    ...clusterRoutes(ctx),
    ...topicRoutes(ctx),
    ...consumerRoutes(ctx),
    ...messageRoutes(ctx),
    ...messagePageRoutes(ctx),
    ...dlqRoutes(ctx),
    ...aclRoutes(ctx),
    {
      method: 'GET',
      path: '/metrics',
      handler: async () => null,
      raw: async () => ({ contentType: metrics.contentType, body: await metrics.scrape() }),
    },
  ];
  const server: Server = createConsoleHttpServer({
    routes,
    assets,
    users,
    onError: (path, err) => o.log?.(`${path}: ${err.message}`),
  });
  const host = o.host ?? '127.0.0.1';
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(o.port ?? 8080, host, () => resolve());
  });
  collector.start();
  // Like the dashboard's saveData task: today's (and, just after midnight, yesterday's) samples each minute.
  let lastSave = Date.now();
  const save = () => {
    if (!files) return;
    const now = Date.now();
    try {
      files.save(collector, [localDate(lastSave), localDate(now)]);
      lastSave = now;
    } catch (err) {
      o.log?.(`data folder ${files.dir}: ${(err as Error).message}`);
    }
  };
  const saver = files ? setInterval(save, o.dataSaveIntervalMs ?? 60_000) : undefined;
  saver?.unref();
  const port = (server.address() as AddressInfo).port;
  const shownHost = host.includes(':') ? `[${host}]` : host;
  return {
    url: `http://${shownHost}:${port}`,
    port,
    host,
    login: !!users,
    close: async () => {
      collector.stop();
      if (saver) clearInterval(saver);
      save();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await ctx.close();
    },
  };
}
