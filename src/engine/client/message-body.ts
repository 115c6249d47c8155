import { inflateSync } from 'node:zlib';
import { compressionType, SysFlag } from '../protocol/message/index.js';

/** Body as the application sees it: inflated when the record is compressed with zlib (§4.6). */
export function uncompressBody(sysFlag: number, body: Buffer): Buffer {
  if ((sysFlag & SysFlag.COMPRESSED) === 0) return body;
  const type = compressionType(sysFlag);
  if (type !== 'zlib') throw new Error(`unsupported message compression ${type}`);
  return inflateSync(body);
}
