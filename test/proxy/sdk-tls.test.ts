// First (a side-effect import keeps its place): points grpc-js's default TLS roots at a file written below.
import './sdk-ssl-roots.js';
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { after, before, test } from 'node:test';
import { generate } from 'selfsigned';
import { ProxyServer } from '../../src/engine/proxy/index.js';
import { loadTlsSettings } from '../../src/engine/remoting/tls/tls-config.js';
import { removeDir } from '../helpers/servers.js';
import {
  endProcessAfterTests,
  Producer,
  type ProxyCluster,
  pullBodies,
  startProxyCluster,
} from './harness.js';

endProcessAfterTests();
const rootsFile = process.env.GRPC_DEFAULT_SSL_ROOTS_FILE_PATH!;
const rootsDir = dirname(rootsFile);
process.env.MQ_LOG_LEVEL = 'silent';

const TOPIC = 'TopicSdkTls';
let c: ProxyCluster;
let proxy: ProxyServer;

before(async () => {
  c = await startProxyCluster('cluster');
  await c.createTopic(TOPIC, 1);
  // The SDK checks the server's name: the certificate names 127.0.0.1, the endpoint it dials.
  const pems = await generate([{ name: 'commonName', value: '127.0.0.1' }], {
    keyType: 'ec',
    curve: 'P-256',
    extensions: [{ name: 'subjectAltName', altNames: [{ type: 7, ip: '127.0.0.1' }] }],
  });
  writeFileSync(rootsFile, pems.cert);
  writeFileSync(join(c.dir, 'server.pem'), pems.cert);
  writeFileSync(join(c.dir, 'server.key'), pems.private);
  const file = join(c.dir, 'tls.properties');
  writeFileSync(
    file,
    `tls.server.mode=enforcing\ntls.server.certPath=${join(c.dir, 'server.pem')}\ntls.server.keyPath=${join(c.dir, 'server.key')}\n`,
  );
  proxy = new ProxyServer({
    mode: 'cluster',
    namesrvAddr: c.namesrv,
    grpcPort: 0,
    host: '127.0.0.1',
    tls: loadTlsSettings({ MQ_TLS_CONFIG_FILE: file }),
  });
  await proxy.start();
});
after(async () => {
  await proxy?.shutdown();
  await c?.stop();
  removeDir(rootsDir);
});

test('the Node SDK with sslEnabled sends through a TLS-enforcing proxy', async () => {
  const producer = new Producer({
    endpoints: `127.0.0.1:${proxy.port}`,
    namespace: '',
    sslEnabled: true,
    logger: c.logger('sdk-tls-producer'),
  });
  await producer.startup();
  const r = await producer.send({ topic: TOPIC, body: Buffer.from('over TLS') });
  assert.ok(r.messageId);
  await producer.shutdown();
  assert.deepEqual(await pullBodies(c, TOPIC), ['over TLS']);
});
