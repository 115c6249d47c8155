// Headless Chromium from Debian's `chromium` package, driven by playwright-core (which downloads no
// browser). Without the package the browser tests skip locally but fail loudly under CI=true.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { type BrowserContext, chromium } from 'playwright-core';

export const CHROMIUM = process.env.MQ_CHROMIUM ?? '/usr/bin/chromium';

/** undefined when the browser may run; else why the test skips (and in CI, an error). */
export function chromiumMissing(): string | undefined {
  if (existsSync(CHROMIUM)) return undefined;
  const why = `${CHROMIUM} not found (apt-get install -y chromium)`;
  if (process.env.CI === 'true') throw new Error(`browser tests need Chromium in CI: ${why}`);
  return why;
}

/** A fresh profile in the test's dir (playwright takes it as userDataDir rather than --user-data-dir). */
export function launchChromium(dir: string): Promise<BrowserContext> {
  return chromium.launchPersistentContext(join(dir, 'chromium-profile'), {
    executablePath: CHROMIUM,
    headless: true,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
    viewport: { width: 1280, height: 900 },
  });
}
