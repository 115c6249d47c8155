import { createLogger, type Logger } from '../common/logger.js';
import { RemotingServer } from '../remoting/remoting-server.js';
import { ServerTls } from '../remoting/tls/server-tls.js';
import { loadTlsSettings } from '../remoting/tls/tls-config.js';
import { registerNamesrvProcessors } from './default-processor.js';
import { KVConfigManager } from './kv-config-manager.js';
import { defaultNamesrvConfig, type NamesrvConfig } from './namesrv-config.js';
import { RouteInfoManager } from './route-info-manager.js';

export interface NamesrvStartOptions extends Partial<NamesrvConfig> {
  logger?: Logger;
  /** Clock for the route tables (tests). */
  now?: () => number;
}

/**
 * The name server: route tables + KV config behind a RemotingServer, an expiry scan every 10 s, and
 * immediate broker removal when its connection closes (protocol.md §8.1).
 */
export class NamesrvController {
  readonly config: NamesrvConfig;
  readonly routes: RouteInfoManager;
  readonly kv: KVConfigManager;
  readonly log: Logger;
  private server: RemotingServer | null = null;
  private scanTimer: NodeJS.Timeout | null = null;
  private firstScan: NodeJS.Timeout | null = null;

  constructor(opts: NamesrvStartOptions = {}) {
    const { logger, now, ...cfg } = opts;
    this.config = { ...defaultNamesrvConfig(), ...stripUndefined(cfg) };
    this.log = logger ?? createLogger('namesrv');
    this.routes = new RouteInfoManager(now);
    this.kv = new KVConfigManager(this.config.kvConfigPath || null);
  }

  /** Loads KV config, binds the port and starts the expiry scan. Resolves with the bound port. */
  async start(): Promise<{ port: number; host: string }> {
    this.kv.load();
    const server = new RemotingServer({
      idleMs: this.config.serverChannelMaxIdleTimeSeconds * 1000,
      logger: this.log,
      tls: new ServerTls(loadTlsSettings(), this.log),
    });
    registerNamesrvProcessors(server, {
      config: this.config,
      routes: this.routes,
      kv: this.kv,
      log: this.log,
    });
    server.on('channelClose', (ch) => {
      const removed = this.routes.onChannelDestroy(ch.remoteAddress, ch);
      if (removed)
        this.log.info({ broker: removed, remote: ch.remoteAddress }, 'broker channel closed, removed');
    });
    const port = await server.listen(this.config.listenPort, this.config.host);
    this.server = server;
    const interval = this.config.scanNotActiveBrokerIntervalMillis;
    const scan = () => {
      const removed = this.routes.scanNotActiveBroker(this.config.brokerChannelExpiredMillis);
      for (const addr of removed)
        this.log.warn({ broker: addr }, 'broker expired, no registration within the limit');
    };
    this.firstScan = setTimeout(
      () => {
        scan();
        this.scanTimer = setInterval(scan, interval);
      },
      Math.min(5000, interval),
    );
    this.log.info({ port, host: this.config.host }, 'name server started');
    return { port, host: this.config.host };
  }

  get port(): number {
    return this.server?.port ?? 0;
  }

  /** Stops the scan and closes every connection. */
  async shutdown(): Promise<void> {
    if (this.firstScan) clearTimeout(this.firstScan);
    if (this.scanTimer) clearInterval(this.scanTimer);
    this.firstScan = this.scanTimer = null;
    const server = this.server;
    this.server = null;
    if (server) await server.close();
    this.log.info('name server shut down');
  }
}

function stripUndefined<T extends object>(o: T): Partial<T> {
  const out: Partial<T> = {};
  for (const [k, v] of Object.entries(o)) if (v !== undefined) (out as Record<string, unknown>)[k] = v;
  return out;
}

/** Starts a name server: `const ns = await startNamesrv({ listenPort: 0 })`. */
export async function startNamesrv(
  opts: NamesrvStartOptions = {},
): Promise<NamesrvController & { boundPort: number }> {
  const c = new NamesrvController(opts);
  const { port } = await c.start();
  return Object.assign(c, { boundPort: port });
}
