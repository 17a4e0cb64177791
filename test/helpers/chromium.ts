/** Launches Debian's Chromium for the browser suites (test/browser, test/e2e); never downloads one. */
import { existsSync } from 'node:fs';
import { type Browser, chromium } from 'playwright-core';

export const CHROMIUM = process.env.WEBAUTHN_CHROMIUM_PATH ?? '/usr/bin/chromium';

/** True when the browser suites were explicitly switched off; otherwise a missing browser fails them. */
export const SKIP_BROWSER = process.env.WEBAUTHN_SKIP_BROWSER === '1';

/**
 * Headless Chromium with the flags this machine needs (no sandbox as root, no background network
 * or component updates, which the closed network refuses). `hostRules` maps host names to
 * 127.0.0.1 so that localhost names reach the test server whatever ::1 does.
 */
export function launchChromium(hostRules: string, timeout: number): Promise<Browser> {
  if (!existsSync(CHROMIUM)) {
    throw new Error(`${CHROMIUM} is missing: install Debian's chromium or set WEBAUTHN_SKIP_BROWSER=1`);
  }
  // launch() gives Chromium a fresh, empty --user-data-dir of its own (and deletes it on close).
  return chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    timeout,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--no-first-run',
      '--disable-quic',
      `--host-resolver-rules=${hostRules}`,
    ],
  });
}
