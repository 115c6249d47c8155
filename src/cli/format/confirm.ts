import { confirm } from '@inquirer/prompts';

/**
 * Guards destructive commands. Invoked as `mqadmin`, nothing is asked: Java's mqadmin never prompts, and
 * existing ops scripts call it as it is. As `mq`: `--yes` goes ahead; with a terminal on stdin the user is
 * asked (the question goes to stderr, so stdout stays clean); otherwise it refuses, naming --yes.
 */
export async function confirmDestructive(
  question: string,
  yes: boolean | undefined,
  invokedAs: string,
): Promise<void> {
  if (yes || invokedAs === 'mqadmin') return;
  if (!process.stdin.isTTY) {
    throw new Error(
      `refusing to run without confirmation: ${question} (stdin is not a terminal: pass --yes, or run it as mqadmin)`,
    );
  }
  const ok = await confirm({ message: question, default: false }, { output: process.stderr });
  if (!ok) throw new Error('aborted by user');
}
