import ora from 'ora';

export interface LiveReportHooks<S> {
  /** True once Ctrl-C was pressed: the run stops and reports its total. */
  stopped: () => boolean;
  onReport: (s: S) => void;
}

/**
 * The live side of a long-running load command (`benchmark producer|consumer`): Ctrl-C asks the run to
 * stop, each interval snapshot goes out as a `{"type":"interval"}` JSON line, a spinner line (TTY) or a
 * log line, and the total as a `{"type":"total"}` JSON line or `totalText`.
 */
export async function runWithLiveReport<S, T extends S>(
  cmd: { jsonEnabled(): boolean; log(s: string): void },
  spinnerText: string,
  line: (s: S) => string,
  run: (hooks: LiveReportHooks<S>) => Promise<T>,
  totalText: (total: T) => string,
): Promise<undefined> {
  const json = cmd.jsonEnabled();
  const spinner =
    process.stderr.isTTY && !json ? ora({ text: spinnerText, stream: process.stderr }).start() : null;
  let stop = false;
  const onSig = () => {
    stop = true;
  };
  process.once('SIGINT', onSig);
  try {
    const total = await run({
      stopped: () => stop,
      onReport: (s) => {
        if (json) process.stdout.write(`${JSON.stringify({ type: 'interval', ...s })}\n`);
        else if (spinner) spinner.text = line(s);
        else cmd.log(line(s));
      },
    });
    spinner?.stop();
    if (json) process.stdout.write(`${JSON.stringify({ type: 'total', ...total })}\n`);
    else cmd.log(totalText(total));
    return undefined;
  } catch (err) {
    spinner?.fail();
    throw err;
  } finally {
    process.off('SIGINT', onSig);
  }
}
