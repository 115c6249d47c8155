// Java mqadmin scripts pass short options: each of our mqadmin commands must give every letter the
// meaning Java 4.9.8 gives it (`-b` is a broker address or name where Java says so, never something else).
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';

const fixture = JSON.parse(
  readFileSync(join(import.meta.dirname, '../../../test/fixtures/mqadmin-4.9.8-options.json'), 'utf8'),
) as Record<string, Record<string, string> | string>;

/** Our command module for a Java command name (a few differ, or are aliases). */
const MODULE: Record<string, string> = { producer: 'producer/index', deleteAclConfig: 'deleteAccessConfig' };

/** Letters Java has and we do not offer yet (asking a client to consume/resend directly). */
const NOT_YET: Record<string, string[]> = {
  queryMsgById: ['g', 'd', 's', 'u'],
  queryMsgByUniqueKey: ['g', 'd'],
};

/**
 * Java's long name → ours where ours must differ: the account keys of the ACL commands are -a/-s as in
 * Java, but --accessKey/--secretKey are the global flags that sign the request.
 */
const RENAMED: Record<string, string> = { accessKey: 'accountAccessKey', secretKey: 'accountSecretKey' };

interface FlagDef {
  char?: string;
}

test('every mqadmin short option means what it means in Java mqadmin 4.9.8', async () => {
  const wrong: string[] = [];
  for (const [cmd, options] of Object.entries(fixture)) {
    if (typeof options === 'string') continue; // _source
    const mod = (await import(`../../src/commands/${MODULE[cmd] ?? cmd}.js`)) as {
      default: { flags: Record<string, FlagDef>; aliases?: string[] };
    };
    if (MODULE[cmd] === 'deleteAccessConfig') assert.ok(mod.default.aliases?.includes(cmd));
    const byChar = new Map(Object.entries(mod.default.flags ?? {}).map(([name, f]) => [f.char, name]));
    for (const [letter, javaName] of Object.entries(options)) {
      if (NOT_YET[cmd]?.includes(letter)) continue;
      const ours = byChar.get(letter as FlagDef['char']);
      const want = (RENAMED[javaName] ?? javaName).replace(/\s+/g, '').toLowerCase();
      if (ours?.toLowerCase() !== want)
        wrong.push(`${cmd} -${letter}: Java ${javaName}, ours ${ours ?? 'missing'}`);
    }
    // A letter Java does not use is ours to give (e.g. -y/--yes), but not one Java gives another meaning.
  }
  assert.deepEqual(wrong, []);
});
