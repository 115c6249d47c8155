/**
 * Child process of the crash test: appends with SYNC_FLUSH from several concurrent producers and prints
 * one line per acknowledged put ("ack <phyOffset> <queueId> <queueOffset> <key> <bodyLen>") to stdout
 * (a pipe: synchronous on Linux, so a printed line was acknowledged before the kill). Runs until killed.
 */
import { MessageStore } from '../../src/engine/store/index.js';
import { crashBody, msg, smallConfig } from './helpers.js';

const root = process.argv[2]!;
const seed = Number(process.argv[3] ?? 1);
const store = new MessageStore(
  smallConfig(root, { flushDiskType: 'SYNC_FLUSH', mappedFileSizeCommitLog: 256 * 1024 }),
  {
    diskUsage: () => 0.1,
  },
);
await store.start();
process.stdout.write('ready\n');
let n = 0;
async function producer(p: number): Promise<void> {
  for (;;) {
    const i = n++;
    const key = `s${seed}p${p}n${i}`;
    const queueId = i % 4;
    const body = crashBody(key, 50 + ((i * 7919) % 3000));
    const r = await store.putMessage(msg('CrashTopic', queueId, body, { KEYS: key, TAGS: `T${i % 3}` }));
    if (r.status === 'PUT_OK') {
      const a = r.appendResult!;
      process.stdout.write(`ack ${a.wroteOffset} ${queueId} ${a.queueOffset} ${key} ${body.length}\n`);
    }
  }
}
for (let p = 0; p < 16; p++) void producer(p);
