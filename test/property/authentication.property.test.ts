/**
 * Properties of verifyAuthenticationResponse over generated assertions:
 * - any valid assertion (random algorithm, key, counters, flags, origins, RP IDs, extensions) verifies
 *   and reports exactly the facts it was built with;
 * - any single-bit flip, truncation or extension of authenticatorData, clientDataJSON or the
 *   signature is rejected with a WebAuthnError;
 * - arbitrary JSON in place of the response never throws anything but a WebAuthnError.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { verifyAuthenticationResponse } from '../../src/ceremony/verify-authentication.js';
import { bytesToBase64Url } from '../../src/encoding/base64url.js';
import { WebAuthnError } from '../../src/errors.js';
import type { AuthenticationResponseJSON } from '../../src/types.js';
import { type AlgName, type TestKey, testKey } from '../helpers/keys.js';
import { type AssertionOptions, createAssertion } from '../helpers/synthetic-authenticator.js';

// RSA and ML-DSA keys are slow to make; one key per algorithm, reused across runs.
const ALGS: AlgName[] = [
  'ES256', 'ESP256', 'ES384', 'ESP384', 'ES512', 'ESP512', 'ES256K', 'EdDSA', 'Ed25519', 'Ed448',
  'RS256', 'RS384', 'RS512', 'PS256', 'PS384', 'PS512', 'ML-DSA-44', 'ML-DSA-65', 'ML-DSA-87',
];
const keys = new Map<AlgName, TestKey>(ALGS.map((name) => [name, testKey(name)]));

const hostLabel = fc.stringMatching(/^[a-z][a-z0-9-]{0,10}[a-z0-9]$/);
const rpIdArb = fc.tuple(hostLabel, fc.constantFrom('com', 'example', 'org')).map(([a, b]) => `${a}.${b}`);
const u32 = fc.integer({ min: 0, max: 0xffffffff });

/** Counter pairs that the verifier accepts: both zero, or received > stored. */
const counterPair = fc.oneof(
  fc.constant([0, 0] as const),
  u32.chain((stored) =>
    stored === 0xffffffff ? fc.constant([0, 1] as const) : fc.integer({ min: stored + 1, max: 0xffffffff }).map((r) => [stored, r] as const),
  ),
);

const extensionsArb = fc.option(
  fc.dictionary(fc.constantFrom('credProtect', 'hmac-secret', 'credBlob', 'largeBlobKey', 'x-custom'), fc.oneof(fc.boolean(), fc.integer({ min: 0, max: 1000 }), fc.string({ maxLength: 8 })), { minKeys: 1, maxKeys: 3 }),
  { nil: undefined },
);

const validCase = fc.record({
  alg: fc.constantFrom(...ALGS),
  counters: counterPair,
  uv: fc.boolean(),
  be: fc.boolean(),
  bsIfBe: fc.boolean(),
  rpId: rpIdArb,
  port: fc.option(fc.integer({ min: 1, max: 65535 }), { nil: undefined }),
  crossOrigin: fc.boolean(),
  extensions: extensionsArb,
  extra: fc.option(fc.dictionary(fc.stringMatching(/^[a-z]{1,6}$/).filter((k) => !['type', 'challenge', 'origin', 'crossOrigin', 'topOrigin', 'tokenBinding'].includes(k)), fc.jsonValue({ maxDepth: 2 }), { maxKeys: 3 }), { nil: undefined }),
});

type ValidCase = typeof validCase extends fc.Arbitrary<infer T> ? T : never;
type Mutation = typeof mutation extends fc.Arbitrary<infer T> ? T : never;

function build(c: ValidCase) {
  const origin = `https://${c.rpId}${c.port === undefined ? '' : `:${c.port}`}`;
  const options: AssertionOptions = {
    rpId: c.rpId,
    origin,
    storedSignCount: c.counters[0],
    signCount: c.counters[1],
    uv: c.uv,
    be: c.be,
    bs: c.be && c.bsIfBe,
    crossOrigin: c.crossOrigin,
    ...(c.extensions === undefined ? {} : { extensions: new Map(Object.entries(c.extensions)) }),
    ...(c.extra === undefined ? {} : { extraClientData: c.extra }),
  };
  const a = createAssertion(keys.get(c.alg)!, options);
  return { a, expected: { ...a.expected, origin: ['https://other.example', origin], allowCrossOrigin: true } };
}

