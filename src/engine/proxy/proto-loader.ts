import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import * as grpc from '@grpc/grpc-js';
import * as protoLoader from '@grpc/proto-loader';

/**
 * Where the .proto files are: beside this module in dist/src (tsc output, the build copies them there), or,
 * from the esbuild bundle (dist/cli/…), in dist/src/engine/proxy/proto found by walking up.
 */
export function protoDir(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  const tried: string[] = [];
  for (let i = 0; i < 6; i++) {
    for (const c of [join(dir, 'proto'), join(dir, 'dist/src/engine/proxy/proto')]) {
      if (existsSync(join(c, 'apache/rocketmq/v2/service.proto'))) return c;
      tried.push(c);
    }
    dir = dirname(dir);
  }
  throw new Error(`RocketMQ v2 .proto files not found (looked in ${tried.join(', ')}); run npm run build`);
}

/** Field names stay snake_case as in the .proto; int64 become numbers; enums their names. */
const OPTIONS: protoLoader.Options = {
  keepCase: true,
  longs: Number,
  enums: String,
  defaults: true,
  oneofs: true,
  includeDirs: [],
};

let cached: grpc.ServiceDefinition | undefined;

/** The MessagingService definition (loaded once per process). */
export function messagingServiceDefinition(): grpc.ServiceDefinition {
  if (cached) return cached;
  const dir = protoDir();
  const pkg = protoLoader.loadSync('apache/rocketmq/v2/service.proto', { ...OPTIONS, includeDirs: [dir] });
  const loaded = grpc.loadPackageDefinition(pkg) as unknown as {
    apache: { rocketmq: { v2: { MessagingService: grpc.ServiceClientConstructor } } };
  };
  cached = loaded.apache.rocketmq.v2.MessagingService.service;
  return cached;
}
