/**
 * Differential run against @simplewebauthn/server (v14): the same input through both verifiers,
 * with the same expectations — challenge, origin, RP ID, user verification, every algorithm
 * allowed, the vector's trust anchors for its format (none: SimpleWebAuthn then skips path
 * validation, as our `require: 'valid'` reports the chain untrusted) — and the vector's
 * verification time (SimpleWebAuthn reads the clock, so `Date` is pinned during its call).
 * Disagreements are grouped into classes by direction, our code and SimpleWebAuthn's message with
 * the input-specific parts taken out; docs/quirks.md explains each class.
 */
import { SettingsService, verifyAuthenticationResponse, verifyRegistrationResponse } from '@simplewebauthn/server';
import type { Vector } from '../../src/cli/vector.js';
import { COSE_ALGORITHMS } from '../../src/low-level.js';
import { fromB64u } from './corpus.js';
import type { Verdict } from './verdict.js';

/** SimpleWebAuthn's verdict: accepted (`verified: true`), or its error message. */
export interface TheirVerdict {
  readonly accepted: boolean;
  readonly message?: string;
}

const ALL_ALGORITHMS = Object.keys(COSE_ALGORITHMS).map(Number);
const RealDate = Date;
type RootIdentifier = Parameters<typeof SettingsService.getRootCertificates>[0]['identifier'];

/** Runs `fn` with `Date` (constructor without arguments, `Date.now`) pinned to `at`. */
async function atTime<T>(at: string | null, fn: () => Promise<T>): Promise<T> {
  if (at === null) return fn();
  const fixed = new RealDate(at).getTime();
  class PinnedDate extends RealDate {
    constructor(...args: unknown[]) {
      if (args.length === 0) super(fixed);
      else super(...(args as [string]));
    }
    static override now() {
      return fixed;
    }
  }
  globalThis.Date = PinnedDate as DateConstructor;
  try {
    return await fn();
  } finally {
    globalThis.Date = RealDate;
  }
}

const DEFAULT_ROOTS = new Map(
  (['android-key', 'android-safetynet', 'apple', 'packed', 'tpm', 'fido-u2f', 'none'] as RootIdentifier[]).map((id) => [
    id,
    SettingsService.getRootCertificates({ identifier: id }),
  ]),
);

/** Verifies `vector` with SimpleWebAuthn; never throws. */
export async function runTheirs(vector: Vector): Promise<TheirVerdict> {
  const e = vector.expected;
  const common = {
    expectedChallenge: e.challenge,
    expectedOrigin: e.origin,
    expectedRPID: e.rpId,
    requireUserVerification: e.userVerificationRequired === true,
  };
  const format = (vector.attestationFormat ?? 'none') as RootIdentifier;
  try {
    const outcome = await atTime(vector.verificationTime, async () => {
      if (vector.ceremony === 'registration') {
        SettingsService.setRootCertificates({ identifier: format, certificates: [...vector.trustAnchors] });
        return verifyRegistrationResponse({
          ...common,
          response: vector.response as never,
          supportedAlgorithmIDs: ALL_ALGORITHMS,
          requireUserPresence: e.mediation !== 'conditional',
        });
      }
      const credential = vector.credential!;
      return verifyAuthenticationResponse({
        ...common,
        ...(e.topOrigin === undefined ? {} : { expectedTopOrigin: e.topOrigin }),
        response: vector.response as never,
        credential: { id: credential.id, publicKey: fromB64u(credential.publicKey) as never, counter: credential.signCount },
      });
    });
    return outcome.verified ? { accepted: true } : { accepted: false, message: 'verified: false' };
  } catch (error) {
    return { accepted: false, message: error instanceof Error ? error.message : String(error) };
  } finally {
    if (vector.ceremony === 'registration') SettingsService.setRootCertificates({ identifier: format, certificates: DEFAULT_ROOTS.get(format) ?? [] });
  }
}

/** SimpleWebAuthn's message with the input-specific parts (quoted values, numbers, hex) taken out. */
export function normaliseMessage(message: string | undefined): string {
  return (message ?? '')
    .split('\n')[0]!
    .replace(/"[^"]*"/g, '"…"')
    .replace(/'[^']*'/g, "'…'")
    .replace(/\b[0-9a-f]{16,}\b/gi, '<hex>')
    .replace(/-?\d+(\.\d+)?/g, 'N')
    .slice(0, 120);
}

/** Which verifier accepted, when they disagree. */
export type Direction = 'agree' | 'only-we-accept' | 'only-they-accept';

/** The outcome of comparing the two verdicts on one input. */
export interface Comparison {
  readonly direction: Direction;
  /** `direction | our code | their message class` for disagreements. */
  readonly class?: string;
}

/** Compares our verdict with theirs. */
export function compare(ours: Verdict, theirs: TheirVerdict): Comparison {
  if (ours.accepted === theirs.accepted) return { direction: 'agree' };
  if (ours.accepted) return { direction: 'only-we-accept', class: `only-we-accept | they: ${normaliseMessage(theirs.message)}` };
  return { direction: 'only-they-accept', class: `only-they-accept | we: ${ours.code}` };
}
