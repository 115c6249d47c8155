import type { SendResult } from '../client/api/client-api.js';
import { Producer } from '../client/producer/producer.js';
import type { AdminClient } from './admin-client.js';
import { AdminError } from './errors.js';

/** A short-lived producer for the RT probes (mqadmin starts one per command). */
async function withProducer<R>(
  namesrvAddr: string,
  group: string,
  fn: (p: Producer) => Promise<R>,
): Promise<R> {
  const p = new Producer({
    namesrvAddr,
    groupName: group,
    instanceName: `${group}_${process.pid}_${Date.now()}`,
  });
  await p.start();
  try {
    return await fn(p);
  } finally {
    await p.shutdown();
  }
}

/** Java Long.toString(System.currentTimeMillis()): the throwaway producer group of the RT probes. */
const timeGroup = () => String(Date.now());

const repeatTo = (unit: string, size: number) => unit.repeat(Math.max(0, Math.ceil(size / unit.length)));

export interface StatusSend {
  rt: number;
  result: SendResult;
}

/**
 * `sendMsgStatus -b BROKER_NAME [-s SIZE] [-c COUNT]`: sends to the topic named after the broker (every
 * broker has one), one warm-up message first, then COUNT timed sends; bodies "hello jodie" repeated to SIZE.
 */
export async function sendMsgStatus(
  namesrvAddr: string,
  o: { brokerName: string; messageSize: number; count: number },
  onSend?: (s: StatusSend) => void,
): Promise<{ brokerName: string; sends: StatusSend[] }> {
  return withProducer(namesrvAddr, 'PID_SMSC', async (p) => {
    const topic = o.brokerName;
    await p.send({ topic, body: Buffer.from(repeatTo('hello jodie', 16), 'utf8') });
    const sends: StatusSend[] = [];
    for (let i = 0; i < o.count; i++) {
      const body = Buffer.from(repeatTo('hello jodie', o.messageSize), 'utf8');
      const begin = Date.now();
      const result = await p.send({ topic, body });
      const s = { rt: Date.now() - begin, result };
      sends.push(s);
      onSend?.(s);
    }
    return { brokerName: o.brokerName, sends };
  });
}

export interface RtSample {
  brokerName: string | null;
  queueId: number | null;
  success: boolean;
  rt: number;
  error?: string;
}

/**
 * `checkMsgSendRT -t TOPIC [-a AMOUNT] [-s SIZE]`: AMOUNT sends, the i-th to publish queue i mod n; the
 * average leaves out the first send (connection set-up), as mqadmin does.
 */
export async function checkMsgSendRT(
  namesrvAddr: string,
  o: { topic: string; amount: number; size: number },
  onSample?: (s: RtSample) => void,
): Promise<{ topic: string; samples: RtSample[]; avgRt: number }> {
  if (o.amount < 1) throw new AdminError('-a must be at least 1');
  return withProducer(namesrvAddr, timeGroup(), async (p) => {
    const body = Buffer.from('a'.repeat(o.size), 'utf8');
    const samples: RtSample[] = [];
    let elapsed = 0;
    let brokerName: string | null = null;
    let queueId: number | null = null;
    for (let i = 0; i < o.amount; i++) {
      const start = Date.now();
      let success = false;
      let error: string | undefined;
      try {
        const mqs = await p.fetchPublishMessageQueues(o.topic);
        if (mqs.length === 0) throw new AdminError(`no writable queue for topic ${o.topic}`);
        const queue = mqs[i % mqs.length]!;
        brokerName = queue.brokerName;
        queueId = queue.queueId;
        await p.send({ topic: o.topic, body }, { queue });
        success = true;
      } catch (err) {
        error = (err as Error).message;
      }
      const rt = Date.now() - start;
      if (i !== 0) elapsed += rt;
      const s: RtSample = { brokerName, queueId, success, rt, ...(error ? { error } : {}) };
      samples.push(s);
      onSample?.(s);
    }
    // Java divides by amount − 1 (NaN for a single send).
    return { topic: o.topic, samples, avgRt: elapsed / (o.amount - 1) };
  });
}

export interface ClusterRtRow {
  clusterName: string;
  brokerName: string;
  rt: number;
  successCount: number;
  failCount: number;
}

/**
 * `clusterRT [-c CLUSTER] [-a AMOUNT] [-s SIZE]`: per broker, AMOUNT sends to the topic named after it and
 * the mean RT (first send excluded). One round per call; the command repeats rounds every interval.
 */
export async function clusterRtRound(
  admin: AdminClient,
  producer: Producer,
  o: { clusterName?: string; amount: number; size: number },
  onRow?: (r: ClusterRtRow) => void,
): Promise<ClusterRtRow[]> {
  const ci = await admin.examineBrokerClusterInfo();
  const clusters = o.clusterName ? [o.clusterName] : Object.keys(ci.clusterAddrTable).sort();
  const rows: ClusterRtRow[] = [];
  const body = Buffer.from('a'.repeat(o.size), 'utf8');
  for (const clusterName of clusters) {
    const names = ci.clusterAddrTable[clusterName];
    if (!names) throw new AdminError(`cluster [${clusterName}] not exist`);
    for (const brokerName of [...names].sort()) {
      let elapsed = 0;
      let successCount = 0;
      let failCount = 0;
      for (let i = 0; i < o.amount; i++) {
        const start = Date.now();
        try {
          await producer.send({ topic: brokerName, body });
          successCount++;
        } catch {
          failCount++;
        }
        if (i !== 0) elapsed += Date.now() - start;
      }
      const row = { clusterName, brokerName, rt: elapsed / (o.amount - 1), successCount, failCount };
      rows.push(row);
      onRow?.(row);
    }
  }
  return rows;
}

/** The producer clusterRT sends through (kept across rounds). */
export async function startRtProducer(namesrvAddr: string): Promise<Producer> {
  const group = timeGroup();
  const p = new Producer({ namesrvAddr, groupName: group, instanceName: `${group}_${process.pid}` });
  await p.start();
  return p;
}