describe('property: generated valid assertions verify', () => {
  it('for every algorithm, counter pair, flag combination, origin, RP ID and extension set', async () => {
    await fc.assert(
      fc.asyncProperty(validCase, async (c) => {
        const { a, expected } = build(c);
        const result = await verifyAuthenticationResponse(a.response, a.record, expected);
        expect(result.counter).toBe(c.counters[0] === 0 && c.counters[1] === 0 ? 'unsupported' : 'increased');
        expect(result.credential.signCount).toBe(c.counters[1]);
        expect(result.userVerified).toBe(c.uv);
        expect(result.backupEligible).toBe(c.be);
        expect(result.rpId).toBe(c.rpId);
        if (c.extensions !== undefined) expect({ ...result.extensions }).toEqual(c.extensions);
      }),
      { numRuns: 60 },
    );
  });
});

type Field = 'authenticatorData' | 'clientDataJSON' | 'signature';

const mutation = fc.oneof(
  fc.record({ kind: fc.constant('flip' as const), at: fc.nat(), bit: fc.integer({ min: 0, max: 7 }) }),
  fc.record({ kind: fc.constant('truncate' as const), at: fc.nat() }),
  fc.record({ kind: fc.constant('extend' as const), tail: fc.uint8Array({ minLength: 1, maxLength: 8 }) }),
);

function mutate(bytes: Uint8Array, m: Mutation): Uint8Array {
  if (m.kind === 'flip') {
    const out = bytes.slice();
    out[m.at % out.length]! ^= 1 << m.bit;
    return out;
  }
  if (m.kind === 'truncate') return bytes.subarray(0, m.at % bytes.length);
  const out = new Uint8Array(bytes.length + m.tail.length);
  out.set(bytes);
  out.set(m.tail, bytes.length);
  return out;
}

describe('property: any mutation of signed bytes or the signature is rejected', () => {
  it('single-bit flips, truncations and extensions of authenticatorData, clientDataJSON and signature', async () => {
    await fc.assert(
      fc.asyncProperty(
        validCase,
        fc.constantFrom<Field>('authenticatorData', 'clientDataJSON', 'signature'),
        mutation,
        async (c, field, m) => {
          const { a, expected } = build(c);
          const original = new Uint8Array(Buffer.from(a.response.response[field], 'base64url'));
          const changed = mutate(original, m);
          const response: AuthenticationResponseJSON = {
            ...a.response,
            response: { ...a.response.response, [field]: bytesToBase64Url(changed) },
          };
          const outcome = await verifyAuthenticationResponse(response, a.record, expected).then(
            () => 'accepted',
            (error: unknown) => error,
          );
          expect(outcome).toBeInstanceOf(WebAuthnError);
        },
      ),
      { numRuns: 150 },
    );
  });
});

describe('property: arbitrary input never throws anything but WebAuthnError', () => {
  const a = createAssertion(testKey('ES256'));
  it('arbitrary JSON values as the response', async () => {
    await fc.assert(
      fc.asyncProperty(fc.jsonValue({ maxDepth: 4 }), async (value) => {
        const outcome = await verifyAuthenticationResponse(value as unknown as AuthenticationResponseJSON, a.record, a.expected).then(
          () => 'accepted',
          (error: unknown) => error,
        );
        expect(outcome).toBeInstanceOf(WebAuthnError);
      }),
      { numRuns: 200 },
    );
  });
  it('arbitrary base64url bytes in every binary member', async () => {
    await fc.assert(
      fc.asyncProperty(fc.uint8Array({ maxLength: 300 }), fc.uint8Array({ maxLength: 300 }), fc.uint8Array({ maxLength: 80 }), async (cd, ad, sig) => {
        const response: AuthenticationResponseJSON = {
          ...a.response,
          response: { clientDataJSON: bytesToBase64Url(cd), authenticatorData: bytesToBase64Url(ad), signature: bytesToBase64Url(sig) },
        };
        const outcome = await verifyAuthenticationResponse(response, a.record, a.expected).then(
          () => 'accepted',
          (error: unknown) => error,
        );
        expect(outcome).toBeInstanceOf(WebAuthnError);
      }),
      { numRuns: 200 },
    );
  });
  it('arbitrary JSON as expectations and records', async () => {
    await fc.assert(
      fc.asyncProperty(fc.jsonValue({ maxDepth: 3 }), fc.jsonValue({ maxDepth: 3 }), async (record, expected) => {
        const outcome = await verifyAuthenticationResponse(a.response, record as never, expected as never).then(
          () => 'accepted',
          (error: unknown) => error,
        );
        expect(outcome).toBeInstanceOf(WebAuthnError);
      }),
      { numRuns: 200 },
    );
  });
});
