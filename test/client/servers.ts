import { join } from 'node:path';
import {
  killProc,
  type Proc,
  removeDir,
  startBroker,
  startNamesrv,
  stopProc,
  tempDir,
} from '../helpers/servers.js';
import { pollUntil } from '../helpers/wait.js';

export interface Cluster {
  dir: string;
  namesrv: string;
  brokers: string[];
  /** Env for child CLI processes (logs in the temp dir). */
  env: NodeJS.ProcessEnv;
  /** SIGKILL one broker (a crash: no unregistration). */
  killBroker(index: number): Promise<void>;
  stop(): Promise<void>;
}

/**
 * Our name server and `brokers` brokers as child processes (`node bin/run.js ... start`) on free ports,
 * stores and logs in a temp dir that `stop()` removes.
 */
export async function startCluster(
  opts: { brokers?: number; brokerConf?: Record<string, string> } = {},
): Promise<Cluster> {
  const dir = tempDir('mq-client-test-');
  const env = { MQ_LOG_DIR: join(dir, 'logs'), NO_COLOR: '1' };
  // The client engine in this test process logs there too (not into ~/logs).
  process.env.MQ_LOG_DIR ??= join(dir, 'logs');
  const procs: Proc[] = [];
  const stop = async () => {
    for (const p of procs.reverse()) await stopProc(p, 5000);
    removeDir(dir);
  };
  try {
    const ns = await startNamesrv(dir, { env, pidFile: join(dir, 'ns.pid') });
    procs.push(ns.proc);
    const brokers: string[] = [];
    const brokerProcs: Proc[] = [];
    for (let i = 0; i < (opts.brokers ?? 1); i++) {
      const name = `broker-${String.fromCharCode(97 + i)}`;
      const b = await startBroker({
        confFile: join(dir, `${name}.conf`),
        conf: {
          brokerClusterName: 'DefaultCluster',
          brokerName: name,
          brokerId: '0',
          listenPort: '0',
          namesrvAddr: ns.addr,
          storePathRootDir: join(dir, name),
          brokerIP1: '127.0.0.1',
          ...opts.brokerConf,
        },
        env,
      });
      procs.push(b.proc);
      brokerProcs.push(b.proc);
      brokers.push(b.addr);
    }
    const killBroker = (i: number) => killProc(brokerProcs[i]);
    return { dir, namesrv: ns.addr, brokers, env: { ...process.env, ...env }, killBroker, stop };
  } catch (err) {
    await stop();
    throw err;
  }
}

/** Polls `cond` every 50 ms until true or `timeoutMs` passes (then throws `what`). */
export async function waitFor(
  cond: () => boolean | Promise<boolean>,
  timeoutMs: number,
  what: string,
): Promise<void> {
  await pollUntil(cond, { what, timeoutMs, everyMs: 50 });
}
