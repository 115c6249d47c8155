// `mq console --data-dir`: the dashboard's daily files of broker/topic TPS samples, written by a console
// against a real name server + broker and reloaded by the next one, so the charts keep their history across
// a restart; days before the start are read from their files; a broken file is set aside, not overwritten.
import assert from 'node:assert/strict';
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { type Cluster, startCluster, waitFor } from '../admin/servers.js';
import { stopProc } from '../helpers/servers.js';
import { type ConsoleProc, getData, startConsoleProc } from './console-proc.js';

type Live = { brokerTps: Record<string, Array<[number, number | null, number | null, number]>> };

describe('mq console --data-dir', () => {
  let c: Cluster;
  let con: ConsoleProc | undefined;
  let dataDir: string;

  before(async () => {
    c = await startCluster();
    dataDir = join(c.dir, 'console-data');
  });

  after(async () => {
    await stopProc(con?.proc);
    await c?.stop();
  });

  it('saves the samples in daily files and shows them again after a restart', async () => {
    con = await startConsoleProc(c, ['--data-dir', dataDir]);
    const key = `${c.brokerName}:0`;
    await waitFor(
      async () =>
        ((await getData<Live>(con!.url, '/dashboard/live.query?since=0')).brokerTps[key]?.length ?? 0) >= 3,
      20_000,
      'three broker samples',
    );
    const before = (await getData<Live>(con.url, '/dashboard/live.query?since=0')).brokerTps[key]!;
    await stopProc(con.proc);
    con = undefined;

    const files = readdirSync(join(dataDir, 'dashboard'));
    const brokerFile = files.find((f) => /^\d{4}-\d{2}-\d{2}_broker\.json$/.test(f));
    assert.ok(brokerFile, `a daily broker file in ${files.join(', ')}`);
    const today = brokerFile.slice(0, 10);
    const saved = JSON.parse(readFileSync(join(dataDir, 'dashboard', brokerFile), 'utf8')) as Record<
      string,
      string[]
    >;
    assert.ok(saved[key]!.length >= before.length);
    // The dashboard's "time,tps" first, then put and get TPS.
    for (const line of saved[key]!) assert.match(line, /^\d{13},\d+\.\d{5},\d+\.\d{5},\d+\.\d{5}$/);

    // A day from a Java dashboard's folder, and a broken one.
    writeFileSync(
      join(dataDir, 'dashboard', '2020-01-01_broker.json'),
      JSON.stringify({ 'broker-x:0': ['1577836800000,1.50000', '1577836860000,2.00000'] }),
    );
    writeFileSync(join(dataDir, 'dashboard', '2020-01-03_broker.json'), '{nope');

    con = await startConsoleProc(c, ['--data-dir', dataDir, '--sample-interval', '60']);
    const after = (await getData<Live>(con.url, '/dashboard/live.query?since=0')).brokerTps[key]!;
    const times = new Set(after.map((s) => s[0]));
    for (const s of before) assert.ok(times.has(s[0]), `sample at ${s[0]} is back after the restart`);
    const reloaded = after.find((s) => s[0] === before[0]![0])!;
    assert.deepEqual(
      reloaded.map((x) => (x === null ? x : Math.round(x * 1000) / 1000)),
      before[0]!.map((x) => (x === null ? x : Math.round(x * 1000) / 1000)),
    );
    const day = await getData<Record<string, string[]>>(con.url, `/dashboard/broker.query?date=${today}`);
    assert.ok(day[key]!.some((l) => l.startsWith(`${before[0]![0]},`)));
    assert.match(day[key]![0]!, /^\d{13},\d+\.\d{5}$/, "broker.query answers the dashboard's two fields");

    assert.deepEqual(await getData(con.url, '/dashboard/broker.query?date=2020-01-01'), {
      'broker-x:0': ['1577836800000,1.50000', '1577836860000,2.00000'],
    });
    assert.deepEqual(await getData(con.url, '/dashboard/broker.query?date=2020-01-03'), {});
    const aside = readdirSync(join(dataDir, 'dashboard')).filter((f) =>
      f.startsWith('2020-01-03_broker.json.bad-'),
    );
    assert.equal(aside.length, 1, 'the broken file is kept aside');
    assert.equal(readFileSync(join(dataDir, 'dashboard', aside[0]!), 'utf8'), '{nope');
  });
});
