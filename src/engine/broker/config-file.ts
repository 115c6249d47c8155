import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import type { Logger } from '../common/logger.js';

/**
 * A JSON config file under `${storePathRootDir}/config/` handled like RocketMQ's ConfigManager: read the
 * file, fall back to `.bak` when it is missing, empty or unreadable; write via `.tmp` then rename, keeping
 * the previous content as `.bak`, so a crash mid-write never leaves a torn file.
 */
export abstract class ConfigFile {
  protected constructor(protected readonly log: Logger) {}

  abstract configFilePath(): string;
  abstract encode(): string;
  /** Throws on malformed content (then `.bak` is tried). */
  abstract decode(text: string): void;

  load(): boolean {
    const file = this.configFilePath();
    for (const candidate of [file, `${file}.bak`]) {
      let text: string;
      try {
        if (!existsSync(candidate)) continue;
        text = readFileSync(candidate, 'utf8');
      } catch (e) {
        this.log.error({ err: e, file: candidate }, 'config file unreadable');
        continue;
      }
      if (text.trim().length === 0) continue;
      try {
        this.decode(text);
        this.log.info({ file: candidate }, 'config loaded');
        return true;
      } catch (e) {
        this.log.error({ err: e, file: candidate }, 'config file malformed, trying the backup');
      }
    }
    return !existsSync(file);
  }

  persist(): void {
    const file = this.configFilePath();
    try {
      writeConfigAtomically(file, this.encode());
    } catch (e) {
      this.log.error({ err: e, file }, 'persist config failed');
    }
  }
}

export function writeConfigAtomically(file: string, text: string): void {
  mkdirSync(dirname(file), { recursive: true });
  const tmp = `${file}.tmp`;
  writeFileSync(tmp, text);
  if (existsSync(file)) {
    try {
      writeFileSync(`${file}.bak`, readFileSync(file));
    } catch {
      // the backup is best effort; the new content is what matters
    }
  }
  renameSync(tmp, file);
}

/**
 * Rewrites `key=value` lines of a properties file in place (keeping comments and order), appending keys
 * it did not have; used when UPDATE_BROKER_CONFIG changes settings at runtime.
 */
export function updatePropertiesFile(file: string, changes: Record<string, string>): void {
  const lines = existsSync(file) ? readFileSync(file, 'utf8').split(/\r?\n/) : [];
  const pending = new Map(Object.entries(changes));
  const out = lines.map((line) => {
    const m = /^\s*([^#!=:\s]+)\s*[=:]/.exec(line);
    if (!m || !pending.has(m[1]!)) return line;
    const v = pending.get(m[1]!)!;
    pending.delete(m[1]!);
    return `${m[1]}=${v}`;
  });
  while (out.length > 0 && out[out.length - 1] === '') out.pop();
  for (const [k, v] of pending) out.push(`${k}=${v}`);
  writeConfigAtomically(file, `${out.join('\n')}\n`);
}
