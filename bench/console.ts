/**
 * The console with a big cluster: 1,000 topics and 200 consumer groups on one broker, then in headless
 * Chromium the time until the landing page shows the brokers (first load and reloads), the Topic and
 * Consumer pages' lists, a /metrics scrape, and the console process's RSS after all that.
 *
 *   npm run build && node dist/bench/console.js [topics=1000] [groups=200]
 */

import { AdminClient } from '../src/engine/admin/admin-client.js';
import { newSubscriptionGroupConfig } from '../src/engine/protocol/bodies/subscription-group-config.js';
import { newTopicConfig } from '../src/engine/protocol/bodies/topic-config.js';
import { startCluster } from '../test/admin/servers.js';
import { launchChromium } from '../test/console/browser.js';
import { startConsoleProc } from '../test/console/console-proc.js';
import { removeDir, stopProc, tempDir } from '../test/helpers/servers.js';
import { statusMb } from './proc-stats.js';

const topics = Number(process.argv[2] ?? 1000);
const groups = Number(process.argv[3] ?? 200);

/** VmRSS, and its anonymous part (heap, stacks) beside the file-backed part (node's own code, shared). */
function rssMb(pid: number): string {
  const mb = (k: string) => Math.round(statusMb(pid, k));
  return `${mb('VmRSS')} (anonymous ${mb('RssAnon')}, file-backed ${mb('RssFile')})`;
}

const c = await startCluster();
const dir = tempDir('mq-bench-console-');
const admin = new AdminClient({ namesrvAddr: c.namesrvAddr });
try {
  for (let i = 0; i < topics; i++)
    await admin.createAndUpdateTopicConfig(
      c.brokerAddr,
      newTopicConfig(`BenchTopic${i}`, { readQueueNums: 4, writeQueueNums: 4 }),
    );
  for (let i = 0; i < groups; i++)
    await admin.createAndUpdateSubscriptionGroupConfig(
      c.brokerAddr,
      newSubscriptionGroupConfig(`BenchGroup${i}`),
    );
  // The name server learns the topics at the broker's next registration.
  for (let t0 = Date.now(); (await admin.fetchAllTopicList()).length < topics && Date.now() - t0 < 60_000; )
    await new Promise((r) => setTimeout(r, 500));
  console.log(`cluster: ${(await admin.fetchAllTopicList()).length} topics, ${groups} groups`);

  const con = await startConsoleProc(c, ['--topic-sample-interval', '60']);
  const pid = con.proc.child.pid!;
  console.log(`console RSS at start: ${rssMb(pid)} MB`);
  const browser = await launchChromium(dir);
  const page = await browser.newPage();
  const timed = async (what: string, fn: () => Promise<unknown>) => {
    const t0 = performance.now();
    await fn();
    const ms = Math.round(performance.now() - t0);
    console.log(`${what}: ${ms} ms`);
    return ms;
  };
  await timed('landing page, first load (brokers shown)', async () => {
    await page.goto(`${con.url}/#/dashboard`);
    await page.waitForSelector('#broker-table td.broker-name');
  });
  const reloads: number[] = [];
  for (let i = 0; i < 5; i++)
    reloads.push(
      await timed(`landing page, reload ${i + 1}`, async () => {
        await page.reload();
        await page.waitForSelector('#broker-table td.broker-name');
      }),
    );
  const tab = await browser.newPage();
  await timed('landing page in a new tab', async () => {
    await tab.goto(`${con.url}/#/dashboard`);
    await tab.waitForSelector('#broker-table td.broker-name');
  });
  await tab.close();
  await timed('/dashboard/live.query alone', async () =>
    (await fetch(`${con.url}/dashboard/live.query`)).json(),
  );
  await timed(`topic page, ${topics} topics listed`, async () => {
    await page.goto(`${con.url}/#/topic`);
    await page.waitForSelector('#topic-table td.topic-name');
  });
  await timed(`consumer page, ${groups} groups listed (first, uncached)`, async () => {
    await page.goto(`${con.url}/#/consumer`);
    await page.waitForSelector('#group-table td.group-name', { timeout: 120_000 });
  });
  await timed('/metrics scrape', async () => (await fetch(`${con.url}/metrics`)).text());
  await page.goto(`${con.url}/#/dashboard`);
  await new Promise((r) => setTimeout(r, 5000));
  console.log(`console RSS after pages, groups and /metrics, 5 s of live polling: ${rssMb(pid)} MB`);
  await browser.close();
  await stopProc(con.proc);
} finally {
  await admin.close();
  await c.stop();
  removeDir(dir);
}
