// Runs inside a network namespace (`ip netns exec … node dist/test/ha/netns-producer.js`): sends
// `count` messages of `size` bytes through our client engine and prints one JSON line of status counts.
import { Producer } from '../../src/engine/client/index.js';

const [namesrv, topic, countText, sizeText] = process.argv.slice(2);
if (!namesrv || !topic) {
  process.stderr.write('usage: netns-producer <namesrv> <topic> <count> <size>\n');
  process.exit(2);
}
const count = Number(countText ?? 100);
const size = Number(sizeText ?? 1000);
const producer = new Producer({
  namesrvAddr: namesrv,
  groupName: 'PG_NETNS',
  instanceName: `netns${process.pid}`,
  sendMsgTimeout: 8000,
});
await producer.start();
const statuses: Record<string, number> = {};
for (let i = 0; i < count; i += 50) {
  const rs = await Promise.allSettled(
    Array.from({ length: Math.min(50, count - i) }, (_, k) =>
      producer.send({ topic, body: Buffer.alloc(size, (i + k) & 0xff), keys: `n${i + k}` }),
    ),
  );
  for (const r of rs) {
    const key = r.status === 'fulfilled' ? r.value.sendStatus : `error: ${(r.reason as Error).message}`;
    statuses[key] = (statuses[key] ?? 0) + 1;
  }
}
await producer.shutdown();
process.stdout.write(`${JSON.stringify(statuses)}\n`);
process.exit(0);
