/**
 * RocketMQ 5 timer messages on the real store, with no network: timer messages are put as a send puts
 * them (applyTimer, then the commit log), and the broker's timer service files them into the on-disk
 * wheel and log. Prints the filing rate (timers/s) and the process memory after each batch of pending
 * timers (it must stay flat as the count grows), then the firing rate of a batch due at once.
 *
 *   npm run build && node --expose-gc dist/bench/timer.js [pending=300000] [fire=50000]
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import { join } from 'node:path';
import pino from 'pino';
import { defaultBrokerConfig } from '../src/engine/broker/config/broker-config.js';
import { TimerMessageService } from '../src/engine/broker/timer/timer-message-service.js';
import { applyTimer } from '../src/engine/broker/timer/timer-send.js';
import { MessageStore } from '../src/engine/store/index.js';
import type { MessageExtBrokerInner } from '../src/engine/store/types.js';
import { statusMb } from './proc-stats.js';

const PENDING = Number(process.argv[2] ?? 300_000);
const FIRE = Number(process.argv[3] ?? 50_000);
const STEP = Math.max(1, Math.floor(PENDING / 5));
const root = fs.mkdtempSync(join(os.tmpdir(), 'mq-bench-timer-'));
const config = { ...defaultBrokerConfig(), storePathRootDir: root };
const store = new MessageStore({
  storePathRootDir: root,
  flushDiskType: 'ASYNC_FLUSH',
  cleanResourceInterval: 3600_000,
});
await store.start();
const timer = new TimerMessageService(
  config,
  pino({ level: process.env.MQ_LOG_LEVEL ?? 'warn' }),
  () => store,
  (m) => store.putMessage(m),
);
store.onMessageArrive((topic) => {
  if (topic === 'rmq_sys_wheel_timer') timer.notifyArrived();
});
timer.start();

const host = { ip: Buffer.from([127, 0, 0, 1]), port: 10911 };
const body = Buffer.alloc(256, 'x');
function timerMessage(i: number, props: Record<string, string>): MessageExtBrokerInner {
  const msg: MessageExtBrokerInner = {
    topic: 'BenchTimer',
    queueId: i % 8,
    flag: 0,
    body,
    properties: { UNIQ_KEY: `K${i}`, ...props },
    sysFlag: 0,
    bornTimestamp: Date.now(),
    bornHost: host,
    storeHost: host,
    reconsumeTimes: 0,
    preparedTransactionOffset: 0,
  };
  const refused = applyTimer(config, msg, msg.properties as Record<string, string>);
  if (refused) throw new Error(refused.remark);
  return msg;
}

const filed = () => timer.timers!.queueOffset;
async function until(cond: () => boolean): Promise<void> {
  while (!cond()) await new Promise((r) => setTimeout(r, 5));
}
const mem = () => {
  (globalThis as { gc?: () => void }).gc?.();
  const m = process.memoryUsage();
  return `heap ${(m.heapUsed / 1048576).toFixed(1)} MB, RSS ${statusMb(process.pid, 'VmRSS')} MB`;
};

// Baseline: the same puts without a timer, so the figures below read against the commit log's own rate.
{
  const b0 = performance.now();
  for (let i = 0; i < STEP; i += 64) {
    const round: Promise<unknown>[] = [];
    for (let j = i; j < Math.min(STEP, i + 64); j++) {
      const m = timerMessage(j, {});
      m.topic = 'BenchPlain';
      round.push(store.putMessage(m));
    }
    await Promise.all(round);
  }
  console.log(
    `baseline: ${Math.round(STEP / ((performance.now() - b0) / 1000))} plain puts/s (${STEP} of 256 B)`,
  );
}

console.log(`filing ${PENDING} timers due in 1 h .. 3 days (wheel ${timer.timers!.wheel.slotsTotal} slots)`);
const t0 = performance.now();
for (let done = 0; done < PENDING; ) {
  const s0 = performance.now();
  const end = Math.min(PENDING, done + STEP);
  for (; done < end; done += 64) {
    const round: Promise<unknown>[] = [];
    for (let j = done; j < Math.min(end, done + 64); j++) {
      const delaySec = 3600 + Math.floor(Math.random() * (3 * 86_400 - 3700));
      round.push(store.putMessage(timerMessage(j, { TIMER_DELAY_SEC: String(delaySec) })));
    }
    await Promise.all(round);
  }
  done = end;
  await until(() => filed() >= done);
  const s = (performance.now() - s0) / 1000;
  console.log(`  ${String(done).padStart(8)} pending: ${Math.round(STEP / s)} timers/s sent+filed; ${mem()}`);
}
const total = (performance.now() - t0) / 1000;
console.log(
  `scheduling: ${Math.round(PENDING / total)} timers/s over ${PENDING} (send transform + commit log + wheel)`,
);

// Filing alone: stop the service, put a backlog, start it again and time how fast it files the backlog.
await timer.shutdown();
for (let i = 0; i < PENDING / 3; i += 64) {
  const round: Promise<unknown>[] = [];
  for (let j = i; j < Math.min(PENDING / 3, i + 64); j++)
    round.push(store.putMessage(timerMessage(j, { TIMER_DELAY_SEC: String(7200 + (j % 86_400)) })));
  await Promise.all(round);
}
const backlog = Math.floor(PENDING / 3);
timer.start();
const f0 = performance.now();
const from = filed();
await until(() => filed() - from >= backlog);
console.log(
  `filing only: ${Math.round(backlog / ((performance.now() - f0) / 1000))} timers/s (a backlog of ${backlog}); ${mem()}`,
);

// Firing: FIRE timers due within the same 2 s, delivered to their real topic. Any put after its time
// has passed is a plain message (as in 5.x) and is not counted.
const dueAt = Date.now() + 3000 + Math.round(FIRE / 10);
let direct = 0;
for (let i = 0; i < FIRE; i += 64) {
  const round: Promise<unknown>[] = [];
  for (let j = i; j < Math.min(FIRE, i + 64); j++) {
    const m = timerMessage(j, { TIMER_DELIVER_MS: String(dueAt + (j % 2000)) });
    if (m.topic !== 'rmq_sys_wheel_timer') direct++;
    round.push(store.putMessage(m));
  }
  await Promise.all(round);
}
const d0 = timer.delivered;
const progress = setInterval(() => {
  if (process.env.TIMER_BENCH_DEBUG)
    console.log(
      `  delivered ${timer.delivered - d0}, filed ${filed()}, behind ${timer.offsetBehind}, read time ${timer.timers!.readTimeMs - Date.now()} ms from now`,
    );
}, 2000);
await until(() => timer.delivered - d0 >= FIRE - direct);
clearInterval(progress);
const fireS = (Date.now() - dueAt) / 1000;
console.log(
  `firing: ${FIRE - direct} timers due over 2 s all re-put ${fireS.toFixed(2)} s after the first was due (${Math.round((FIRE - direct) / fireS)} /s); ${mem()}`,
);

await timer.shutdown();
await store.shutdown();
fs.rmSync(root, { recursive: true, force: true });
