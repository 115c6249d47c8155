import { confirm } from '@inquirer/prompts';

/**
 * Guards destructive commands: `--yes` goes ahead; on a terminal the user is asked; with no terminal and
 * no --yes the command refuses (scripts must say --yes explicitly).
 */
export async function confirmDestructive(question: string, yes: boolean | undefined): Promise<void> {
  if (yes) return;
  if (!process.stdin.isTTY || !process.stdout.isTTY) {
    throw new Error(`refusing to run without confirmation: ${question} (pass --yes to confirm)`);
  }
  const ok = await confirm({ message: question, default: false });
  if (!ok) throw new Error('aborted by user');
}
