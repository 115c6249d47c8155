import { mkdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { prettyBean } from './pretty-json.js';

/** mqadmin's export directory when -f is not given: /tmp/rocketmq/export, under $TMPDIR when it is set. */
export const DEFAULT_EXPORT_DIR = join(tmpdir(), 'rocketmq', 'export');

/** Writes `content` as pretty fastjson to DIR/NAME (creating DIR), as MixAll.string2FileNotSafe does. */
export function writeExport(dir: string, fileName: string, content: unknown): string {
  mkdirSync(dir, { recursive: true });
  const path = join(dir, fileName);
  writeFileSync(path, prettyBean(content));
  return path;
}
