import { isIP } from 'node:net';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { Properties } from 'properties-file/parser';
import { localAddress } from '../../common/local-address.js';
import { END_FILE_MIN_BLANK_LENGTH } from '../../protocol/message/record.js';
import { BROKER_KEYS, type BrokerKey, ENUM_VALUES, type KeySpec } from './broker-config-keys.js';
import { rangeProblem, unsupportedProblem } from './config-ranges.js';
import { nearestKey } from './nearest-key.js';

/** Unknown keys reported one by one (with the nearest known key); the rest are counted in one line. */
export const MAX_KEY_WARNINGS = 10;

/** The broker's effective settings: every key of BROKER_KEYS with a typed value. */
export type BrokerConfig = { -readonly [K in BrokerKey]: (typeof BROKER_KEYS)[K]['default'] };

/** Keys `mq broker start -m` prints (RocketMQ's @ImportantField set). */
export const IMPORTANT_KEYS: readonly BrokerKey[] = [
  'namesrvAddr',
  'brokerIP1',
  'brokerName',
  'brokerClusterName',
  'brokerId',
  'brokerRole',
  'flushDiskType',
  'listenPort',
  'autoCreateTopicEnable',
  'autoCreateSubscriptionGroup',
  'storePathRootDir',
  'storePathCommitLog',
  'deleteWhen',
  'fileReservedTime',
  'diskMaxUsedSpaceRatio',
  'maxMessageSize',
  'messageIndexSafe',
  'mappedFileSizeCommitLog',
  'mappedFileSizeConsumeQueue',
  'haMasterAddress',
  'slaveReadEnable',
];

export class BrokerConfigError extends Error {
  constructor(
    readonly key: string,
    readonly line: number | undefined,
    readonly source: string,
    detail: string,
  ) {
    super(`${source}${line ? `:${line}` : ''}: ${key} ${detail}`);
    this.name = 'BrokerConfigError';
  }
}

export interface ParsedBrokerConfig {
  config: BrokerConfig;
  /**
   * Problems that do not stop the broker, collected: the first MAX_KEY_WARNINGS unknown keys each name the
   * nearest known one, further unknown keys are counted in one closing line.
   */
  warnings: string[];
  /** Every unknown key, in file order. */
  unknownKeys: string[];
  /** Keys set explicitly (file or overrides), for `-p` output and diagnostics. */
  explicit: Set<string>;
}

export function defaultBrokerConfig(): BrokerConfig {
  const config = {} as Record<string, unknown>;
  for (const [key, spec] of Object.entries(BROKER_KEYS) as [BrokerKey, KeySpec][]) {
    if (spec.type !== 'alias') config[key] = spec.default;
  }
  return config as BrokerConfig;
}

/**
 * Parses broker.conf text (Java properties, via properties-file) plus `overrides` (command-line values,
 * applied last). Malformed values throw BrokerConfigError naming the key and line; unknown keys become
 * warnings naming the nearest known key. Nothing falls back silently to a default.
 */
export function parseBrokerConfig(
  text: string,
  source = 'broker.conf',
  overrides: Record<string, string> = {},
): ParsedBrokerConfig {
  const config = defaultBrokerConfig() as Record<string, unknown>;
  const warnings: string[] = [];
  const unknownKeys: string[] = [];
  const explicit = new Set<string>();
  const entries: { key: string; value: string; line?: number; source: string }[] = [];
  for (const node of new Properties(text).getProperties()) {
    entries.push({ key: node.key, value: node.value, line: node.startingLineNumber, source });
  }
  for (const [key, value] of Object.entries(overrides)) entries.push({ key, value, source: 'command line' });

  let consumeQueueUnits: number | undefined;
  for (const { key, value, line, source: src } of entries) {
    const spec = (BROKER_KEYS as Record<string, KeySpec>)[key];
    if (!spec) {
      // The nearest-key search costs ~400 edit distances per key: only for the keys that are shown.
      if (unknownKeys.length < MAX_KEY_WARNINGS) {
        const near = nearestKey(key, knownKeys());
        warnings.push(
          `${src}${line ? `:${line}` : ''}: unknown key '${key}' ignored${near ? ` (did you mean '${near}'?)` : ''}`,
        );
      }
      unknownKeys.push(key);
      continue;
    }
    const target = spec.type === 'alias' ? String(spec.default) : key;
    const targetSpec = (BROKER_KEYS as Record<string, KeySpec>)[target];
    const fail = (detail: string): never => {
      throw new BrokerConfigError(key, line, src, detail);
    };
    const parsed = parseValue(target, targetSpec, value.trim(), fail);
    const problem =
      rangeProblem(key, parsed) ?? rangeProblem(target, parsed) ?? unsupportedProblem(target, parsed);
    if (problem) fail(problem);
    if (key === 'mapedFileSizeConsumeQueue') consumeQueueUnits = parsed as number;
    config[target] = parsed;
    explicit.add(target);
  }
  // The classic file's mapedFileSizeConsumeQueue counts entries ("每个文件默认存30W条"); RocketMQ 4.9's
  // mappedFileSizeConsumeQueue counts bytes (20 per entry). The newer spelling wins when both are set.
  if (consumeQueueUnits !== undefined && !entries.some((e) => e.key === 'mappedFileSizeConsumeQueue')) {
    config.mappedFileSizeConsumeQueue = consumeQueueUnits * 20;
  }
  if (unknownKeys.length > MAX_KEY_WARNINGS) {
    warnings.push(
      `${source}: ${unknownKeys.length - MAX_KEY_WARNINGS} more unknown keys ignored (${unknownKeys.length} in all)`,
    );
  }
  const c = config as BrokerConfig;
  deriveDefaults(c);
  if (c.maxMessageSize + END_FILE_MIN_BLANK_LENGTH > c.mappedFileSizeCommitLog) {
    warnings.push(
      `${source}: maxMessageSize=${c.maxMessageSize} does not fit a commit-log file of ${c.mappedFileSizeCommitLog} bytes: messages above ${c.mappedFileSizeCommitLog - END_FILE_MIN_BLANK_LENGTH} bytes will be refused`,
    );
  }
  return { config: c, warnings, unknownKeys, explicit };
}

