// The fast path of `mq broker start` / `mq namesrv start`: loading oclif (its config, manifest and ~150
// modules) was a third of a server's start-to-ready time. bin/run.js calls this first; it takes only plain
// command lines (known flags, each at most once, values that cannot be mistaken for flags) and runs the same
// code as the oclif commands (broker-server.ts, namesrv-server.ts). Anything else (help, a typo, an unknown
// or repeated flag, a bad value) returns false, and oclif then parses it and reports it as it always has.
import type { BrokerStartFlags } from './broker-server.js';
import type { NamesrvStartFlags } from './namesrv-server.js';
import { EXIT_FAILED } from './usage-error.js';
import { limitYoungGeneration } from './young-generation.js';

type Kind = 'string' | 'boolean' | 'port';

/** Each command's flags: long name → kind, and short letter → long name (as in the oclif commands). */
const COMMANDS: Record<string, { flags: Record<string, Kind>; short: Record<string, string> }> = {
  'broker start': {
    flags: {
      configFile: 'string',
      namesrvAddr: 'string',
      printConfigItem: 'boolean',
      printImportantConfig: 'boolean',
      daemon: 'boolean',
      'pid-file': 'string',
      'log-dir': 'string',
      'log-format': 'string',
    },
    short: {
      c: 'configFile',
      n: 'namesrvAddr',
      p: 'printConfigItem',
      m: 'printImportantConfig',
      d: 'daemon',
    },
  },
  'namesrv start': {
    flags: {
      configFile: 'string',
      namesrvAddr: 'string',
      port: 'port',
      printConfigItem: 'boolean',
      daemon: 'boolean',
      'pid-file': 'string',
      'log-dir': 'string',
      'log-format': 'string',
    },
    short: { c: 'configFile', n: 'namesrvAddr', p: 'printConfigItem', d: 'daemon' },
  },
};

const LOG_FORMATS = ['text', 'json'];

/** Flags of a plain command line, or null when oclif must look at it. */
export function parseServerArgv(
  argv: readonly string[],
): { id: string; flags: Record<string, unknown> } | null {
  const id = `${argv[0]} ${argv[1]}`;
  const spec = COMMANDS[id];
  if (!spec) return null;
  const flags: Record<string, unknown> = {};
  for (let i = 2; i < argv.length; i++) {
    const arg = argv[i]!;
    let name: string | undefined;
    let value: string | undefined;
    const long = /^--([A-Za-z][\w-]*)(?:=(.*))?$/s.exec(arg);
    const short = /^-([A-Za-z])$/.exec(arg);
    if (long) [name, value] = [long[1], long[2]];
    else if (short) name = spec.short[short[1]!];
    const kind = name === undefined ? undefined : spec.flags[name];
    if (!name || !kind || name in flags) return null;
    if (kind === 'boolean') {
      if (value !== undefined) return null;
      flags[name] = true;
      continue;
    }
    if (value === undefined) value = argv[++i];
    // A missing value, or one oclif might read differently (empty, or looking like a flag).
    if (value === undefined || value === '' || value.startsWith('-')) return null;
    if (kind === 'port') {
      if (!/^\d{1,5}$/.test(value) || Number(value) > 65535) return null;
      flags[name] = Number(value);
    } else flags[name] = value;
  }
  // oclif reads --log-format from MQ_LOG_FORMAT too, and refuses a value outside its options.
  const format = (flags['log-format'] as string | undefined) ?? process.env.MQ_LOG_FORMAT;
  if (format !== undefined && !LOG_FORMATS.includes(format)) return null;
  if (format !== undefined) flags['log-format'] = format;
  return { id, flags };
}

/**
 * Runs `broker start` / `namesrv start` without oclif when the command line is plain; false when it is not
 * (nothing has been done then). A failure is reported as the oclif command reports it (BaseCommand.catch).
 */
export async function runServerFast(argv: readonly string[]): Promise<boolean> {
  const parsed = parseServerArgv(argv);
  if (!parsed) return false;
  const log = (line: string) => console.log(line);
  // Before the server's modules load: loading them would already grow the young generation to 4 MB.
  limitYoungGeneration();
  try {
    if (parsed.id === 'broker start') {
      const { brokerStart } = await import('./broker-server.js');
      await brokerStart(parsed.flags as BrokerStartFlags, log);
    } else {
      const { namesrvStart } = await import('./namesrv-server.js');
      await namesrvStart(parsed.flags as NamesrvStartFlags, log);
    }
  } catch (e) {
    const err = e as Error & { exitCode?: number };
    process.stderr.write(`${parsed.id}: ${(err.message || String(err)).split('\n')[0]}\n`);
    if (process.env.DEBUG && err.stack) process.stderr.write(`${err.stack}\n`);
    process.exitCode = err.exitCode ?? EXIT_FAILED;
  }
  return true;
}
