// Typed fields out of a dashboard JSON body, each with an error naming the field.
import { BadRequest } from '../envelope.js';

export function stringOf(b: Record<string, unknown>, name: string): string {
  const v = b[name];
  if (typeof v !== 'string' || !v.trim()) throw new BadRequest(`'${name}' must be a non-empty string`);
  return v.trim();
}

export function numberOf(b: Record<string, unknown>, name: string, dflt: number): number {
  const v = b[name];
  if (v === undefined || v === null || v === '') return dflt;
  const n = typeof v === 'number' ? v : Number(v);
  if (!Number.isInteger(n)) throw new BadRequest(`'${name}' must be an integer, got ${JSON.stringify(v)}`);
  return n;
}

export function listOf(b: Record<string, unknown>, name: string): string[] {
  const v = b[name];
  if (v === undefined || v === null) return [];
  if (!Array.isArray(v) || v.some((x) => typeof x !== 'string'))
    throw new BadRequest(`'${name}' must be a list of strings`);
  return (v as string[]).map((s) => s.trim()).filter(Boolean);
}
