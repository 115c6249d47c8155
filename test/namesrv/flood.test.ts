// Issue 13 item 14: a flood of malformed frames from one peer is logged rate-limited (the first error at
// once, then one line per peer per interval with a count), and once it is over the name server gives the
// memory it grew back (bench/flood.ts measures the RSS).
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { buildGetRouteInfoRequest } from '../../src/engine/protocol/requests/get-route-info.js';
import { RemotingClient } from '../../src/engine/remoting/index.js';
import { floodMalformedFrames } from '../helpers/flood.js';
import { removeDir, startNamesrv, stopProc, tempDir } from '../helpers/servers.js';
import { pollUntil } from '../helpers/wait.js';

const FRAMES = 3000;

test('a flood of malformed frames is logged as a few counted lines, the name server keeps serving and reclaims memory', {
  timeout: 120_000,
}, async (t) => {
  const dir = tempDir('mq-ns-flood-');
  const logs = join(dir, 'logs');
  const ns = await startNamesrv(dir, {
    env: { MQ_LOG_DIR: logs, MQ_LOG_LEVEL: 'info', MQ_LOG_FORMAT: 'json' },
  });
  const client = new RemotingClient();
  t.after(async () => {
    await client.close();
    await stopProc(ns.proc);
    removeDir(dir);
  });
  // JSON lines (MQ_LOG_FORMAT=json): the counts are fields of the log records.
  const lines = (): Array<Record<string, unknown>> => {
    const f = join(logs, 'namesrv.log');
    return existsSync(f)
      ? readFileSync(f, 'utf8')
          .split('\n')
          .filter(Boolean)
          .map((l) => JSON.parse(l) as Record<string, unknown>)
      : [];
  };

  await floodMalformedFrames(ns.port, FRAMES, 32);
  const resp = await client.invoke(ns.addr, buildGetRouteInfoRequest('NoSuchTopic'), 3000);
  assert.equal(resp.code, 17, 'still serving: TOPIC_NOT_EXIST for an unknown topic');

  // The burst is over once every peer has been quiet for a whole interval (10 s): the count is complete.
  await pollUntil(() => lines().some((l) => l.msg === 'protocol error burst over, reclaiming memory'), {
    what: 'the end of the burst',
    timeoutMs: 40_000,
    everyMs: 500,
  });
  const all = lines();
  const first = all.filter(
    (l) => l.msg === 'bad frame, closing connection' || l.msg === 'connection closed mid-frame',
  );
  const summaries = all.filter((l) => l.msg === 'repeated protocol errors from peer');
  assert.ok(first.length >= 1, 'the first error is logged at once, with its details');
  assert.match(String(first[0]!.remote), /^127\.0\.0\.1:\d+$/);
  assert.ok(summaries.length >= 1 && summaries.length <= 5, `${summaries.length} summary lines`);
  for (const s of summaries) assert.equal(s.peer, '127.0.0.1');
  const counted = first.length + summaries.reduce((n, s) => n + Number(s.count), 0);
  assert.equal(counted, FRAMES, 'every malformed frame is counted');
  assert.ok(all.length < 20, `${all.length} log lines for ${FRAMES} malformed frames`);
});
