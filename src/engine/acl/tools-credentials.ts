import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { yamlLib } from './yaml-lib.js';

/**
 * The keys mqadmin signs with when none are given: `accessKey`/`secretKey` of `<rocketmqHome>/conf/tools.yml`
 * (RocketMQ's MQAdminStartup). A missing, unreadable or incomplete file means no signing, as in RocketMQ.
 */
export function readToolsCredentials(
  rocketmqHome: string | undefined,
): { accessKey: string; secretKey: string } | undefined {
  if (!rocketmqHome) return undefined;
  const file = join(rocketmqHome, 'conf', 'tools.yml');
  if (!existsSync(file)) return undefined;
  let data: unknown;
  try {
    data = yamlLib().parse(readFileSync(file, 'utf8'));
  } catch {
    return undefined;
  }
  if (!data || typeof data !== 'object') return undefined;
  const o = data as Record<string, unknown>;
  const accessKey = o.accessKey === undefined || o.accessKey === null ? '' : String(o.accessKey).trim();
  const secretKey = o.secretKey === undefined || o.secretKey === null ? '' : String(o.secretKey).trim();
  return accessKey && secretKey ? { accessKey, secretKey } : undefined;
}
