import * as grpc from '@grpc/grpc-js';
import type { PlainAccessValidator } from '../acl/index.js';
import { buildClientId } from '../client/client-config.js';
import { createLogger, type Logger } from '../common/logger.js';
import { type AclCredentials, aclClientHook } from '../remoting/acl-client-hook.js';
import { parseNamesrvAddr } from '../remoting/namesrv-addr.js';
import { RemotingClient } from '../remoting/remoting-client.js';
import { loadTlsSettings, type TlsSettings } from '../remoting/tls/tls-config.js';
import { ProxyBackend } from './backend.js';
import { ClientRegistry } from './client-registry.js';
import { consumerService } from './consumer-service.js';
import { checkGrpcCall, withAcl } from './grpc-acl.js';
import { type GrpcListener, listenGrpc } from './grpc-listener.js';
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
  /** TLS of the gRPC port (tls.server.mode etc.); default: read as the broker reads them. */
  tls?: TlsSettings;
  /** Plain ACL: every gRPC call's 5.x signature and permissions are checked against it. */
  acl?: PlainAccessValidator;
  /** Keys the proxy signs its own classic calls to ACL brokers with (cluster mode). */
  brokerCredentials?: AclCredentials;
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
  private listener: GrpcListener | undefined;
  private readonly tls: TlsSettings;

  constructor(private readonly o: ProxyServerOptions) {
    this.log = o.logger ?? createLogger('proxy');
    this.tls = o.tls ?? loadTlsSettings();
    const remoting =
      o.mode === 'local'
        ? new LocalRemotingClient(mustHave(o.localBroker), { logger: this.log })
        : new RemotingClient({ logger: this.log });
    if (o.mode === 'cluster' && o.brokerCredentials)
      (remoting as RemotingClient).registerRpcHook(aclClientHook(o.brokerCredentials));
    const ns = o.namesrvAddr;
    this.backend = new ProxyBackend({
      remoting,
      namesrvAddrs: () => parseNamesrvAddr(typeof ns === 'function' ? ns() : ns),
      clientId: buildClientId({ instanceName: `proxy-${process.pid}` }),
      log: this.log,
    });
    const acl = o.acl;
    const ctx = {
      backend: this.backend,
      clients: this.clients,
      log: this.log,
      advertised: () => ({ host: advertisedHost(o.host), port: this.boundPort }),
      topicMessageTypes: (topic: string) => this.backend.topicMessageTypes(topic),
      authorizeSettings: acl
        ? (cmd: unknown, md: grpc.Metadata, peer: string) => checkGrpcCall(acl, 'Telemetry', cmd, md, peer)
        : undefined,
    };
    const service = messagingService({ ...ctx, extra: consumerService(ctx) });
    this.server.addService(messagingServiceDefinition(), o.acl ? withAcl(service, o.acl, this.log) : service);
  }

  get port(): number {
    return this.boundPort;
  }

  async start(): Promise<number> {
    const host = this.o.host ?? '0.0.0.0';
    this.listener = await listenGrpc(this.server, host, this.o.grpcPort ?? 8081, this.tls, this.log);
    this.boundPort = this.listener.port;
    this.timer = setInterval(() => {
      this.clients.expire(120_000);
      void this.backend.heartbeatProducers(this.clients.producerGroups());
    }, HEARTBEAT_MS);
    this.timer.unref();
    this.log.info(
      { mode: this.o.mode, port: this.boundPort, tls: this.tls.serverMode, acl: this.o.acl?.file ?? false },
      'proxy started',
    );
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
    await this.listener?.close();
    await this.backend.remoting.close();
    // Local mode borrows the broker's validator; cluster mode owns its own.
    if (this.o.mode === 'cluster') this.o.acl?.close();
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
  /** The broker's plain ACL (aclEnable=true): the proxy checks gRPC calls against it. */
  readonly acl?: PlainAccessValidator;
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
    acl: broker.acl,
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
