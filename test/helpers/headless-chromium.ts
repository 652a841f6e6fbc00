import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type Browser, type BrowserContext } from 'playwright-core';

/** Debian's `chromium` package; `.ci/run` installs it. No browser is ever downloaded. */
export const CHROMIUM_PATH = '/usr/bin/chromium';

export interface HeadlessChromium {
  context: BrowserContext;
  close(): Promise<void>;
}

/**
 * The installed Chromium, headless, driven by playwright-core, with a fresh profile of its own
 * (removed on close) and everything that would reach the network on its own turned off.
 */
const ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

export async function launchHeadlessChromium(options: { viewport?: { width: number; height: number } } = {}): Promise<HeadlessChromium> {
  const profile = await mkdtemp(join(tmpdir(), 'console-chromium-'));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM_PATH,
    headless: true,
    viewport: options.viewport ?? { width: 1280, height: 860 },
    args: ARGS,
  });
  return {
    context,
    async close() {
      await context.close();
      await rm(profile, { recursive: true, force: true });
    },
  };
}

let shared: Promise<Browser> | undefined;

/**
 * A fresh context (its own storage, like a new profile) of one installed Chromium shared by every
 * test file of the run, so the console's many small browser tests do not each start a browser.
 * The browser is closed by {@link closeSharedChromium} (the root hook, after all tests).
 */
export async function sharedChromiumContext(options: { viewport?: { width: number; height: number } } = {}): Promise<HeadlessChromium> {
  shared ??= chromium.launch({ executablePath: CHROMIUM_PATH, headless: true, args: ARGS });
  const browser = await shared.catch((error: unknown) => {
    shared = undefined;
    throw error;
  });
  const context = await browser.newContext({ viewport: options.viewport ?? { width: 1280, height: 860 } });
  return { context, close: () => context.close() };
}

/** Closes the shared Chromium, if a test started it. */
export async function closeSharedChromium(): Promise<void> {
  const browser = shared;
  shared = undefined;
  await (await browser?.catch(() => undefined))?.close();
}
