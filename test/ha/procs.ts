// HA brokers (master/slave specs) for the HA integration tests and bench/ha.ts, on test/helpers/servers.ts.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  type NamesrvHandle,
  type NamesrvOptions,
  type Proc,
  type BrokerHandle as Started,
  startBroker as startBrokerProc,
  startNamesrv as startNamesrvProc,
} from '../helpers/servers.js';
import { pollUntil } from '../helpers/wait.js';

export type { NamesrvHandle, Proc };

/** HA processes log at info unless MQ_LOG_LEVEL says otherwise. */
const logLevel = () => process.env.MQ_LOG_LEVEL ?? 'info';

/** A name server logging to `<dir>/logs-namesrv`. */
export function startNamesrv(
  dir: string,
  opts: Pick<NamesrvOptions, 'port' | 'host' | 'wrap'> = {},
): Promise<NamesrvHandle> {
  return startNamesrvProc(dir, {
    ...opts,
    env: { MQ_LOG_DIR: join(dir, 'logs-namesrv'), MQ_LOG_LEVEL: logLevel() },
  });
}

export interface BrokerSpec {
  name: string;
  namesrvAddr: string;
  brokerName: string;
  brokerId: number;
  brokerRole: 'ASYNC_MASTER' | 'SYNC_MASTER' | 'SLAVE';
  listenPort: number;
  storeDir: string;
  extra?: Record<string, string | number | boolean>;
  /** brokerIP1/brokerIP2 (default 127.0.0.1). */
  ip?: string;
  /** Command prefix to run the broker under (network namespaces). */
  wrap?: string[];
}

export interface BrokerHandle extends Started {
  spec: BrokerSpec;
}

/** Starts the spec's broker with `<storeDir>.conf`, `<storeDir>.pid` and logs in `<storeDir>-logs`. */
export async function startBroker(spec: BrokerSpec): Promise<BrokerHandle> {
  const started = await startBrokerProc({
    name: spec.name,
    confFile: `${spec.storeDir}.conf`,
    conf: {
      brokerClusterName: 'HaCluster',
      brokerName: spec.brokerName,
      brokerId: spec.brokerId,
      brokerRole: spec.brokerRole,
      flushDiskType: 'ASYNC_FLUSH',
      namesrvAddr: spec.namesrvAddr,
      brokerIP1: spec.ip ?? '127.0.0.1',
      brokerIP2: spec.ip ?? '127.0.0.1',
      listenPort: spec.listenPort,
      storePathRootDir: spec.storeDir,
      storePathCommitLog: join(spec.storeDir, 'commitlog'),
      autoCreateTopicEnable: true,
      // Small files keep temp stores small; 1 MiB also exercises replication across file boundaries.
      mappedFileSizeCommitLog: 1024 * 1024,
      ...spec.extra,
    },
    env: { MQ_LOG_DIR: `${spec.storeDir}-logs`, MQ_LOG_LEVEL: logLevel() },
    wrap: spec.wrap,
  });
  return { ...started, spec };
}

/** Polls `check` every `everyMs` until it returns a truthy value or `timeoutMs` passes. */
export function waitFor<T>(
  what: string,
  check: () => Promise<T> | T,
  timeoutMs = 15_000,
  everyMs = 100,
): Promise<T> {
  return pollUntil(check, { what, timeoutMs, everyMs });
}

/** All commit-log files of a store, concatenated (to compare master and slave byte for byte). */
export function commitLog(storeDir: string): Buffer {
  const dir = join(storeDir, 'commitlog');
  const names = readdirSync(dir)
    .filter((n) => /^\d{20}$/.test(n))
    .sort();
  return Buffer.concat(names.map((n) => readFileSync(join(dir, n))));
}
