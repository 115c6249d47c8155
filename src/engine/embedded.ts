import { mkdirSync } from 'node:fs';
import { createServer } from 'node:net';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { type BrokerController, createBroker, parseBrokerConfig } from './broker/index.js';
import { MQClientInstance } from './client/client-instance.js';
import { startNamesrv } from './namesrv/index.js';
import type { ProxyServer } from './proxy/index.js';

// The embedded default: a name server and a broker in one process (`mq quickstart`, `mq dev`, and Node
// applications that want a local RocketMQ for tests). Sits above broker, namesrv and client: it composes
// them and none of them imports it.

export interface EmbeddedPair {
  namesrvAddr: string;
  brokerAddr: string;
  storeDir: string;
  /** host:port of the gRPC proxy (local mode) for RocketMQ 5 clients, when started with `grpcPort`. */
  grpcEndpoint?: string;
  /** What a start prints: role, the advertised address, ports, store (and the given log location). */
  summary(logs: string): { role: string; address: string; ports: string; store: string; logs: string };
  stop(): Promise<void>;
}

/** `port` if it can be bound on 127.0.0.1 right now, else 0 (any free port). */
async function freeOr(port: number): Promise<number> {
  if (port === 0) return 0;
  return new Promise((resolve) => {
    const s = createServer();
    s.once('error', () => resolve(0));
    s.listen(port, '0.0.0.0', () => s.close(() => resolve(port)));
  });
}

/**
 * A name server and a broker in this process (the embedded default): default ports when free, else
 * any free ones; store under `storeDir`. Resolves once the broker's routes are served.
 */
export async function startEmbeddedPair(opts: {
  namesrvPort: number;
  brokerPort: number;
  storeDir: string;
  /** Also serve RocketMQ 5 gRPC clients on this port (default port when free, else any; undefined: no). */
  grpcPort?: number;
}): Promise<EmbeddedPair> {
  mkdirSync(opts.storeDir, { recursive: true });
  // The broker also binds port-2 (VIP) and port+1 (HA): check those too before using a default.
  const bp =
    opts.brokerPort && (await freeOr(opts.brokerPort - 2)) && (await freeOr(opts.brokerPort + 1))
      ? await freeOr(opts.brokerPort)
      : 0;
  const ns = await startNamesrv({ listenPort: await freeOr(opts.namesrvPort) });
  const namesrvAddr = `127.0.0.1:${ns.boundPort}`;
  let broker: BrokerController | undefined;
  let proxy: ProxyServer | undefined;
  try {
    const text = [
      'brokerClusterName=DefaultCluster',
      'brokerName=broker-a',
      'brokerId=0',
      `listenPort=${bp}`,
      `namesrvAddr=${namesrvAddr}`,
      `storePathRootDir=${opts.storeDir}`,
      'brokerIP1=127.0.0.1',
      'autoCreateTopicEnable=true',
    ].join('\n');
    const { config, explicit } = parseBrokerConfig(text, 'embedded broker.conf');
    broker = createBroker({ config, explicit });
    await broker.start();
    await waitForRoute(namesrvAddr);
    // Loaded only when asked for: gRPC and protobuf would add to every embedded start.
    if (opts.grpcPort !== undefined) {
      const { startLocalProxy } = await import('./proxy/index.js');
      proxy = await startLocalProxy(broker, await freeOr(opts.grpcPort));
    }
  } catch (err) {
    await proxy?.shutdown().catch(() => {});
    await broker?.shutdown().catch(() => {});
    await ns.shutdown();
    throw err;
  }
  const b = broker;
  return {
    namesrvAddr,
    brokerAddr: b.brokerAddr,
    storeDir: opts.storeDir,
    grpcEndpoint: proxy ? `127.0.0.1:${proxy.port}` : undefined,
    summary: (logs) => ({
      role: `name server + ${b.config.brokerRole} broker ${b.config.brokerName} (cluster ${b.config.brokerClusterName}), one process`,
      address: `${b.brokerAddr} (broker, advertised), ${namesrvAddr} (name server)`,
      ports: `${ns.boundPort} name server, ${b.listenPort} broker, ${b.haListenPort} HA${
        proxy ? `, ${proxy.port} gRPC proxy` : ''
      }`,
      store: opts.storeDir,
      logs,
    }),
    stop: async () => {
      await proxy?.shutdown();
      await b.shutdown();
      await ns.shutdown();
    },
  };
}

/** Waits until the name server serves TBW102 (the broker registered), so first sends auto-create topics. */
async function waitForRoute(namesrvAddr: string): Promise<void> {
  const inst = MQClientInstance.getOrCreate({ namesrvAddr, instanceName: `embedded-probe-${process.pid}` });
  inst.registerTool('probe');
  try {
    for (let i = 0; i < 100; i++) {
      if (await inst.updateTopicRoute('TBW102').catch(() => false)) return;
      await new Promise((r) => setTimeout(r, 100));
    }
    throw new Error('the embedded broker did not register with the name server within 10 s');
  } finally {
    await inst.unregisterTool('probe');
  }
}

export const defaultStoreDir = (name: string) => join(homedir(), '.mq', name, 'store');
