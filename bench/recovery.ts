/**
 * Recovery after kill -9 (issue 16, goal 6): a child process fills a commit log of `mb` MB (1 GiB by
 * default: one full 1 GiB file) with 1 KB messages over 8 queues, each with a unique key (as producers send
 * them), ASYNC_FLUSH; it is killed with SIGKILL as soon as the log holds that much, then this process opens
 * the store and times its start (abnormal recovery: CRC scan, consume-queue and index repair), with the
 * CPU time it took (steadier than wall time on a shared machine), and checks that every queue ends where
 * the commit log does. The page cache is warm: the log was written just before (a kill -9, not a reboot).
 *
 *   npm run build && node dist/bench/recovery.js [mb=1024] [checkCRCOnRecover=true]
 *
 * The store lives in a temp dir, removed at the end (needs ~1.1 GB free there).
 */
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { MessageStore } from '../src/engine/store/index.js';
import { removeDir, tempDir } from '../test/helpers/servers.js';

const QUEUES = 8;
const TOPIC = 'RecoveryBench';

function storeConfig(root: string, checkCRCOnRecover = true) {
  return { storePathRootDir: root, checkCRCOnRecover, cleanResourceInterval: 3_600_000 };
}

/** The child: puts until killed, printing the commit log's written bytes now and then. */
async function writer(root: string): Promise<void> {
  const store = new MessageStore(storeConfig(root));
  await store.start();
  const body = Buffer.alloc(1024, 'x');
  let i = 0;
  let next = 0;
  const produce = async () => {
    for (;;) {
      const n = i++;
      await store.putMessage({
        topic: TOPIC,
        queueId: n % QUEUES,
        flag: 0,
        body,
        properties: { UNIQ_KEY: `k${n}`, KEYS: `key${n}` },
        sysFlag: 0,
        bornTimestamp: Date.now(),
        bornHost: { ip: Buffer.from([127, 0, 0, 1]), port: 1 },
        storeHost: { ip: Buffer.from([127, 0, 0, 1]), port: 10911 },
        reconsumeTimes: 0,
        preparedTransactionOffset: 0,
      });
      const off = store.commitLog.writtenOffset;
      if (off >= next) {
        process.stdout.write(`${off}\n`);
        next = off + (16 << 20);
      }
    }
  };
  for (let p = 0; p < 32; p++) void produce();
}

async function main(): Promise<void> {
  const mb = Number(process.argv[2] ?? 1024);
  const crc = (process.argv[3] ?? 'true') !== 'false';
  const root = tempDir('mq-bench-recovery-');
  try {
    const t0 = performance.now();
    const child = spawn(process.execPath, [fileURLToPath(import.meta.url), '--writer', root], {
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    let written = 0;
    await new Promise<void>((resolve, reject) => {
      child.once('exit', (code) => reject(new Error(`writer exited with ${code}`)));
      child.stdout!.setEncoding('utf8').on('data', (d: string) => {
        written = Math.max(written, ...d.trim().split('\n').map(Number));
        if (written >= mb * 1024 * 1024 - (16 << 20)) {
          child.removeAllListeners('exit');
          child.kill('SIGKILL');
          child.once('exit', () => resolve());
        }
      });
    });
    const writeS = ((performance.now() - t0) / 1000).toFixed(1);
    const store = new MessageStore(storeConfig(root, crc));
    const t1 = performance.now();
    const c1 = process.cpuUsage();
    await store.start();
    const ms = Math.round(performance.now() - t1);
    const cpu = process.cpuUsage(c1);
    const end = store.commitLog.writtenOffset;
    let max = 0;
    for (let q = 0; q < QUEUES; q++) max += store.getMaxOffsetInQueue(TOPIC, q);
    const summary = store.recoveryReport.summary();
    await store.shutdown();
    console.log(
      `kill -9 after ~${Math.round(written / 1048576)} MB (${writeS} s of writing); recovery (checkCRCOnRecover=${crc}): ${ms} ms (CPU ${Math.round(cpu.user / 1000)} user + ${Math.round(cpu.system / 1000)} sys ms); commit log ends at ${end}, ${max} messages in the queues`,
    );
    console.log(`  ${summary}`);
  } finally {
    removeDir(root);
  }
}

if (process.argv[2] === '--writer') await writer(process.argv[3]!);
else await main();
