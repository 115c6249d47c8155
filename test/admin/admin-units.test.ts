// AdminClient's address choice, through the AdminTransport seam (what a transport is asked to reach).
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { AdminClient, brokerVIPChannel } from '../../src/engine/admin/admin-client.js';
import { createResponse, type RemotingCommand } from '../../src/engine/protocol/remoting-command.js';
import { RequestCode } from '../../src/engine/protocol/request-code.js';

test('brokerVIPChannel: the same host, port - 2 (MixAll.brokerVIPChannel)', () => {
  assert.equal(brokerVIPChannel('10.0.0.5:10911'), '10.0.0.5:10909');
  assert.equal(brokerVIPChannel('[::1]:10911'), '[::1]:10909');
  assert.equal(brokerVIPChannel('host:1'), 'host:1');
});

test('vipChannelEnabled: broker calls go to port - 2, pulls stay on the broker port', async () => {
  const asked: Array<[string, number]> = [];
  const transport = {
    invoke: async (addr: string, cmd: RemotingCommand) => {
      asked.push([addr, cmd.code]);
      return createResponse(cmd, 0);
    },
    close: () => {},
  };
  const vip = new AdminClient({ namesrvAddr: '127.0.0.1:9876', transport, vipChannelEnabled: true });
  await vip.call('127.0.0.1:10911', 'GET_BROKER_RUNTIME_INFO', RequestCode.GET_BROKER_RUNTIME_INFO);
  await vip.call('127.0.0.1:10911', 'PULL_MESSAGE', RequestCode.PULL_MESSAGE);
  const plain = new AdminClient({ namesrvAddr: '127.0.0.1:9876', transport });
  await plain.call('127.0.0.1:10911', 'GET_BROKER_RUNTIME_INFO', RequestCode.GET_BROKER_RUNTIME_INFO);
  assert.deepEqual(asked, [
    ['127.0.0.1:10909', RequestCode.GET_BROKER_RUNTIME_INFO],
    ['127.0.0.1:10911', RequestCode.PULL_MESSAGE],
    ['127.0.0.1:10911', RequestCode.GET_BROKER_RUNTIME_INFO],
  ]);
});
