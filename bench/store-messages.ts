// The messages the store benchmarks put: 1 KB bodies with a tag and a unique key, as a producer sends
// them, from `producers` connections (one bornHost each; the broker has one storeHost object).
import type { HostAddress } from '../src/engine/protocol/message/message-id.js';
import { UniqKeyGenerator } from '../src/engine/protocol/message/uniq-key.js';
import type { MessageExtBrokerInner } from '../src/engine/store/types.js';

const body = Buffer.alloc(1024, 'x');
const uniq = new UniqKeyGenerator(Uint8Array.from([10, 0, 0, 1]));
const storeHost: HostAddress = { ip: Uint8Array.from([10, 0, 0, 1]), port: 10911 };

export function benchMessages(n: number, producers = 64): MessageExtBrokerInner[] {
  const bornHosts: HostAddress[] = Array.from({ length: producers }, (_, i) => ({
    ip: Uint8Array.from([10, 0, 0, 2]),
    port: 50000 + i,
  }));
  const out: MessageExtBrokerInner[] = new Array(n);
  for (let i = 0; i < n; i++) {
    out[i] = {
      topic: 'BenchTopic',
      queueId: i % 8,
      flag: 0,
      body,
      properties: `TAGS\u0001TagA\u0002UNIQ_KEY\u0001${uniq.next()}`,
      sysFlag: 0,
      bornTimestamp: Date.now(),
      bornHost: bornHosts[i % producers]!,
      storeHost,
      reconsumeTimes: 0,
      preparedTransactionOffset: 0,
    };
  }
  return out;
}
