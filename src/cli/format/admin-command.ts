import type { Command } from '@oclif/core';
import { AdminClient } from '../../engine/admin/admin-client.js';
import { BaseCommand } from '../base-command.js';
import { UsageError } from '../usage-error.js';

/**
 * Base of the mqadmin commands: opens an AdminClient on -n, closes it afterwards, and writes text only
 * when --json is off (with --json, oclif prints what run() returns: the admin client's result object).
 */
export abstract class AdminCommand<T extends typeof Command> extends BaseCommand<T> {
  private admin?: AdminClient;

  protected async withAdmin<R>(fn: (admin: AdminClient) => Promise<R>): Promise<R> {
    this.admin = new AdminClient({ namesrvAddr: this.namesrv, ...this.credentials });
    try {
      return await fn(this.admin);
    } finally {
      await this.admin.close();
      this.admin = undefined;
    }
  }

  /** Text for humans; nothing in --json mode. */
  protected out(text: string): void {
    if (!this.jsonEnabled()) process.stdout.write(text);
  }

  /**
   * Some targets failed but the rest was done and is printed: one line per failure on stderr and a
   * non-zero exit, without hiding the result.
   */
  protected partialFailure(failures: Array<{ addr: string; error: string }>): void {
    if (failures.length === 0) return;
    for (const f of failures) process.stderr.write(`${this.id}: ${f.addr}: ${f.error.split('\n')[0]}\n`);
    process.exitCode = 1;
  }

  protected override async finally(err: Error | undefined): Promise<unknown> {
    await this.admin?.close();
    return super.finally(err);
  }
}

/** Java Boolean.parseBoolean for mqadmin's "true|false" option values. */
export function parseBool(v: string | undefined, dflt: boolean): boolean {
  return v === undefined ? dflt : v.trim().toLowerCase() === 'true';
}

/** Integer option values with a clear error (mqadmin threw NumberFormatException). */
export function parseIntOpt(v: string | undefined, name: string): number | undefined {
  if (v === undefined) return undefined;
  if (!/^-?\d+$/.test(v.trim()))
    throw new UsageError(`-${name} must be an integer, got ${JSON.stringify(v)}`);
  return Number(v.trim());
}
