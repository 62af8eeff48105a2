// Debian's Chromium, driven by playwright-core, on the mock console with our token behind the
// page's navigator.credentials (the WebAuthn bridge). Requests may only go to the console's own
// host; anything else is aborted, so a page can never reach the network.
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { installWebAuthnBridge, type WebAuthnBridgeOptions } from './webauthn-bridge.ts';

import { DEFAULT_CHROMIUM } from './chromium-path.ts';

const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

export interface ConsoleBrowserOptions extends WebAuthnBridgeOptions {
  /** The console's entry page, e.g. `http://localhost:4566/console`; the page opens there. */
  baseUrl: string;
  /** Where screenshot() writes; required to take screenshots. */
  screenshotsDir?: string;
  /** The Chromium binary (never downloaded). */
  executablePath?: string;
  /** Viewport of the page: a laptop screen. */
  viewport?: { width: number; height: number };
  /** Milliseconds Playwright waits for an element or a navigation. */
  actionTimeoutMs?: number;
}

export interface ConsoleBrowser {
  browser: Browser;
  context: BrowserContext;
  page: Page;
  /** Saves the page as `NN-name.png` in screenshotsDir (numbered in the order taken); returns the path. */
  screenshot(name: string): Promise<string>;
  close(): Promise<void>;
}

export async function openConsoleBrowser({
  baseUrl,
  screenshotsDir,
  executablePath = DEFAULT_CHROMIUM,
  viewport = { width: 1280, height: 800 },
  actionTimeoutMs = 15_000,
  ...bridge
}: ConsoleBrowserOptions): Promise<ConsoleBrowser> {
  const allowedHost = new URL(baseUrl).host;
  const browser = await chromium.launch({ executablePath, args: CHROMIUM_ARGS });
  try {
    const context = await browser.newContext({ viewport, baseURL: baseUrl });
    context.setDefaultTimeout(actionTimeoutMs);
    await context.route('**/*', (route) => (new URL(route.request().url()).host === allowedHost ? route.continue() : route.abort('blockedbyclient')));
    await installWebAuthnBridge(context, bridge);
    const page = await context.newPage();
    if (screenshotsDir !== undefined) await mkdir(screenshotsDir, { recursive: true });
    let taken = 0;
    return {
      browser,
      context,
      page,
      async screenshot(name) {
        if (screenshotsDir === undefined) throw new TypeError('openConsoleBrowser: pass screenshotsDir to take screenshots');
        taken += 1;
        const path = join(screenshotsDir, `${String(taken).padStart(2, '0')}-${name.replace(/[^\w.-]+/g, '-')}.png`);
        await page.screenshot({ path, fullPage: true });
        return path;
      },
      close: () => browser.close(),
    };
  } catch (error) {
    await browser.close();
    throw error;
  }
}
