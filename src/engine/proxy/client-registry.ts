import type { ServerDuplexStream } from '@grpc/grpc-js';
import type { Duration, Resource } from './v2-types.js';

/** Settings as a client sends them on Telemetry (only what the proxy reads). */
export interface ClientSettings {
  client_type?: string;
  access_point?: unknown;
  backoff_policy?: { max_attempts: number } | null;
  request_timeout?: Duration | null;
  pub_sub?: string;
  publishing?: { topics: Resource[]; max_body_size: number; validate_message_type: boolean } | null;
  subscription?: {
    group?: Resource | null;
    subscriptions: { topic: Resource; expression: { type: string; expression: string } }[];
    fifo?: boolean;
    receive_batch_size?: number;
    long_polling_timeout?: Duration | null;
  } | null;
  user_agent?: unknown;
  metric?: unknown;
}

// biome-ignore lint/suspicious/noExplicitAny: proto-loader messages are plain objects
export type TelemetryStream = ServerDuplexStream<any, any>;

export interface ClientEntry {
  clientId: string;
  settings: ClientSettings;
  /** Open Telemetry streams of this client (one per proxy endpoint it uses; usually one). */
  streams: Set<TelemetryStream>;
  lastSeen: number;
}

/** The gRPC clients the proxy knows: their settings and Telemetry streams (GrpcClientSettingsManager + channels). */
export class ClientRegistry {
  private readonly clients = new Map<string, ClientEntry>();

  get(clientId: string): ClientEntry | undefined {
    return this.clients.get(clientId);
  }

  touch(clientId: string): ClientEntry {
    let c = this.clients.get(clientId);
    if (!c) {
      c = { clientId, settings: {}, streams: new Set(), lastSeen: Date.now() };
      this.clients.set(clientId, c);
    }
    c.lastSeen = Date.now();
    return c;
  }

  remove(clientId: string): ClientEntry | undefined {
    const c = this.clients.get(clientId);
    this.clients.delete(clientId);
    return c;
  }

  /** Producer groups to register on brokers: a 5.x producer's group is its topic (as in Apache's proxy). */
  producerGroups(): string[] {
    const out = new Set<string>();
    for (const c of this.clients.values())
      if (c.settings.client_type === 'PRODUCER' && c.streams.size > 0)
        for (const t of c.settings.publishing?.topics ?? []) out.add(t.name);
    return [...out];
  }

  /** A producer with an open stream that publishes `topic` (who answers a transaction check). */
  streamForTopic(topic: string): TelemetryStream | undefined {
    for (const c of this.clients.values()) {
      if (c.settings.client_type !== 'PRODUCER') continue;
      if (!(c.settings.publishing?.topics ?? []).some((t) => t.name === topic)) continue;
      for (const s of c.streams) return s;
    }
    return undefined;
  }

  /** Forgets clients with no stream and no call for `idleMs` (a client that vanished without notice). */
  expire(idleMs: number, now = Date.now()): void {
    for (const [id, c] of this.clients)
      if (c.streams.size === 0 && now - c.lastSeen > idleMs) this.clients.delete(id);
  }
}
