import { Flags } from '@oclif/core';
import { type RunningConsole, startConsole } from '../console/server.js';

/** `--console` / `--console-port` of the embedded-pair commands (mq dev, mq quickstart). */
export const consoleFlags = {
  console: Flags.boolean({ description: 'also serve the web console (mq console) on 127.0.0.1' }),
  'console-port': Flags.integer({
    default: 8080,
    min: 0,
    max: 65535,
    description: 'web console port (0 = any)',
  }),
};

/** The web console beside an embedded pair; a failure names the console (the pair is the caller's to stop). */
export async function startConsoleBeside(namesrvAddr: string, port: number): Promise<RunningConsole> {
  try {
    return await startConsole({ namesrvAddr, port });
  } catch (err) {
    throw new Error(`web console: ${(err as Error).message}`);
  }
}

/** Resolves once SIGINT or SIGTERM has run `stop` (a second signal exits at once). */
export function untilStopped(log: (line: string) => void, stop: () => Promise<void>): Promise<void> {
  return new Promise<void>((resolve) => {
    let stopping = false;
    const onSignal = () => {
      if (stopping) process.exit(130);
      stopping = true;
      log('stopping…');
      stop()
        .then(() => log('stopped'))
        .finally(resolve);
    };
    process.once('SIGINT', onSignal);
    process.once('SIGTERM', onSignal);
  });
}
