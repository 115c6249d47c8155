import { parseFastjson } from '../fastjson.js';

/** A body that failed to decode: names the body and what was wrong. */
export class BodyError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'BodyError';
  }
}

/** Parses a fastjson body into an object, or throws BodyError naming `what`. */
export function parseBodyObject(
  body: Buffer | string | null | undefined,
  what: string,
): Record<string, unknown> {
  if (body === null || body === undefined || body.length === 0) throw new BodyError(`${what}: empty body`);
  let v: unknown;
  try {
    v = parseFastjson(body);
  } catch (err) {
    throw new BodyError(`${what}: ${(err as Error).message}`);
  }
  if (v === null || typeof v !== 'object' || Array.isArray(v))
    throw new BodyError(`${what}: not a JSON object`);
  return v as Record<string, unknown>;
}

export function asObject(v: unknown, what: string): Record<string, unknown> {
  if (v === null || v === undefined) return {};
  if (typeof v !== 'object' || Array.isArray(v)) throw new BodyError(`${what} is not an object`);
  return v as Record<string, unknown>;
}

export function asArray(v: unknown, what: string): unknown[] {
  if (v === null || v === undefined) return [];
  if (!Array.isArray(v)) throw new BodyError(`${what} is not an array`);
  return v;
}

export function asString(v: unknown, what: string, dflt?: string): string {
  if (v === null || v === undefined) {
    if (dflt !== undefined) return dflt;
    throw new BodyError(`${what} is missing`);
  }
  if (typeof v === 'string') return v;
  if (typeof v === 'number' || typeof v === 'bigint' || typeof v === 'boolean') return String(v);
  throw new BodyError(`${what} is not a string`);
}

/** A number field (Java int/long within 2^53); numeric strings are accepted like fastjson does. */
export function asNumber(v: unknown, what: string, dflt?: number): number {
  if (v === null || v === undefined) {
    if (dflt !== undefined) return dflt;
    throw new BodyError(`${what} is missing`);
  }
  if (typeof v === 'number') return v;
  if (typeof v === 'bigint') return Number(v);
  if (typeof v === 'string' && v.trim() !== '' && !Number.isNaN(Number(v))) return Number(v);
  throw new BodyError(`${what} is not a number`);
}

export function asBool(v: unknown, what: string, dflt = false): boolean {
  if (v === null || v === undefined) return dflt;
  if (typeof v === 'boolean') return v;
  if (v === 'true' || v === 'false') return v === 'true';
  throw new BodyError(`${what} is not a boolean`);
}

export function utf8(text: string): Buffer {
  return Buffer.from(text, 'utf8');
}
