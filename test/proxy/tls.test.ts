import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import * as grpc from '@grpc/grpc-js';
import { generate } from 'selfsigned';
import { createLogger } from '../../src/engine/common/logger.js';
import { ProxyServer } from '../../src/engine/proxy/index.js';
import { messagingServiceDefinition } from '../../src/engine/proxy/proto-loader.js';
import { loadTlsSettings } from '../../src/engine/remoting/tls/tls-config.js';
import { endProcessAfterTests, type ProxyCluster, startProxyCluster } from './harness.js';

endProcessAfterTests();
// The in-process proxy logs nowhere (no log files outside the test's dir).
process.env.MQ_LOG_LEVEL = 'silent';

const TOPIC = 'TopicTls';
const Client = grpc.makeGenericClientConstructor(messagingServiceDefinition(), 'MessagingService');

/** QueryRoute over `creds`: the status code the proxy answered, or the gRPC error. */
function queryRoute(port: number, creds: grpc.ChannelCredentials): Promise<string> {
  const client = new Client(`127.0.0.1:${port}`, creds);
  return new Promise((resolve) => {
    client.QueryRoute(
      { topic: { name: TOPIC, resource_namespace: '' }, endpoints: null },
      new grpc.Metadata(),
      { deadline: Date.now() + 5000 },
      (err: grpc.ServiceError | null, resp: { status: { code: string } } | undefined) => {
        client.close();
        resolve(err ? `grpc error ${grpc.status[err.code]}` : resp!.status.code);
      },
    );
  });
}

describe('gRPC proxy TLS (tls.server.mode as the broker reads it)', () => {
  let c: ProxyCluster;
  let cert: string;
  let tlsCreds: grpc.ChannelCredentials;
  const proxies: ProxyServer[] = [];

  /** A cluster-mode proxy in this process over the real cluster, with tls.properties saying `mode`. */
  async function proxyWith(mode: string): Promise<number> {
    const file = join(c.dir, `tls-${mode}.properties`);
    writeFileSync(
      file,
      [
        `tls.server.mode=${mode}`,
        'tls.test.mode.enable=false',
        `tls.server.certPath=${join(c.dir, 'server.pem')}`,
        `tls.server.keyPath=${join(c.dir, 'server.key')}`,
      ].join('\n'),
    );
    const p = new ProxyServer({
      mode: 'cluster',
      namesrvAddr: c.namesrv,
      grpcPort: 0,
      host: '127.0.0.1',
      tls: loadTlsSettings({ MQ_TLS_CONFIG_FILE: file }),
      logger: createLogger('proxy-tls-test'),
    });
    proxies.push(p);
    return p.start();
  }

  before(async () => {
    c = await startProxyCluster('cluster');
    await c.createTopic(TOPIC, 2);
    const pems = await generate([{ name: 'commonName', value: 'mq-proxy' }], {
      keyType: 'ec',
      curve: 'P-256',
    });
    cert = pems.cert;
    writeFileSync(join(c.dir, 'server.pem'), pems.cert);
    writeFileSync(join(c.dir, 'server.key'), pems.private);
    // The certificate is trusted as a CA; its name is not checked (as RocketMQ clients do not).
    tlsCreds = grpc.credentials.createSsl(Buffer.from(cert), null, null, {
      checkServerIdentity: () => undefined,
    });
  });
  after(async () => {
    for (const p of proxies) await p.shutdown();
    await c?.stop();
  });

  test('enforcing: a TLS client reaches QueryRoute, a plaintext one is refused', async () => {
    const port = await proxyWith('enforcing');
    assert.equal(await queryRoute(port, tlsCreds), 'OK');
    assert.equal(await queryRoute(port, grpc.credentials.createInsecure()), 'grpc error UNAVAILABLE');
  });

  test('permissive: TLS and plaintext clients both reach QueryRoute on one port', async () => {
    const port = await proxyWith('permissive');
    assert.equal(await queryRoute(port, tlsCreds), 'OK');
    assert.equal(await queryRoute(port, grpc.credentials.createInsecure()), 'OK');
  });

  test('disabled: plaintext only', async () => {
    const port = await proxyWith('disabled');
    assert.equal(await queryRoute(port, grpc.credentials.createInsecure()), 'OK');
    assert.equal(await queryRoute(port, tlsCreds), 'grpc error UNAVAILABLE');
  });

  test('a TLS client that does not trust the certificate cannot connect', async () => {
    const port = await proxyWith('enforcing');
    const other = await generate([{ name: 'commonName', value: 'other' }], { keyType: 'ec', curve: 'P-256' });
    const untrusting = grpc.credentials.createSsl(Buffer.from(other.cert), null, null, {
      checkServerIdentity: () => undefined,
    });
    assert.equal(await queryRoute(port, untrusting), 'grpc error UNAVAILABLE');
  });
});
