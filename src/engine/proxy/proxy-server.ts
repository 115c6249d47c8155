import * as grpc from '@grpc/grpc-js';
import { buildClientId } from '../client/client-config.js';
import { createLogger, type Logger } from '../common/logger.js';
import { parseNamesrvAddr } from '../remoting/namesrv-addr.js';
import { RemotingClient } from '../remoting/remoting-client.js';
import { ProxyBackend } from './backend.js';
import { ClientRegistry } from './client-registry.js';
import { consumerService } from './consumer-service.js';
import { type LocalBroker, LocalRemotingClient } from './local-remoting-client.js';
import { messagingService } from './messaging-service.js';
import { messagingServiceDefinition } from './proto-loader.js';

export interface ProxyServerOptions {
  /** cluster: a separate tier over the network; local: inside a broker process, calling it directly. */
  mode: 'cluster' | 'local';
  /** Name servers, "host:port;host:port" (a function in local mode: the broker's current setting). */
  namesrvAddr: string | (() => string);
  /** gRPC listen port (default 8081; 0 = any free port). */
  grpcPort?: number;
  /** Listen host (default 0.0.0.0). */
  host?: string;
  /** The broker this proxy lives in (local mode). */
  localBroker?: LocalBroker;
  logger?: Logger;
}

/** Heartbeats to brokers for the connected producers' groups (brokers drop producer channels after 120 s). */
const HEARTBEAT_MS = 10_000;

/** The RocketMQ 5 gRPC proxy: MessagingService on a port, over brokers reached by the classic protocol. */
export class ProxyServer {
  private readonly server = new grpc.Server({
    'grpc.max_receive_message_length': 130 * 1024 * 1024,
    'grpc.max_send_message_length': 130 * 1024 * 1024,
  });
  readonly clients = new ClientRegistry();
  readonly backend: ProxyBackend;
  readonly log: Logger;
  private timer: NodeJS.Timeout | undefined;
  private boundPort = 0;

  constructor(private readonly o: ProxyServerOptions) {
    this.log = o.logger ?? createLogger('proxy');
    const remoting =
      o.mode === 'local'
        ? new LocalRemotingClient(mustHave(o.localBroker), { logger: this.log })
        : new RemotingClient({ logger: this.log });
    const ns = o.namesrvAddr;
    this.backend = new ProxyBackend({
      remoting,
      namesrvAddrs: () => parseNamesrvAddr(typeof ns === 'function' ? ns() : ns),
      clientId: buildClientId({ instanceName: `proxy-${process.pid}` }),
      log: this.log,
    });
    const ctx = {
      backend: this.backend,
      clients: this.clients,
      log: this.log,
      advertised: () => ({ host: advertisedHost(o.host), port: this.boundPort }),
      topicMessageTypes: (topic: string) => this.backend.topicMessageTypes(topic),
    };
    this.server.addService(
      messagingServiceDefinition(),
      messagingService({ ...ctx, extra: consumerService(ctx) }),
    );
  }

  get port(): number {
    return this.boundPort;
  }

  async start(): Promise<number> {
    const host = this.o.host ?? '0.0.0.0';
    // Plaintext only: TLS on the gRPC port is not wired to tls.properties yet.
    const creds = grpc.ServerCredentials.createInsecure();
    this.boundPort = await new Promise<number>((resolve, reject) =>
      this.server.bindAsync(
        `${host.includes(':') ? `[${host}]` : host}:${this.o.grpcPort ?? 8081}`,
        creds,
        (err, port) =>
          err
            ? reject(
                new Error(`cannot listen for gRPC on ${host}:${this.o.grpcPort ?? 8081}: ${err.message}`),
              )
            : resolve(port),
      ),
    );
    this.timer = setInterval(() => {
      this.clients.expire(120_000);
      void this.backend.heartbeatProducers(this.clients.producerGroups());
    }, HEARTBEAT_MS);
    this.timer.unref();
    this.log.info({ mode: this.o.mode, port: this.boundPort }, 'proxy started');
    return this.boundPort;
  }

  async shutdown(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    await new Promise<void>((resolve) => {
      const force = setTimeout(() => {
        this.server.forceShutdown();
        resolve();
      }, 3000);
      this.server.tryShutdown(() => {
        clearTimeout(force);
        resolve();
      });
    });
    await this.backend.remoting.close();
    this.log.info({ mode: this.o.mode }, 'proxy stopped');
  }
}

function mustHave<T>(v: T | undefined): T {
  if (!v) throw new Error('local proxy mode needs the broker it runs in');
  return v;
}

/** The host route entries name when a client sends no endpoints: the listen host, or loopback for 0.0.0.0. */
function advertisedHost(host: string | undefined): string {
  return !host || host === '0.0.0.0' || host === '::' ? '127.0.0.1' : host;
}

/** What local mode needs of a broker (BrokerController fits it): its address, its processors, its name servers. */
export interface EmbeddingBroker {
  readonly brokerAddr: string;
  readonly config: { namesrvAddr?: string };
  readonly server: { dispatchLocal: LocalBroker['dispatchLocal'] };
}

/** Starts the proxy in local mode inside `broker`'s process (`mq broker start --enable-proxy`, `mq dev`). */
export async function startLocalProxy(
  broker: EmbeddingBroker,
  grpcPort: number,
  host?: string,
): Promise<ProxyServer> {
  const proxy = new ProxyServer({
    mode: 'local',
    namesrvAddr: () => broker.config.namesrvAddr ?? '',
    grpcPort,
    host,
    localBroker: {
      get brokerAddr() {
        return broker.brokerAddr;
      },
      dispatchLocal: (cmd, ch) => broker.server.dispatchLocal(cmd, ch),
    },
  });
  await proxy.start();
  return proxy;
}
