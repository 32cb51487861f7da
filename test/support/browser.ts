/**
 * A real browser for the page tests: Debian's Chromium (/usr/bin/chromium, installed by
 * .ci/run) driven by playwright-core. Each suite gets one browser process; each test should
 * open its own context (fresh cookies), so no test sees another's session.
 *
 * Screenshots: with TOLLGATE_SCREENSHOTS=1 `screenshot()` writes PNGs to docs/images/, so
 * the documentation's pictures come from the same run that proves the pages work
 * (`TOLLGATE_SCREENSHOTS=1 npx jest --selectProjects integration --testPathPatterns
 * 'test/e2e/browser/'`). Without the flag it does nothing.
 */
import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { Browser, chromium, Page } from 'playwright-core';

export const CHROMIUM_PATH = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

/**
 * --headless --no-sandbox (CI runs as root) --disable-gpu, and no background networking:
 * this machine's network is closed, and Chromium's own update/telemetry connections would
 * otherwise be refused many at a time.
 */
export const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
];

const SCREENSHOT_DIR = join(__dirname, '..', '..', 'docs', 'images');

export async function launchBrowser(): Promise<Browser> {
  if (!existsSync(CHROMIUM_PATH)) {
    throw new Error(
      `${CHROMIUM_PATH} not found: install Debian's chromium (apt-get install -y chromium), as .ci/run does`,
    );
  }
  return chromium.launch({ executablePath: CHROMIUM_PATH, args: CHROMIUM_ARGS });
}

/** Starts a browser in beforeAll and always closes it in afterAll; returns a getter. */
export function useBrowser(hookTimeoutMs = 60_000): () => Browser {
  let browser: Browser | undefined;
  beforeAll(async () => {
    browser = await launchBrowser();
  }, hookTimeoutMs);
  afterAll(async () => {
    await browser?.close();
  }, hookTimeoutMs);
  return () => {
    if (!browser) throw new Error('browser not started: call the getter inside a test');
    return browser;
  };
}

/** True when this run should refresh docs/images (TOLLGATE_SCREENSHOTS=1). */
export const screenshotsWanted = (): boolean => process.env.TOLLGATE_SCREENSHOTS === '1';

/** Writes docs/images/<name>.png of the whole page when screenshots are wanted. */
export async function screenshot(page: Page, name: string): Promise<void> {
  if (!screenshotsWanted()) return;
  mkdirSync(SCREENSHOT_DIR, { recursive: true });
  await page.screenshot({ path: join(SCREENSHOT_DIR, `${name}.png`), fullPage: true });
}
