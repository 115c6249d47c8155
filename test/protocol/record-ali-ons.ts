// Records the frames ali-ons 3.12.0 sends to a name server, for the decoder fixture test.
// Run: npx tsc -p . && node dist/test/protocol/record-ali-ons.js  (rewrites test/fixtures/protocol/ali-ons-*.bin)
import { writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { connect, createServer } from 'node:net';
import { join } from 'node:path';
import { NamesrvController } from '../../src/engine/namesrv/index.js';
import { newTopicConfig } from '../../src/engine/protocol/bodies/topic-config.js';
import { buildRegisterBrokerRequest } from '../../src/engine/protocol/requests/register-broker.js';
import { RemotingClient } from '../../src/engine/remoting/index.js';
import { closeAliOnsProducer, startAliOnsProducer } from '../namesrv/ali-ons-peer.js';

const outDir = join(process.cwd(), 'test', 'fixtures', 'protocol');

const ns = new NamesrvController({ listenPort: 0, host: '127.0.0.1', kvConfigPath: '' });
const { port } = await ns.start();
const captured: Buffer[] = [];
const proxy = createServer((client) => {
  const upstream = connect(port, '127.0.0.1');
  client.on('data', (d) => {
    captured.push(Buffer.from(d));
    upstream.write(d);
  });
  upstream.on('data', (d) => client.write(d));
  client.on('close', () => upstream.destroy());
  upstream.on('close', () => client.destroy());
  client.on('error', () => {});
  upstream.on('error', () => {});
});
await new Promise<void>((r) => proxy.listen(0, '127.0.0.1', () => r()));
const proxyPort = (proxy.address() as { port: number }).port;

const brokerCaptured: Buffer[] = [];
const fakeBroker = createServer((sock) => {
  sock.on('data', (d) => brokerCaptured.push(Buffer.from(d)));
  sock.on('error', () => {});
});
await new Promise<void>((r) => fakeBroker.listen(0, '127.0.0.1', () => r()));
const brokerPort = (fakeBroker.address() as { port: number }).port;

const rc = new RemotingClient();
await rc.invoke(
  `127.0.0.1:${port}`,
  buildRegisterBrokerRequest({
    brokerName: 'broker-a',
    brokerAddr: `127.0.0.1:${brokerPort}`,
    clusterName: 'DefaultCluster',
    haServerAddr: '127.0.0.1:10912',
    brokerId: 0,
    body: {
      topicConfigSerializeWrapper: {
        topicConfigTable: { TopicA: newTopicConfig('TopicA', { readQueueNums: 4, writeQueueNums: 4 }) },
        dataVersion: { counter: 1, timestamp: 1700000000000 },
      },
      filterServerList: [],
    },
  }),
  3000,
);

const producer = await startAliOnsProducer(`127.0.0.1:${proxyPort}`);
await producer._mqClient.getTopicRouteInfoFromNameServer('TopicA', 3000);
await producer._mqClient.getTopicRouteInfoFromNameServer('NoSuchTopic', 3000).catch(() => undefined);
await producer._mqClient.getDefaultTopicRouteInfoFromNameServer('TBW102', 3000).catch(() => undefined);
// A send goes to the (capturing, silent) broker: records HEART_BEAT/SEND_MESSAGE_V2 with raw JS values.
const require = createRequire(import.meta.url);
const { Message } = require('ali-ons') as { Message: new (t: string, tag: string, body: string) => object };
const msg = new Message('TopicA', 'TagA', 'hello from ali-ons');
(msg as { keys: string[] }).keys = ['K1'];
await (producer as unknown as { send(m: object): Promise<unknown> }).send(msg).catch(() => undefined);
await new Promise((r) => setTimeout(r, 200));
await closeAliOnsProducer(producer);
captured.push(...brokerCaptured);

const all = Buffer.concat(captured);
let off = 0;
let n = 0;
while (off + 4 <= all.length) {
  const len = all.readInt32BE(off);
  const frame = all.subarray(off, off + 4 + len);
  const header = JSON.parse(frame.subarray(8, 8 + frame.readInt32BE(4)).toString());
  const file = join(outDir, `ali-ons-${String(n).padStart(2, '0')}-code${header.code}.bin`);
  writeFileSync(file, frame);
  console.log(file, frame.length, JSON.stringify(header));
  off += 4 + len;
  n++;
}
await rc.close();
proxy.close();
fakeBroker.close();
await ns.shutdown();
process.exit(0);