let known: string[] | undefined;
function knownKeys(): string[] {
  known ??= Object.keys(BROKER_KEYS);
  return known;
}

/** Values that depend on other keys, filled the way RocketMQ does after loading. */
function deriveDefaults(c: BrokerConfig): void {
  c.storePathRootDir = expandHome(c.storePathRootDir || join(homedir(), 'store'));
  c.storePathCommitLog = expandHome(c.storePathCommitLog || join(c.storePathRootDir, 'commitlog'));
  c.storePathConsumeQueue = expandHome(c.storePathConsumeQueue || join(c.storePathRootDir, 'consumequeue'));
  c.storePathIndex = expandHome(c.storePathIndex || join(c.storePathRootDir, 'index'));
  // RocketMQ forces the HA port to listenPort + 1 (BrokerStartup); 0 keeps "any free port" for tests.
  c.haListenPort = c.listenPort === 0 ? 0 : c.listenPort + 1;
  c.brokerIP1 = c.brokerIP1 || localAddress();
  c.brokerIP2 = c.brokerIP2 || c.brokerIP1;
  // Cleaning is by whole entries: round consume-queue files up to a multiple of the 20-byte unit.
  c.mappedFileSizeConsumeQueue = Math.ceil(c.mappedFileSizeConsumeQueue / 20) * 20;
  if (c.brokerRole === 'SLAVE' && c.brokerId === 0) {
    throw new BrokerConfigError('brokerId', undefined, 'broker.conf', 'must be > 0 for brokerRole=SLAVE');
  }
  if (c.brokerRole !== 'SLAVE' && c.brokerId !== 0) {
    throw new BrokerConfigError(
      'brokerId',
      undefined,
      'broker.conf',
      `must be 0 for brokerRole=${c.brokerRole}`,
    );
  }
}

function expandHome(p: string): string {
  return p.startsWith('~/') ? join(homedir(), p.slice(2)) : p;
}

const INT32 = 2 ** 31;

function parseValue(
  key: string,
  spec: KeySpec,
  raw: string,
  fail: (detail: string) => never,
): string | number | boolean {
  const show = `'${raw}'`;
  switch (spec.type) {
    case 'int':
    case 'long': {
      if (!/^-?\d+$/.test(raw)) fail(`= ${show} is not a whole number (expected e.g. ${spec.default})`);
      const n = Number(raw);
      if (spec.type === 'int' && (n < -INT32 || n >= INT32))
        fail(`= ${show} is out of range for a 32-bit int`);
      if (!Number.isSafeInteger(n)) fail(`= ${show} is too large`);
      return n;
    }
    case 'port': {
      const n = Number(raw);
      if (!/^\d+$/.test(raw) || n > 65535) fail(`= ${show} is not a TCP port (expected 0-65535, e.g. 10911)`);
      return n;
    }
    case 'percent': {
      const n = Number(raw);
      if (!/^\d+$/.test(raw) || n > 100) fail(`= ${show} is not a percentage (expected 0-100, e.g. 75)`);
      return n;
    }
    case 'bool':
      if (!/^(true|false)$/i.test(raw)) fail(`= ${show} is not a boolean (expected true or false)`);
      return raw.toLowerCase() === 'true';
    case 'enum': {
      const values = ENUM_VALUES[key] ?? [];
      if (!values.includes(raw)) fail(`= ${show} is not one of ${values.join(', ')}`);
      return raw;
    }
    case 'ip':
      if (raw !== '' && isIP(raw) === 0) fail(`= ${show} is not an IP address (expected e.g. 192.168.1.10)`);
      return raw;
    case 'addrList':
      if (raw !== '' && !raw.split(';').every((a) => /^[^\s:;]+:\d{1,5}$/.test(a.trim()))) {
        fail(`= ${show} is not a name server list (expected host:port;host:port, e.g. 127.0.0.1:9876)`);
      }
      return raw;
    case 'hours':
      if (!raw.split(';').every((h) => /^\d{1,2}$/.test(h) && Number(h) < 24)) {
        fail(`= ${show} is not a list of hours (expected e.g. 04 or 04;16)`);
      }
      return raw;
    case 'delayLevels':
      if (!raw.split(/\s+/).every((l) => /^\d+[smhd]$/.test(l))) {
        fail(`= ${show} is not a list of delays (expected e.g. 1s 5s 10s 30s 1m 2m ... 2h)`);
      }
      return raw;
    default:
      return raw;
  }
}

/** `key=value` lines, as `-p` prints and GET_BROKER_CONFIG returns. */
export function formatBrokerConfig(
  config: BrokerConfig,
  keys: readonly string[] = Object.keys(config),
): string {
  return keys.map((k) => `${k}=${(config as Record<string, unknown>)[k]}`).join('\n');
}

/** Whether a key means nothing in mq (accepted for compatibility). */
export function isNoopKey(key: string): boolean {
  return Boolean((BROKER_KEYS as Record<string, KeySpec>)[key]?.noop);
}
