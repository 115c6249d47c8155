/**
 * A gRPC client for the bench that uses @grpc/grpc-js directly with the proxy's own .proto files: many
 * SendMessage / ReceiveMessage / AckMessage calls in flight on one channel, none of the SDK's own work
 * (google-protobuf objects, per-call metadata signing), so the proxy's own cost shows.
 */
import { randomUUID } from 'node:crypto';
import * as grpc from '@grpc/grpc-js';
import * as protoLoader from '@grpc/proto-loader';
import { protoDir } from '../src/engine/proxy/proto-loader.js';

type Client = grpc.Client & Record<string, (...a: unknown[]) => unknown>;

function makeClient(endpoints: string): Client {
  const pkg = protoLoader.loadSync('apache/rocketmq/v2/service.proto', {
    keepCase: true,
    longs: Number,
    enums: String,
    defaults: true,
    oneofs: true,
    includeDirs: [protoDir()],
  });
  const loaded = grpc.loadPackageDefinition(pkg) as unknown as {
    apache: { rocketmq: { v2: { MessagingService: grpc.ServiceClientConstructor } } };
  };
  return new loaded.apache.rocketmq.v2.MessagingService(
    endpoints,
    grpc.credentials.createInsecure(),
  ) as unknown as Client;
}

function call<T>(c: Client, rpc: string, req: unknown, md: grpc.Metadata, timeoutMs = 30_000): Promise<T> {
  return new Promise((resolve, reject) =>
    c[rpc]!(req, md, { deadline: Date.now() + timeoutMs }, (err: Error | null, resp: T) =>
      err ? reject(err) : resolve(resp),
    ),
  );
}

// biome-ignore lint/suspicious/noExplicitAny: proto-loader replies are plain objects
type Reply = any;

function metadata(clientId: string): grpc.Metadata {
  const md = new grpc.Metadata();
  md.set('x-mq-client-id', clientId);
  md.set('x-mq-language', 'JAVA');
  md.set('x-mq-protocol', 'v2');
  return md;
}

/** Sends `count` messages of `size` B with `inflight` SendMessage calls in flight; msg/s and failures. */
export async function rawGrpcSend(
  endpoints: string,
  topic: string,
  count: number,
  inflight: number,
  size: number,
): Promise<{ tps: number; failed: number }> {
  const c = makeClient(endpoints);
  const md = metadata(`raw-producer-${process.pid}`);
  const body = Buffer.alloc(size, 'a');
  const host = '127.0.0.1';
  let next = 0;
  let failed = 0;
  const t0 = process.hrtime.bigint();
  await Promise.all(
    Array.from({ length: inflight }, async () => {
      while (next < count) {
        next++;
        const now = Date.now();
        const req = {
          messages: [
            {
              topic: { name: topic, resource_namespace: '' },
              user_properties: {},
              system_properties: {
                message_id: randomUUID().replaceAll('-', '').toUpperCase(),
                body_encoding: 'IDENTITY',
                message_type: 'NORMAL',
                born_timestamp: { seconds: Math.floor(now / 1000), nanos: (now % 1000) * 1e6 },
                born_host: host,
              },
              body,
            },
          ],
        };
        const r = await call<Reply>(c, 'SendMessage', req, md).catch(() => undefined);
        if (r?.status?.code !== 'OK') failed++;
      }
    }),
  );
  const ms = Number(process.hrtime.bigint() - t0) / 1e6;
  c.close();
  return { tps: Math.round(((count - failed) * 1000) / ms), failed };
}

/**
 * `receivers` ReceiveMessage loops (batches of 32, each batch's acks in one AckMessage) until `total` were
 * acked; msg/s up to the last ack, and how many were acked.
 */
export async function rawGrpcReceiveAck(
  endpoints: string,
  topic: string,
  group: string,
  total: number,
  receivers = 4,
): Promise<{ tps: number; acked: number }> {
  const c = makeClient(endpoints);
  const md = metadata(`raw-consumer-${process.pid}`);
  const mq = {
    topic: { name: topic, resource_namespace: '' },
    id: -1,
    permission: 'READ_WRITE',
    broker: { name: '', id: 0 },
    accept_message_types: [],
  };
  let acked = 0;
  // The clock stops at the last ack: receivers still in a long poll on an empty queue then are not timed.
  let tEnd: bigint | undefined;
  const deadline = Date.now() + 180_000;
  const t0 = process.hrtime.bigint();
  await Promise.all(
    Array.from({ length: receivers }, async () => {
      while (acked < total && Date.now() < deadline) {
        const replies = await receive(c, md, {
          group: { name: group, resource_namespace: '' },
          message_queue: mq,
          filter_expression: { type: 'TAG', expression: '*' },
          batch_size: 32,
          invisible_duration: { seconds: 30, nanos: 0 },
          auto_renew: false,
          long_polling_timeout: { seconds: 5, nanos: 0 },
        }).catch(() => [] as Reply[]);
        const msgs = replies.filter((r) => r.message).map((r) => r.message);
        if (msgs.length === 0) continue;
        const r = await call<Reply>(
          c,
          'AckMessage',
          {
            group: { name: group, resource_namespace: '' },
            topic: { name: topic, resource_namespace: '' },
            entries: msgs.map((m: Reply) => ({
              message_id: m.system_properties.message_id,
              receipt_handle: m.system_properties.receipt_handle,
            })),
          },
          md,
        ).catch(() => undefined);
        for (const e of r?.entries ?? []) if (e.status?.code === 'OK') acked++;
        if (acked >= total) tEnd ??= process.hrtime.bigint();
      }
    }),
  );
  const ms = Number((tEnd ?? process.hrtime.bigint()) - t0) / 1e6;
  c.close();
  return { tps: Math.round((acked * 1000) / ms), acked };
}

function receive(c: Client, md: grpc.Metadata, req: unknown): Promise<Reply[]> {
  return new Promise((resolve, reject) => {
    const out: Reply[] = [];
    const stream = c.ReceiveMessage!(req, md, {
      deadline: Date.now() + 30_000,
    }) as grpc.ClientReadableStream<Reply>;
    stream.on('data', (r: Reply) => out.push(r));
    stream.on('error', reject);
    stream.on('end', () => resolve(out));
  });
}
