import * as fs from 'node:fs';
import { dirname } from 'node:path';

/**
 * A metadata file under store/config (topics.json, subscriptionGroup.json, consumerOffset.json,
 * delayOffset.json), persisted like Java ConfigManager/MixAll.string2File: the previous content is kept
 * as `<file>.bak`, the new content goes to `<file>.tmp`, is fsynced, then renamed over the file.
 * Reads fall back to `.bak` when the file is missing, empty or rejected by the caller's parser.
 */
export class ConfigFile {
  constructor(readonly path: string) {}

  /** Atomically replace the content (sync: these files are small and written rarely). */
  write(content: string): void {
    fs.mkdirSync(dirname(this.path), { recursive: true });
    const tmp = `${this.path}.tmp`;
    const fd = fs.openSync(tmp, 'w');
    try {
      fs.writeSync(fd, content);
      fs.fsyncSync(fd);
    } finally {
      fs.closeSync(fd);
    }
    if (fs.existsSync(this.path)) fs.copyFileSync(this.path, `${this.path}.bak`);
    fs.renameSync(tmp, this.path);
  }

  /**
   * Read the content, trying the file then its `.bak`. `parse` may throw to reject corrupt content.
   * Returns undefined when neither holds usable content.
   */
  read<T = string>(parse: (text: string) => T = (t) => t as unknown as T): T | undefined {
    for (const p of [this.path, `${this.path}.bak`]) {
      let text: string;
      try {
        text = fs.readFileSync(p, 'utf8');
      } catch {
        continue;
      }
      if (text.trim().length === 0) continue;
      try {
        return parse(text);
      } catch {
        // corrupt: try the backup
      }
    }
    return undefined;
  }
}

/** Standard store/config file paths (StorePathConfigHelper / BrokerPathConfigHelper). */
export function storeConfigPaths(storePathRootDir: string): {
  topics: string;
  subscriptionGroup: string;
  consumerOffset: string;
  delayOffset: string;
} {
  const d = `${storePathRootDir}/config`;
  return {
    topics: `${d}/topics.json`,
    subscriptionGroup: `${d}/subscriptionGroup.json`,
    consumerOffset: `${d}/consumerOffset.json`,
    delayOffset: `${d}/delayOffset.json`,
  };
}
