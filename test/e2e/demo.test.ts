/**
 * The demo relying party (examples/relying-party) end to end: the server in-process on a random
 * port, headless Debian Chromium driving the page, CDP virtual authenticators answering the
 * WebAuthn calls. Two services on wallet.localhost and pay.localhost, each its own RP ID.
 *
 * /usr/bin/chromium missing is a failure (CI installs it); WEBAUTHN_SKIP_BROWSER=1 skips the file.
 * With WEBAUTHN_CAPTURE_FIXTURES=1 it saves a screenshot of the passkey list to
 * docs/demo-passkeys.png (README) and writes every response the server verified to
 * fixtures/browser/ (fixtures/README.md); a plain `npm test` writes nothing into the tree.
 */
import { mkdirSync, renameSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { Browser, CDPSession, Page } from 'playwright-core';
import { SKIP_BROWSER, launchChromium } from '../helpers/chromium.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type DemoServer, type VerifiedCeremony, startDemo } from '../../examples/relying-party/server.js';

const TIMEOUT = 120_000;
const CAPTURE = process.env.WEBAUTHN_CAPTURE_FIXTURES === '1';
const SCREENSHOT = fileURLToPath(new URL('../../docs/demo-passkeys.png', import.meta.url));
const CAPTURE_DIR = fileURLToPath(new URL('../../fixtures/browser/', import.meta.url));

/** The CDP WebAuthn.VirtualAuthenticatorOptions this suite uses. */
interface AuthenticatorOptions {
  protocol: 'ctap2' | 'u2f';
  transport: 'internal' | 'usb';
  hasResidentKey: boolean;
  hasUserVerification: boolean;
  isUserVerified?: boolean;
  automaticPresenceSimulation: boolean;
}

/** Writes a file whole (temp file, then rename): both test projects may write the same path. */
function writeAtomically(path: string, data: string | Uint8Array): void {
  const temp = `${path}.${process.pid}.${Math.random().toString(36).slice(2)}.tmp`;
  writeFileSync(temp, data);
  renameSync(temp, path);
}

/** A verified response as an interop vector (../shared/interop/README.md). */
function toVector(
  v: VerifiedCeremony,
  id: string,
  chromiumVersion: string,
  authenticator: AuthenticatorOptions,
  time: string,
): Record<string, unknown> {
  const registration = v.ceremony === 'registration';
  return {
    id,
    source: {
      repo: 'webauthn-verify',
      generator: 'chromium virtual authenticator',
      chromium: chromiumVersion,
      authenticator,
      command: 'WEBAUTHN_CAPTURE_FIXTURES=1 npx vitest run test/e2e',
    },
    description: `A ${v.ceremony} by a Chromium ${chromiumVersion} virtual authenticator (${authenticator.protocol}, ${authenticator.transport}) against the demo relying party (test/e2e/demo.test.ts).`,
    ceremony: v.ceremony,
    attestationFormat: registration ? v.attestation.format : null,
    alg: v.algorithm,
    response: v.response,
    expected: {
      challenge: v.expected.challenge,
      origin: v.expected.origin,
      rpId: v.expected.rpId,
      userVerificationRequired: v.expected.userVerification === 'required',
    },
    credential: registration ? null : v.credential,
    verificationTime: time,
    trustAnchors: [],
    outcome: 'valid',
  };
}

describe.skipIf(SKIP_BROWSER)('demo relying party in Chromium', { timeout: TIMEOUT }, () => {
  let demo: DemoServer;
  let browser: Browser;
  let page: Page;
  let cdp: CDPSession;
  let platform: string;
  let usb: string;
  const authenticators = new Map<string, AuthenticatorOptions>();
  /** Each verified response with the options of the authenticator that made it (looked up at once). */
  const captures: Promise<{ verified: VerifiedCeremony; authenticator: AuthenticatorOptions; time: string }>[] = [];

  async function authenticatorOf(credentialId: string): Promise<AuthenticatorOptions> {
    for (const [authenticatorId, options] of authenticators) {
      const { credentials } = await cdp.send('WebAuthn.getCredentials', { authenticatorId });
      if (credentials.some((c) => Buffer.from(c.credentialId, 'base64').toString('base64url') === credentialId)) return options;
    }
    throw new Error(`no virtual authenticator holds credential ${credentialId}`);
  }

  function capture(verified: VerifiedCeremony): void {
    if (!CAPTURE) return;
    const time = new Date().toISOString();
    const credentialId = verified.ceremony === 'registration' ? verified.credentialId : verified.credential.id;
    captures.push(authenticatorOf(credentialId).then((authenticator) => ({ verified, authenticator, time })));
  }

  const url = (host: string) => `http://${host}:${demo.port}/`;

  beforeAll(async () => {
    demo = await startDemo({ port: 0, host: '127.0.0.1', onVerified: capture });
    browser = await launchChromium('MAP *.localhost 127.0.0.1, MAP localhost 127.0.0.1', TIMEOUT);
    page = await browser.newPage();
    page.setDefaultTimeout(30_000);
    cdp = await page.context().newCDPSession(page);
    await cdp.send('WebAuthn.enable', { enableUI: false });
    await open('wallet.localhost');
  }, TIMEOUT);

  afterAll(async () => {
    if (CAPTURE && browser) await writeCaptures();
    await browser?.close().catch(() => {});
    await demo?.close();
  }, TIMEOUT);

  async function open(host: string): Promise<void> {
    await page.goto(url(host));
    await page.waitForSelector('body[data-ready="1"]', { state: 'attached' });
    expect(await page.evaluate(() => window.isSecureContext)).toBe(true);
  }

  async function writeCaptures(): Promise<void> {
    const version = browser.version();
    mkdirSync(CAPTURE_DIR, { recursive: true });
    const counts = new Map<string, number>();
    for (const { verified, authenticator, time } of await Promise.all(captures)) {
      const kind =
        verified.ceremony === 'registration'
          ? `${authenticator.protocol}-${authenticator.transport}-registration-${verified.attestation.format}`
          : `${authenticator.protocol}-${authenticator.transport}-authentication`;
      const n = (counts.get(kind) ?? 0) + 1;
      counts.set(kind, n);
      const id = `chromium-${kind}-${n}`;
      const vector = toVector(verified, id, version, authenticator, time);
      writeAtomically(`${CAPTURE_DIR}${id}.json`, `${JSON.stringify(vector, null, 2)}\n`);
    }
  }

  async function addAuthenticator(transport: 'internal' | 'usb', protocol: 'ctap2' | 'u2f' = 'ctap2'): Promise<string> {
    const options: AuthenticatorOptions =
      protocol === 'u2f'
        ? { protocol, transport, hasResidentKey: false, hasUserVerification: false, automaticPresenceSimulation: true }
        : {
            protocol,
            transport,
            hasResidentKey: true,
            hasUserVerification: true,
            isUserVerified: true,
            automaticPresenceSimulation: true,
          };
    const { authenticatorId } = await cdp.send('WebAuthn.addVirtualAuthenticator', { options });
    authenticators.set(authenticatorId, options);
    return authenticatorId;
  }

  async function attestations(): Promise<string[]> {
    return page.$$eval('#passkeys .passkey .attestation', (smalls) => smalls.map((s) => s.textContent ?? ''));
  }

  /** Clicks a button and waits for the action to finish; returns the page's message and error. */
  async function click(selector: string): Promise<{ message: string; error: string }> {
    await page.click(selector);
    await page.waitForSelector('body[data-state="idle"]', { state: 'attached' });
    return {
      message: (await page.textContent('#message')) ?? '',
      error: (await page.textContent('#error')) ?? '',
    };
  }

  async function passkeys(): Promise<{ name: string; rp: string }[]> {
    return page.$$eval('#passkeys .passkey', (divs) =>
      divs.map((d) => ({ name: d.querySelector('.name')!.textContent!, rp: d.querySelector('.rp')!.textContent! })),
    );
  }

  async function signOutAndIn(): Promise<{ message: string; error: string }> {
    expect((await click('#signout')).error).toBe('');
    return click('#signin-discoverable');
  }

  it('registers an account and adds a passkey on this device', async () => {
    platform = await addAuthenticator('internal');
    await page.fill('#new-username', 'alice');
    expect((await click('#register')).error).toBe('');
    expect(await page.textContent('#who')).toBe('alice');
    expect(await click('#add-client-device')).toMatchObject({ error: '' });
    expect(await passkeys()).toEqual([{ name: expect.any(String), rp: 'wallet.localhost' }]);
  });

  it('signs in with a discoverable passkey and with username first', async () => {
    expect(await signOutAndIn()).toEqual({ message: 'Signed in as alice.', error: '' });
    await click('#signout');
    await page.fill('#signin-username', 'alice');
    expect(await click('#signin-username-first')).toEqual({ message: 'Signed in as alice.', error: '' });
    expect(await page.textContent('#passkeys .meta')).not.toContain('last used never');
  });

  it('renames a passkey', async () => {
    page.once('dialog', (dialog) => void dialog.accept('My laptop'));
    expect(await click('#passkeys .passkey .rename')).toEqual({ message: 'Passkey renamed.', error: '' });
    expect((await passkeys())[0]!.name).toBe('My laptop');
  });

  it('adds a USB security key and removes it after a passkey confirmation: no hold', async () => {
    usb = await addAuthenticator('usb');
    expect((await click('#add-security-key')).error).toBe('');
    // With attestation the AAGUID is attested: the name comes from the authenticator.
    expect((await passkeys()).map((p) => p.name)).toEqual(['My laptop', 'Chromium virtual authenticator']);
    // attestation 'direct' for a security key: the virtual authenticator's packed statement, verified.
    const [laptop, key] = await attestations();
    expect(laptop).toContain('Attestation: none');
    expect(key).toContain('Attestation: packed (basic');
    expect(await click('#confirm')).toMatchObject({ error: '', message: expect.stringContaining('Confirmed') });
    expect(await click('#passkeys .passkey:nth-child(2) .remove')).toEqual({ message: 'Passkey removed.', error: '' });
    expect(await page.isHidden('#hold')).toBe(true);
    expect(await passkeys()).toHaveLength(1);
  });

  it('removing a passkey without a passkey confirmation puts a 24-hour hold on withdrawals', async () => {
    expect((await click('#add-hybrid')).error).toBe('');
    expect((await passkeys()).map((p) => p.name)).toEqual(['My laptop', 'Passkey on another device']);
    // A new sign-in: the earlier confirmation no longer counts.
    expect((await signOutAndIn()).error).toBe('');
    expect((await click('#passkeys .passkey:nth-child(2) .remove')).message).toContain('on hold for 24 hours');
    expect(await page.isVisible('#hold')).toBe(true);
    expect(await page.textContent('#hold')).toContain('Withdrawals on hold until');
    // The passkey list after creating, renaming and removing (README).
    const screenshot = await page.screenshot({ fullPage: true });
    expect(screenshot.byteLength).toBeGreaterThan(1000);
    if (CAPTURE) writeAtomically(SCREENSHOT, screenshot);
    await cdp.send('WebAuthn.removeVirtualAuthenticator', { authenticatorId: usb });
    authenticators.delete(usb);
    expect((await click('#withdraw')).error).toContain('Withdrawals are on hold');
  });

  it('adds a U2F-only security key: fido-u2f attestation', async () => {
    // The platform authenticator is excluded (it holds this account's passkey): the U2F key answers.
    const u2f = await addAuthenticator('usb', 'u2f');
    try {
      expect((await click('#add-security-key')).error).toBe('');
      expect((await passkeys()).map((p) => p.name)).toEqual(['My laptop', 'Security key']);
      expect((await attestations())[1]).toContain('Attestation: fido-u2f (basic');
      expect((await click('#passkeys .passkey:nth-child(2) .remove')).error).toBe('');
    } finally {
      await cdp.send('WebAuthn.removeVirtualAuthenticator', { authenticatorId: u2f });
      authenticators.delete(u2f);
    }
  });

  it('a fingerprint or PIN that is not verified shows the error', async () => {
    await cdp.send('WebAuthn.setUserVerified', { authenticatorId: platform, isUserVerified: false });
    try {
      expect((await click('#confirm')).error).toContain('Your fingerprint or PIN was not verified');
    } finally {
      await cdp.send('WebAuthn.setUserVerified', { authenticatorId: platform, isUserVerified: true });
    }
  });

  it('a replayed challenge is rejected', async () => {
    expect((await signOutAndIn()).error).toBe('');
    const replay = await page.evaluate(() => (window as unknown as { replayLast(): Promise<string> }).replayLast());
    expect(replay).toContain('expired or was already used');
  });

  it('a cloned credential (lower signCount) is rejected as a counter regression', async () => {
    const { credentials } = await cdp.send('WebAuthn.getCredentials', { authenticatorId: platform });
    const original = credentials.find((c) => c.rpId === 'wallet.localhost')!;
    expect(original.signCount).toBeGreaterThan(1);
    await cdp.send('WebAuthn.removeCredential', { authenticatorId: platform, credentialId: original.credentialId });
    await cdp.send('WebAuthn.addCredential', { authenticatorId: platform, credential: { ...original, signCount: 0 } });
    expect((await signOutAndIn()).error).toContain('looks cloned');
    expect(await page.isVisible('#signed-out')).toBe(true);
  });

  it('labels passkeys by RP ID across wallet.localhost and pay.localhost', async () => {
    await open('pay.localhost');
    expect(await page.textContent('#rpid')).toBe('pay.localhost');
    await page.fill('#new-username', 'alice');
    expect((await click('#register')).error).toBe('');
    expect((await click('#add-client-device')).error).toBe('');
    expect(await passkeys()).toEqual([{ name: expect.any(String), rp: 'pay.localhost' }]);
    expect(await signOutAndIn()).toEqual({ message: 'Signed in as alice.', error: '' });
    const { credentials } = await cdp.send('WebAuthn.getCredentials', { authenticatorId: platform });
    expect(credentials.map((c) => c.rpId).sort()).toEqual(['pay.localhost', 'wallet.localhost']);
  });
});
