import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { BrokerConfigError, parseBrokerConfig } from '../../src/engine/broker/config/broker-config.js';

// The classic broker.conf (every key of the seed file, placeholders included), kept in the repo.
const seed = readFileSync(join(import.meta.dirname, '../../../test/fixtures/broker.conf'), 'utf8');

test('the seed broker.conf: its brokerIP1=ip placeholder is an error naming key, line and expectation', () => {
  assert.throws(
    () => parseBrokerConfig(seed, 'broker.conf'),
    (e: unknown) => {
      assert.ok(e instanceof BrokerConfigError);
      assert.equal(e.key, 'brokerIP1');
      assert.equal(e.line, 24);
      assert.match(
        e.message,
        /^broker\.conf:24: brokerIP1 = 'ip' is not an IP address \(expected e\.g\. 192\.168\.1\.10\)$/,
      );
      return true;
    },
  );
});

test('the seed broker.conf with real addresses: every key honoured', () => {
  const fixed = seed
    .replace('brokerIP1=ip', 'brokerIP1=127.0.0.1')
    .replace('namesrvAddr=ip:9876', 'namesrvAddr=127.0.0.1:9876');
  const { config, warnings } = parseBrokerConfig(fixed);
  assert.deepEqual(warnings, []);
  assert.equal(config.brokerClusterName, 'DefaultCluster');
  assert.equal(config.brokerName, 'broker-a');
  assert.equal(config.brokerId, 0);
  assert.equal(config.deleteWhen, '04');
  assert.equal(config.fileReservedTime, 48);
  assert.equal(config.brokerRole, 'SYNC_MASTER');
  assert.equal(config.flushDiskType, 'ASYNC_FLUSH');
  assert.equal(config.listenPort, 19201);
  assert.equal(config.haListenPort, 19202);
  assert.equal(config.namesrvAddr, '127.0.0.1:9876');
  assert.equal(config.messageIndexSafe, true);
  assert.equal(config.autoCreateTopicEnable, true);
  assert.equal(config.autoCreateSubscriptionGroup, true);
  assert.equal(config.mappedFileSizeCommitLog, 1073741824);
  assert.equal(config.maxMessageSize, 4194304);
  assert.equal(config.mappedFileSizeConsumeQueue, 300000 * 20, 'the classic key counts entries');
  assert.equal(config.diskMaxUsedSpaceRatio, 90);
  assert.equal(config.waitTimeMillsInSendQueue, 5000);
  assert.equal(config.sendMessageThreadPoolNums, 64);
  assert.equal(config.useReentrantLockWhenPutMessage, true);
  assert.equal(config.defaultReadQueueNums, 16);
  assert.equal(config.defaultWriteQueueNums, 16);
  assert.equal(config.storePathRootDir, '/usr/local/rocketMQ/store');
  assert.equal(config.storePathCommitLog, '/usr/local/rocketMQ/store/commitlog');
  assert.equal(config.storePathConsumeQueue, '/usr/local/rocketMQ/store/consumequeue');
  assert.equal(config.storePathIndex, '/usr/local/rocketMQ/store/index');
});

test('unknown keys warn with the nearest known key; overrides apply last', () => {
  const { config, warnings } = parseBrokerConfig('brokerName=b1\nflushDiskTyp=SYNC_FLUSH\n', 'x.conf', {
    namesrvAddr: '127.0.0.1:1',
  });
  assert.deepEqual(warnings, [
    "x.conf:2: unknown key 'flushDiskTyp' ignored (did you mean 'flushDiskType'?)",
  ]);
  assert.equal(config.flushDiskType, 'ASYNC_FLUSH');
  assert.equal(config.namesrvAddr, '127.0.0.1:1');
});

test('malformed values name key, line and expectation', () => {
  const cases: [string, RegExp][] = [
    ['listenPort=abc', /c:1: listenPort = 'abc' is not a TCP port/],
    ['\nbrokerRole=MASTER', /c:2: brokerRole = 'MASTER' is not one of ASYNC_MASTER, SYNC_MASTER, SLAVE/],
    ['autoCreateTopicEnable=yes', /autoCreateTopicEnable = 'yes' is not a boolean/],
    ['deleteWhen=25', /deleteWhen = '25' is not a list of hours/],
    ['maxMessageSize=4M', /maxMessageSize = '4M' is not a whole number/],
    ['diskMaxUsedSpaceRatio=150', /diskMaxUsedSpaceRatio = '150' is not a percentage/],
    ['messageDelayLevel=1s 5x', /messageDelayLevel = '1s 5x' is not a list of delays/],
    ['brokerRole=SLAVE', /brokerId must be > 0 for brokerRole=SLAVE/],
  ];
  for (const [text, re] of cases) assert.throws(() => parseBrokerConfig(text, 'c'), re);
});

test('defaults follow RocketMQ 4.9', () => {
  const { config } = parseBrokerConfig('');
  assert.equal(config.listenPort, 10911);
  assert.equal(config.haListenPort, 10912);
  assert.equal(config.brokerRole, 'ASYNC_MASTER');
  assert.equal(config.fileReservedTime, 72);
  assert.equal(config.diskMaxUsedSpaceRatio, 75);
  assert.equal(config.mappedFileSizeConsumeQueue, 6000000);
  assert.equal(config.messageDelayLevel, '1s 5s 10s 30s 1m 2m 3m 4m 5m 6m 7m 8m 9m 10m 20m 30m 1h 2h');
  assert.equal(config.waitTimeMillsInSendQueue, 200);
});
