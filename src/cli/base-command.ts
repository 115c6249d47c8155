import { stripVTControlCharacters } from 'node:util';
import { Command, Flags, type Interfaces } from '@oclif/core';
import { readToolsCredentials } from '../engine/acl/tools-credentials.js';
import { flagHint, usageLine } from './usage.js';
import { EXIT_FAILED, EXIT_USAGE, UsageError } from './usage-error.js';

export const DEFAULT_NAMESRV = '127.0.0.1:9876';

/** `-n` value, else NAMESRV_ADDR, else the local default. */
export function resolveNamesrv(flag: string | undefined): string {
  return flag || process.env.NAMESRV_ADDR || DEFAULT_NAMESRV;
}

export type BaseFlags<T extends typeof Command> = Interfaces.InferredFlags<
  (typeof BaseCommand)['baseFlags'] & T['flags']
>;

/**
 * Shared by every command: `-n/--namesrvAddr`, `--json` (prints what `run()` returns), and failures as one
 * line on stderr with a non-zero exit (the stack only with DEBUG set).
 */
export abstract class BaseCommand<T extends typeof Command> extends Command {
  static override enableJsonFlag = true;

  static override baseFlags = {
    namesrvAddr: Flags.string({
      char: 'n',
      summary:
        'Name server address list, e.g. 127.0.0.1:9876;192.168.0.1:9876 (default: $NAMESRV_ADDR or 127.0.0.1:9876)',
      helpGroup: 'GLOBAL',
    }),
    accessKey: Flags.string({
      summary: 'Plain ACL access key: every request is signed (RocketMQ AclClientRPCHook)',
      env: 'MQ_ACCESS_KEY',
      helpGroup: 'GLOBAL',
    }),
    secretKey: Flags.string({
      summary: 'Plain ACL secret key, used with --accessKey',
      env: 'MQ_SECRET_KEY',
      helpGroup: 'GLOBAL',
    }),
    tls: Flags.boolean({
      summary:
        'Connect with TLS (RocketMQ tls.enable; also MQ_TLS_ENABLE=true or tls.enable in the TLS config file)',
      helpGroup: 'GLOBAL',
    }),
  };

  protected flags!: BaseFlags<T>;
  protected args!: Interfaces.InferredArgs<T['args']>;

  public override async init(): Promise<void> {
    await super.init();
    // Anything the parser throws (missing, unknown, exclusive or malformed flags, extra arguments) is a
    // command-line mistake: reported with its reason and the usage line.
    const { flags, args } = await this.parse({
      flags: this.ctor.flags,
      baseFlags: (super.ctor as typeof BaseCommand).baseFlags,
      enableJsonFlag: this.ctor.enableJsonFlag,
      args: this.ctor.args,
      strict: this.ctor.strict,
    }).catch((err: Error & { flags?: string[] }) => {
      const all = { ...(this.ctor as typeof BaseCommand).baseFlags, ...this.ctor.flags };
      throw new UsageError(parseReason(err) + (Array.isArray(err.flags) ? flagHint(err.flags, all) : ''));
    });
    this.flags = flags as BaseFlags<T>;
    this.args = args as Interfaces.InferredArgs<T['args']>;
  }

  /** The name server list this command talks to. */
  protected get namesrv(): string {
    return resolveNamesrv(this.flags.namesrvAddr as string | undefined);
  }

  /**
   * What every client and admin option set needs to reach the cluster: --accessKey/--secretKey (or their
   * env fallbacks, else `$ROCKETMQ_HOME/conf/tools.yml` as mqadmin reads it; both or neither) and --tls.
   */
  protected get credentials(): { accessKey?: string; secretKey?: string; useTLS?: boolean } {
    // --tls forces TLS; without it the client follows tls.enable (MQ_TLS_ENABLE / the TLS config file).
    const tls = this.flags.tls ? { useTLS: true } : {};
    const accessKey = this.flags.accessKey as string | undefined;
    const secretKey = this.flags.secretKey as string | undefined;
    if (!accessKey && !secretKey)
      return { ...(readToolsCredentials(process.env.ROCKETMQ_HOME) ?? {}), ...tls };
    if (!accessKey) throw new UsageError('--secretKey needs --accessKey (or $MQ_ACCESS_KEY)');
    if (!secretKey) throw new UsageError('--accessKey needs --secretKey (or $MQ_SECRET_KEY)');
    return { accessKey, secretKey, ...tls };
  }

  /** What the user typed to run this: `mqadmin` or `mq` (src/cli/run.ts sets config.bin from argv[1]). */
  protected get invokedAs(): string {
    return this.config.bin;
  }

  /** This command's one-line usage, with the name the user typed. */
  protected get usage(): string {
    return usageLine(this.config.bin, this.id ?? '', {
      flags: this.ctor.flags,
      baseFlags: (this.ctor as typeof BaseCommand).baseFlags,
      args: this.ctor.args,
      enableJsonFlag: this.ctor.enableJsonFlag,
    });
  }

  protected override async catch(
    err: Error & { exitCode?: number; oclif?: { exit?: number } },
  ): Promise<void> {
    const usage = err instanceof UsageError;
    const message = (err.message || String(err)).split('\n')[0];
    // --json: the error object on stdout too, so a script reading stdout sees why it got no result.
    // jsonEnabled() reads argv, so it also holds when the flags themselves failed to parse.
    if (this.jsonEnabled()) {
      const error = {
        message,
        code: (err as { code?: unknown }).code,
        ...(usage ? { usage: this.usage } : {}),
      };
      process.stdout.write(`${JSON.stringify({ error })}\n`);
    }
    process.stderr.write(`${(this.id ?? 'mq').replaceAll(':', ' ')}: ${message}\n`);
    if (usage) process.stderr.write(`${this.usage}\n`);
    if (process.env.DEBUG && err.stack) process.stderr.write(`${err.stack}\n`);
    process.exitCode = usage ? EXIT_USAGE : (err.oclif?.exit ?? err.exitCode ?? EXIT_FAILED);
  }
}

/**
 * For commands that run servers or act on local processes (broker/namesrv start, dev, quickstart,
 * shutdown): the client flags (--accessKey, --secretKey, --tls) mean nothing there, so their help leaves
 * them out (servers take TLS and ACL settings from their own configuration).
 */
export const serverBaseFlags: typeof BaseCommand.baseFlags = {
  ...BaseCommand.baseFlags,
  accessKey: { ...BaseCommand.baseFlags.accessKey, hidden: true },
  secretKey: { ...BaseCommand.baseFlags.secretKey, hidden: true },
  tls: { ...BaseCommand.baseFlags.tls, hidden: true },
};

/**
 * The reason in one of oclif's parse errors, on one line: their messages wrap it in "The following error
 * occurred:" / "Parsing --x" and "See more help with --help" lines (the first line alone said nothing).
 */
export function parseReason(err: Error): string {
  const lines = stripVTControlCharacters(err.message || String(err))
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l && !/^The following errors? occurred:$/.test(l) && l !== 'See more help with --help');
  return lines.join(lines[0]?.startsWith('Parsing --') ? ' ' : '; ').replace(/^Parsing (--\S+) /, '$1: ');
}
