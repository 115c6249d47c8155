import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { generate } from 'selfsigned';
import { createRequest, createResponse } from '../../src/engine/protocol/remoting-command.js';
import {
  clientTlsOptions,
  loadTlsSettings,
  RemotingClient,
  RemotingServer,
  ServerTls,
  TlsConfigError,
  type TlsSettings,
} from '../../src/engine/remoting/index.js';
import { removeDir, tempDir } from '../helpers/servers.js';
import { captureLogger, waitFor } from './log-capture.js';

// RocketMQ's TLS: the server tells TLS from plain by the first byte (permissive serves both, enforcing
// only TLS), with a self-signed certificate in test mode or the configured one; clients connect with TLS.

const dir = tempDir('mq-tls-');
after(() => removeDir(dir));

function settings(over: Record<string, string> = {}): TlsSettings {
  const file = join(dir, `tls-${Math.random().toString(36).slice(2)}.properties`);
  writeFileSync(
    file,
    Object.entries(over)
      .map(([k, v]) => `${k}=${v}\n`)
      .join(''),
  );
  return loadTlsSettings({ MQ_TLS_CONFIG_FILE: file });
}

async function serve(t: { after(fn: () => Promise<void>): void }, s: TlsSettings) {
  const { logger, lines } = captureLogger();
  const server = new RemotingServer({ logger, tls: new ServerTls(s, logger) });
  server.registerProcessor(105, (req) => createResponse(req, 0, `hello ${req.extFields?.who}`));
  const addr = `127.0.0.1:${await server.listen(0, '127.0.0.1')}`;
  const clients: RemotingClient[] = [];
  const client = (tls?: TlsSettings) => {
    const c = new RemotingClient({
      logger,
      connectTimeoutMs: 2000,
      tls: tls ? clientTlsOptions(tls) : undefined,
    });
    clients.push(c);
    return c;
  };
  t.after(async () => {
    for (const c of clients) await c.close();
    await server.close();
  });
  const ask = async (c: RemotingClient, who: string) =>
    (await c.invoke(addr, createRequest(105, { who }), 3000)).remark;
  return { client, ask, lines };
}

test('permissive (the default): TLS and plain clients on one port; a self-signed certificate in test mode', async (t) => {
  const s = settings();
  assert.equal(s.serverMode, 'permissive');
  assert.equal(s.testMode, true);
  const { client, ask } = await serve(t, s);
  assert.equal(await ask(client(s), 'tls'), 'hello tls');
  assert.equal(await ask(client(), 'plain'), 'hello plain');
});

test('enforcing: plain connections are closed, TLS ones served', async (t) => {
  const s = settings({ 'tls.server.mode': 'enforcing' });
  const { client, ask, lines } = await serve(t, s);
  assert.equal(await ask(client(s), 'tls'), 'hello tls');
  await assert.rejects(ask(client(), 'plain'));
  await waitFor(() =>
    lines.some((l) => /plain connection refused: tls.server.mode=enforcing/.test(JSON.stringify(l))),
  );
});

test('configured certificate; a client with tls.client.authServer trusts only its trustCertPath', async (t) => {
  const pems = await generate([{ name: 'commonName', value: 'broker' }], { keyType: 'ec', curve: 'P-256' });
  const other = await generate([{ name: 'commonName', value: 'other' }], { keyType: 'ec', curve: 'P-256' });
  for (const [name, text] of [
    ['cert.pem', pems.cert],
    ['key.pem', pems.private],
    ['other.pem', other.cert],
  ] as const)
    writeFileSync(join(dir, name), text);
  const server = settings({
    'tls.test.mode.enable': 'false',
    'tls.server.certPath': join(dir, 'cert.pem'),
    'tls.server.keyPath': join(dir, 'key.pem'),
  });
  const { client, ask } = await serve(t, server);
  const trusting = settings({
    'tls.test.mode.enable': 'false',
    'tls.client.authServer': 'true',
    'tls.client.trustCertPath': join(dir, 'cert.pem'),
  });
  assert.equal(await ask(client(trusting), 'verified'), 'hello verified');
  const wrongTrust = settings({
    'tls.test.mode.enable': 'false',
    'tls.client.authServer': 'true',
    'tls.client.trustCertPath': join(dir, 'other.pem'),
  });
  await assert.rejects(ask(client(wrongTrust), 'untrusted'));
});

test('no certificate outside test mode: TLS connections are closed with a logged reason', async (t) => {
  const s = settings({ 'tls.test.mode.enable': 'false' });
  const { client, ask, lines } = await serve(t, s);
  await assert.rejects(ask(client(s), 'tls'));
  await waitFor(() =>
    lines.some((l) => /tls.server.certPath and tls.server.keyPath are not set/.test(JSON.stringify(l))),
  );
  assert.equal(await ask(client(), 'plain'), 'hello plain');
});

test('bad values in the TLS config name the file and key', () => {
  assert.throws(
    () => settings({ 'tls.server.mode': 'sometimes' }),
    (e: unknown) => {
      return (
        e instanceof TlsConfigError &&
        /tls-.*\.properties: tls.server.mode = 'sometimes' \(expected disabled, permissive, enforcing\)/.test(
          (e as Error).message,
        )
      );
    },
  );
  assert.throws(
    () => loadTlsSettings({ MQ_TLS_CONFIG_FILE: join(dir, 'missing.properties') }),
    /does not exist/,
  );
  assert.throws(
    () => loadTlsSettings({ MQ_TLS_CONFIG_FILE: '', MQ_TLS_SERVER_MODE: 'nope' }),
    /environment MQ_TLS_SERVER_MODE = 'nope'/,
  );
});
