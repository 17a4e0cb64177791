/**
 * The demo relying party: node:http, one plain page, the library's public API only. The same app
 * answers on two hostnames (wallet.localhost, pay.localhost), each its own RP ID. See docs/demo.md.
 */
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { type IncomingMessage, type Server, type ServerResponse, createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { fileURLToPath } from 'node:url';
import {
  type AuthenticationResponseJSON,
  type PublicKeyCredentialHint,
  type RegistrationResponseJSON,
  authenticatorName,
  generateAuthenticationOptions,
  generateRegistrationOptions,
  isWebAuthnError,
  verifyAuthenticationResponse,
  verifyRegistrationResponse,
} from '../../src/index.js';
import { PASSKEY_PROVIDERS } from '../../src/low-level.js';
import { SqlJsStorage, type Storage, type User } from './storage.js';

export const CHALLENGE_TTL_MS = 5 * 60_000;
export const STEP_UP_FRESH_MS = 5 * 60_000;
export const HOLD_MS = 24 * 60 * 60_000;
export const SERVICES: Record<string, string> = { 'wallet.localhost': 'Wallet', 'pay.localhost': 'Pay' };

const PAGE = readFileSync(fileURLToPath(new URL('./public/index.html', import.meta.url)), 'utf8');
const APP_JS = readFileSync(fileURLToPath(new URL('./public/app.js', import.meta.url)), 'utf8');

/** Messages a person can act on, by library error code. */
const MESSAGES: Record<string, string> = {
  ERR_USER_VERIFICATION: 'Your fingerprint or PIN was not verified.',
  ERR_USER_PRESENCE: 'The passkey was used without you touching or confirming it.',
  ERR_COUNTER_REGRESSION:
    'This passkey looks cloned: its signature counter went backwards. It was refused; remove it and contact support.',
  ERR_CHALLENGE_MISMATCH: 'This request was already used or is not the one we sent. Please try again.',
  ERR_ORIGIN_MISMATCH: 'The passkey was used on a different site.',
  ERR_RPID_MISMATCH: 'The passkey belongs to a different service.',
  ERR_SIGNATURE_INVALID: 'The passkey signature did not verify.',
  ERR_CREDENTIAL_NOT_ALLOWED: 'That passkey is not one of this account’s.',
  ERR_USER_HANDLE_MISMATCH: 'That passkey belongs to a different account.',
};

/**
 * Authenticator names by AAGUID: the library's bundled passkey-provider list (an unattested hint,
 * see docs/metadata.md), plus the AAGUID of Chromium's virtual authenticator the demo's tests use.
 * With a verified FIDO metadata snapshot, pass it as `metadata` and the attested description wins.
 */
const PROVIDERS: Readonly<Record<string, string>> = {
  ...PASSKEY_PROVIDERS,
  '01020304-0506-0708-0102-030405060708': 'Chromium virtual authenticator',
};
const KIND_NAMES: Record<PublicKeyCredentialHint, string> = {
  'client-device': 'Passkey on this device',
  'security-key': 'Security key',
  hybrid: 'Passkey on another device',
};

class UserFacingError extends Error {}

interface Session {
  userId: number | null;
  /** When the last passkey confirmation (step-up with UV) happened, epoch ms. */
  confirmedAt: number | null;
}

function b64u(bytes: Uint8Array): string {
  return Buffer.from(bytes).toString('base64url');
}

/** A response the server verified, with exactly what it was verified against (tests capture these). */
export type VerifiedCeremony =
  | {
      ceremony: 'registration';
      response: RegistrationResponseJSON;
      expected: { challenge: string; origin: string; rpId: string; userVerification: string };
      attestation: { format: string; type: string; trusted: boolean };
      credentialId: string;
      algorithm: number;
    }
  | {
      ceremony: 'authentication';
      response: AuthenticationResponseJSON;
      expected: { challenge: string; origin: string; rpId: string; userVerification: string };
      /** The stored record as it was before this sign-in. */
      credential: { id: string; publicKey: string; signCount: number };
      algorithm: number;
    };

export interface DemoServer {
  server: Server;
  port: number;
  urls: string[];
  close(): Promise<void>;
}

export async function startDemo(
  options: { port?: number; storage?: Storage; host?: string; onVerified?: (verified: VerifiedCeremony) => void } = {},
): Promise<DemoServer> {
  const storage = options.storage ?? (await SqlJsStorage.open());
  const sessions = new Map<string, Session>();
  let port = 0;

  function rpOf(req: IncomingMessage): { rpId: string; origin: string } {
    const host = (req.headers.host ?? '').replace(/:\d+$/, '').toLowerCase();
    if (!(host in SERVICES)) throw new UserFacingError(`Open the demo at http://wallet.localhost:${port}/`);
    return { rpId: host, origin: `http://${host}:${port}` };
  }

  function sessionOf(req: IncomingMessage, res: ServerResponse): { id: string; session: Session } {
    const match = /(?:^|;\s*)sid=([A-Za-z0-9_-]+)/.exec(req.headers.cookie ?? '');
    let id = match?.[1];
    let session = id ? sessions.get(id) : undefined;
    if (!id || !session) {
      id = b64u(randomBytes(24));
      session = { userId: null, confirmedAt: null };
      sessions.set(id, session);
      res.setHeader('set-cookie', `sid=${id}; HttpOnly; SameSite=Strict; Path=/`);
    }
    return { id, session };
  }

  function signedIn(session: Session): User {
    const user = session.userId === null ? undefined : storage.userById(session.userId);
    if (!user) throw new UserFacingError('Sign in first.');
    return user;
  }

  function confirmedRecently(session: Session, now: number): boolean {
    return session.confirmedAt !== null && now - session.confirmedAt < STEP_UP_FRESH_MS;
  }

  function issue(sessionId: string, purpose: string, data: Record<string, unknown>): string {
    const id = b64u(randomBytes(16));
    storage.saveChallenge({ id, sessionId, purpose, data, expiresAt: Date.now() + CHALLENGE_TTL_MS });
    return id;
  }

  function take(sessionId: string, ceremonyId: unknown, purposes: string[]): Record<string, unknown> {
    const c = typeof ceremonyId === 'string' ? storage.takeChallenge(ceremonyId, sessionId, Date.now()) : undefined;
    if (!c || !purposes.includes(c.purpose)) {
      throw new UserFacingError('This request has expired or was already used. Please try again.');
    }
    return { ...c.data, purpose: c.purpose };
  }

  function me(session: Session, rpId: string) {
    const now = Date.now();
    const user = session.userId === null ? undefined : storage.userById(session.userId);
    if (!user) return { rpId, service: SERVICES[rpId], user: null };
    return {
      rpId,
      service: SERVICES[rpId],
      user: user.username,
      holdUntil: user.holdUntil !== null && user.holdUntil > now ? new Date(user.holdUntil).toISOString() : null,
      confirmedUntil: confirmedRecently(session, now)
        ? new Date(session.confirmedAt! + STEP_UP_FRESH_MS).toISOString()
        : null,
      passkeys: storage.credentialsOf(user.id).map((c) => ({
        id: c.id,
        name: c.name,
        rpId: c.rpId,
        createdAt: new Date(c.createdAt).toISOString(),
        lastUsedAt: c.lastUsedAt === null ? null : new Date(c.lastUsedAt).toISOString(),
        backedUp: c.backupState,
        transports: c.transports,
        attestation: c.attestation,
      })),
    };
  }

  async function api(path: string, body: Record<string, unknown>, req: IncomingMessage, res: ServerResponse) {
    const { rpId, origin } = rpOf(req);
    const { id: sid, session } = sessionOf(req, res);
    const now = Date.now();
    switch (path) {
      case '/api/me':
        return me(session, rpId);
      case '/api/register': {
        const username = typeof body.username === 'string' ? body.username.trim() : '';
        if (!/^[\w.@-]{1,64}$/.test(username)) throw new UserFacingError('Choose a username (letters, digits, . @ - _).');
        const user = storage.createUser(rpId, username, b64u(randomBytes(32)));
        if (!user) throw new UserFacingError('That username is taken.');
        session.userId = user.id;
        session.confirmedAt = null;
        return me(session, rpId);
      }
      case '/api/signout':
        session.userId = null;
        session.confirmedAt = null;
        return me(session, rpId);
      case '/api/passkeys/options': {
        const user = signedIn(session);
        const kind = body.kind as PublicKeyCredentialHint;
        if (!(kind in KIND_NAMES)) throw new UserFacingError('Unknown kind of passkey.');
        const { options, expected } = generateRegistrationOptions({
          rp: { id: rpId, name: SERVICES[rpId]! },
          user: { id: user.userHandle, name: user.username },
          hints: [kind],
          // A security key's make and model is worth knowing (and checking); passkeys need none.
          attestation: kind === 'security-key' ? 'direct' : 'none',
          residentKey: kind === 'security-key' ? 'preferred' : 'required',
          userVerification: kind === 'security-key' ? 'preferred' : 'required',
          excludeCredentials: storage.credentialsOf(user.id),
        });
        return { ceremonyId: issue(sid, 'register', { ...expected, kind }), options };
      }
      case '/api/passkeys/verify': {
        const user = signedIn(session);
        const { kind, purpose: _p, ...expected } = take(sid, body.ceremonyId, ['register']);
        const issued = expected as { challenge: string; rpId: string; userVerification: 'required' | 'preferred' | 'discouraged' };
        const response = body.response as RegistrationResponseJSON;
        const result = await verifyRegistrationResponse(response, {
          ...issued,
          origin,
          // Every attestation statement must verify; with no trust anchors configured an
          // untrusted chain is reported (trusted: false), not refused.
          ...(kind === 'security-key' ? { attestation: { require: 'valid' as const } } : {}),
        });
        const c = result.credential;
        const attestation = {
          format: result.attestation.format,
          type: result.attestation.type,
          trusted: result.attestation.trusted,
        };
        options.onVerified?.({
          ceremony: 'registration',
          response,
          expected: { challenge: issued.challenge, origin, rpId: issued.rpId, userVerification: issued.userVerification },
          attestation,
          credentialId: c.id,
          algorithm: c.algorithm,
        });
        const added = storage.addCredential({
          id: c.id,
          userId: user.id,
          rpId,
          name:
            authenticatorName(result.attestation.aaguid, { providers: PROVIDERS })?.name ?? KIND_NAMES[kind as PublicKeyCredentialHint],
          publicKey: typeof c.publicKey === 'string' ? c.publicKey : b64u(c.publicKey),
          algorithm: c.algorithm,
          signCount: c.signCount,
          transports: [...(c.transports ?? [])],
          aaguid: result.attestation.aaguid,
          backupEligible: c.backupEligible ?? false,
          backupState: c.backupState ?? false,
          uvInitialized: c.uvInitialized ?? false,
          attestation,
          createdAt: now,
          lastUsedAt: null,
        });
        if (!added) throw new UserFacingError('That passkey is already registered.');
        return me(session, rpId);
      }
      case '/api/signin/options':
      case '/api/confirm/options': {
        const stepUp = path === '/api/confirm/options';
        let user: User | undefined;
        if (stepUp) user = signedIn(session);
        else if (typeof body.username === 'string' && body.username !== '') {
          user = storage.userByName(rpId, body.username.trim());
          if (!user) throw new UserFacingError('No account with that username.');
        }
        const { options, expected } = generateAuthenticationOptions({
          rpId,
          userVerification: 'required',
          ...(user ? { allowCredentials: storage.credentialsOf(user.id) } : {}),
        });
        const action = stepUp ? String(body.action ?? 'confirm') : 'signin';
        return { ceremonyId: issue(sid, stepUp ? 'confirm' : 'signin', { ...expected, action }), options };
      }
      case '/api/signin/verify':
      case '/api/confirm/verify': {
        const stepUp = path === '/api/confirm/verify';
        const current = stepUp ? signedIn(session) : undefined;
        const { action, purpose: _p, ...expected } = take(sid, body.ceremonyId, [stepUp ? 'confirm' : 'signin']);
        const response = body.response as AuthenticationResponseJSON;
        const stored = typeof response?.rawId === 'string' ? storage.credential(rpId, response.rawId) : undefined;
        if (!stored) throw new UserFacingError('This passkey is not registered here (it may have been removed).');
        const owner = storage.userById(stored.userId)!;
        if (current && owner.id !== current.id) throw new UserFacingError('That passkey belongs to a different account.');
        const issued = expected as { challenge: string; rpId: string; userVerification: 'required' | 'preferred' | 'discouraged' };
        const result = await verifyAuthenticationResponse(
          response,
          {
            id: stored.id,
            publicKey: stored.publicKey,
            algorithm: stored.algorithm,
            signCount: stored.signCount,
            transports: stored.transports,
            uvInitialized: stored.uvInitialized,
            backupEligible: stored.backupEligible,
            backupState: stored.backupState,
            rpId,
          },
          {
            ...issued,
            origin,
            ...(response.response?.userHandle ? { userHandle: owner.userHandle } : {}),
          },
        );
        options.onVerified?.({
          ceremony: 'authentication',
          response,
          expected: { challenge: issued.challenge, origin, rpId: issued.rpId, userVerification: issued.userVerification },
          credential: { id: stored.id, publicKey: stored.publicKey, signCount: stored.signCount },
          algorithm: stored.algorithm,
        });
        const updated = storage.updateAfterSignIn(stored.id, stored.signCount, {
          signCount: result.credential.signCount,
          backupState: result.backupState,
          uvInitialized: result.credential.uvInitialized ?? false,
          lastUsedAt: now,
        });
        if (!updated) throw new UserFacingError('This passkey was used at the same time elsewhere; sign-in refused.');
        if (!stepUp) {
          session.userId = owner.id;
          session.confirmedAt = null;
          return { ...me(session, rpId), message: `Signed in as ${owner.username}.` };
        }
        session.confirmedAt = now;
        if (action === 'withdraw') {
          const hold = owner.holdUntil !== null && owner.holdUntil > now;
          if (hold) {
            throw new UserFacingError(
              `Withdrawals are on hold until ${new Date(owner.holdUntil!).toISOString()} because a passkey was removed without a passkey confirmation.`,
            );
          }
          return { ...me(session, rpId), message: 'Withdrawal confirmed with your passkey.' };
        }
        return { ...me(session, rpId), message: 'Confirmed with your passkey for the next 5 minutes.' };
      }
      case '/api/passkeys/rename': {
        const user = signedIn(session);
        const name = typeof body.name === 'string' ? body.name.trim() : '';
        if (name.length < 1 || name.length > 64) throw new UserFacingError('A name has 1 to 64 characters.');
        if (!storage.renameCredential(user.id, String(body.id), name)) throw new UserFacingError('No such passkey.');
        return { ...me(session, rpId), message: 'Passkey renamed.' };
      }
      case '/api/passkeys/remove': {
        const user = signedIn(session);
        if (!storage.removeCredential(user.id, String(body.id))) throw new UserFacingError('No such passkey.');
        if (confirmedRecently(session, now)) return { ...me(session, rpId), message: 'Passkey removed.' };
        storage.setHold(user.id, now + HOLD_MS);
        return {
          ...me(session, rpId),
          message: 'Passkey removed without a passkey confirmation: withdrawals are on hold for 24 hours.',
        };
      }
      default:
        return undefined;
    }
  }

  const server = createServer((req, res) => {
    void handle(req, res);
  });

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://x');
    try {
      if (req.method === 'GET' && (url.pathname === '/' || url.pathname === '/app.js')) {
        rpOf(req);
        const js = url.pathname === '/app.js';
        res.writeHead(200, {
          'content-type': js ? 'text/javascript; charset=utf-8' : 'text/html; charset=utf-8',
          'cache-control': 'no-store',
        });
        res.end(js ? APP_JS : PAGE);
        return;
      }
      if (req.method !== 'POST' || !url.pathname.startsWith('/api/')) {
        res.writeHead(404).end();
        return;
      }
      let raw = '';
      for await (const chunk of req) {
        raw += chunk;
        if (raw.length > 100_000) throw new UserFacingError('Request too large.');
      }
      const body = (raw ? JSON.parse(raw) : {}) as Record<string, unknown>;
      const out = await api(url.pathname, body, req, res);
      if (out === undefined) {
        res.writeHead(404).end();
        return;
      }
      res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(out));
    } catch (e) {
      let error: string;
      let code: string | undefined;
      if (e instanceof UserFacingError) error = e.message;
      else if (isWebAuthnError(e)) {
        code = e.code;
        error = MESSAGES[e.code] ?? `The passkey could not be verified (${e.code}).`;
      } else {
        console.error(e);
        error = 'Something went wrong.';
      }
      if (!res.headersSent) res.writeHead(400, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ error, code }));
    }
  }

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, options.host ?? '127.0.0.1', () => resolve());
  });
  port = (server.address() as AddressInfo).port;
  return {
    server,
    port,
    urls: Object.keys(SERVICES).map((h) => `http://${h}:${port}/`),
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const file = fileURLToPath(new URL('./data/demo.sqlite', import.meta.url));
  const demo = await startDemo({ port: Number(process.env.PORT ?? 8080), storage: await SqlJsStorage.open(file) });
  console.log('webauthn-verify demo relying party');
  for (const url of demo.urls) console.log(`  ${url}`);
  console.log(`Two services, each its own RP ID. Data: ${file}. Ctrl-C to stop.`);
}
