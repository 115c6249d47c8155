import { join } from 'node:path';
import { AdminClient } from '../../src/engine/admin/admin-client.js';
import {
  freePortPair,
  type Proc,
  removeDir,
  runCli,
  startBroker as startBrokerProc,
  startNamesrv,
  stopProc,
  tempDir,
} from '../helpers/servers.js';
import { pollUntil } from '../helpers/wait.js';

export interface Cluster {
  dir: string;
  namesrv: Proc;
  namesrvAddr: string;
  broker?: Proc;
  brokerAddr: string;
  brokerName: string;
  clusterName: string;
  env: Record<string, string>;
  stop(): Promise<void>;
}

/** One name server and (optionally) one master broker, in a temp dir that is removed by stop(). */
export async function startCluster(opts: { broker?: boolean; brokerName?: string } = {}): Promise<Cluster> {
  const dir = tempDir('mq-admin-test-');
  // HOME in the temp dir keeps logs, pid files and namesrv config out of the user's home.
  const env = { HOME: dir, MQ_PID_DIR: join(dir, 'pids'), MQ_LOG_LEVEL: 'warn', NAMESRV_ADDR: '' };
  const ns = await startNamesrv(dir, {
    env,
    conf: { kvConfigPath: join(dir, 'kvConfig.json'), configStorePath: join(dir, 'namesrv.properties') },
    pidFile: join(dir, 'ns.pid'),
  });
  const namesrvAddr = ns.addr;
  const brokerName = opts.brokerName ?? 'broker-a';
  const clusterName = 'AdminTestCluster';
  const cluster: Cluster = {
    dir,
    namesrv: ns.proc,
    namesrvAddr,
    brokerAddr: '',
    brokerName,
    clusterName,
    env,
    async stop() {
      await stopProc(cluster.broker);
      await stopProc(cluster.namesrv);
      removeDir(dir);
    },
  };
  if (opts.broker !== false) {
    try {
      await startBroker(cluster);
    } catch (err) {
      await cluster.stop();
      throw err;
    }
  }
  return cluster;
}

export async function startBroker(c: Cluster): Promise<void> {
  const port = await freePortPair();
  const b = await startBrokerProc({
    confFile: join(c.dir, 'broker.conf'),
    pidFile: join(c.dir, 'broker.pid'),
    conf: {
      brokerClusterName: c.clusterName,
      brokerName: c.brokerName,
      brokerId: 0,
      namesrvAddr: c.namesrvAddr,
      listenPort: port,
      brokerIP1: '127.0.0.1',
      storePathRootDir: join(c.dir, 'store'),
      storePathCommitLog: join(c.dir, 'store', 'commitlog'),
      autoCreateTopicEnable: true,
      autoCreateSubscriptionGroup: true,
      flushDiskType: 'ASYNC_FLUSH',
    },
    env: c.env,
  });
  c.broker = b.proc;
  c.brokerAddr = b.addr;
  // Ready means registered: commands resolve brokers through the name server.
  const admin = new AdminClient({ namesrvAddr: c.namesrvAddr });
  try {
    await waitFor(
      async () => (await admin.examineBrokerClusterInfo()).brokerAddrTable[c.brokerName] !== undefined,
      15_000,
      'broker registration',
    );
  } finally {
    await admin.close();
  }
}

export interface RunResult {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs `node bin/run.js …args` (piped, so mqadmin's plain text) against the cluster's name server. */
export async function mq(
  c: Cluster | null,
  args: string[],
  extraEnv: Record<string, string> = {},
  timeoutMs = 30_000,
): Promise<RunResult> {
  const env = { ...process.env, ...(c?.env ?? {}), MQ_PLAIN: '1', ...extraEnv };
  const r = await runCli(c ? [...args, '-n', c.namesrvAddr] : args, { env, timeoutMs });
  return { ...r, code: r.code ?? 1 };
}

/** Runs with --json and parses stdout (asserting the exit code). */
export async function mqJson<T = unknown>(c: Cluster | null, args: string[], expectCode = 0): Promise<T> {
  const r = await mq(c, [...args, '--json']);
  if (r.code !== expectCode)
    throw new Error(`${args.join(' ')} exited ${r.code}, expected ${expectCode}\n${r.stdout}\n${r.stderr}`);
  return JSON.parse(r.stdout) as T;
}

/** Polls `fn` until it returns a truthy value (or throws after timeoutMs). */
export function waitFor<T>(
  fn: () => Promise<T | undefined | false>,
  timeoutMs = 15_000,
  what = 'condition',
): Promise<T> {
  return pollUntil(fn, { what, timeoutMs, everyMs: 200 });
}
