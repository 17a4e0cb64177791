/**
 * Properties of verifyAuthenticationResponse over generated assertions:
 * - any valid assertion (random algorithm, key, counters, flags, origins, RP IDs, extensions) verifies
 *   and reports exactly the facts it was built with;
 * - any single-bit flip, truncation or extension of authenticatorData, clientDataJSON or the
 *   signature is rejected with the code the kind and place of the mutation imply (see
 *   allowedOutcomes);
 * - arbitrary JSON in place of the response, the expectations or the record is rejected with the
 *   code of the first check it fails; nothing but a WebAuthnError escapes and never ERR_INTERNAL.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { verifyAuthenticationResponse } from '../../src/ceremony/verify-authentication.js';
import { bytesToBase64Url } from '../../src/encoding/base64url.js';
import { FLAG_AT, FLAG_BE, FLAG_BS, FLAG_ED } from '../../src/parse/authenticator-data.js';
import type { AuthenticationResponseJSON } from '../../src/types.js';
import { type AlgName, type TestKey, testKey } from '../helpers/keys.js';
import { type AssertionOptions, createAssertion, TEST_CHALLENGE } from '../helpers/synthetic-authenticator.js';
import { CBOR_CODES, clientDataModel, expectOutcomeIn, type Outcome, outcomeOf } from './outcomes.js';

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

/**
 * The outcomes §7.2 allows for one mutation of one member of a valid assertion built from `c`.
 * Order (src/ceremony/verify-authentication.ts): an empty member fails the shape check (step 3);
 * clientDataJSON and authenticatorData are parsed (steps 9, 18) before the signature (steps 20–21),
 * and every conclusion from their content comes after it. So a mutation is a parse error where it
 * breaks the structure, and ERR_SIGNATURE_INVALID everywhere else — never a policy code.
 */
function allowedOutcomes(c: ValidCase, field: Field, m: Mutation, original: Uint8Array, changed: Uint8Array): readonly Outcome[] {
  if (changed.length === 0) return ['ERR_RESPONSE_MALFORMED'];
  if (field === 'signature') return ['ERR_SIGNATURE_INVALID'];
  if (field === 'clientDataJSON') {
    const originalData = JSON.parse(new TextDecoder().decode(original));
    const expectedData = { type: 'webauthn.get' as const, challenge: TEST_CHALLENGE, origins: [] };
    return [clientDataModel(changed, originalData, expectedData, false) ?? 'ERR_SIGNATURE_INVALID'];
  }
  // authenticatorData: rpIdHash (32) ‖ flags (1) ‖ signCount (4) ‖ [extensions map when ED].
  const hasExtensions = c.extensions !== undefined;
  const bs = c.be && c.bsIfBe;
  // A cut or an appended tail leaves the fixed header short, ED's map missing or cut, or bytes after the data.
  if (m.kind !== 'flip') return ['ERR_AUTHDATA_MALFORMED'];
  const at = m.at % original.length;
  if (at < 32 || (at >= 33 && at < 37)) return ['ERR_SIGNATURE_INVALID']; // rpIdHash, signCount: signed, checked after
  if (at >= 37) {
    // Inside the extensions map: a structural change is a CBOR or authData error (a non-text key,
    // a map head turned into another type, a shorter map leaving bytes behind); a changed value parses.
    return ['ERR_AUTHDATA_MALFORMED', ...CBOR_CODES, 'ERR_SIGNATURE_INVALID'];
  }
  const bit = 1 << m.bit;
  if (bit === FLAG_ED) return ['ERR_AUTHDATA_MALFORMED']; // set: the map is missing; cleared: it is trailing
  if (bit === FLAG_AT) {
    // No attested data follows signCount: without extensions nothing is left (truncated); with
    // them, the extensions map is read as aaguid ‖ length ‖ id ‖ key and fails to parse as such.
    return hasExtensions ? ['ERR_AUTHDATA_MALFORMED', 'ERR_CREDENTIAL_ID_TOO_LONG', ...CBOR_CODES] : ['ERR_AUTHDATA_MALFORMED'];
  }
  if ((bit === FLAG_BS && !c.be) || (bit === FLAG_BE && bs)) return ['ERR_BACKUP_FLAGS_INVALID']; // §6.1, refused by the parser
  return ['ERR_SIGNATURE_INVALID']; // UP, UV, BE/BS consistent, RFU bits: signed, concluded only after the signature
}

describe('property: any mutation of signed bytes or the signature is rejected with the code its kind implies', () => {
  it('F.53: single-bit flips, truncations and extensions of authenticatorData, clientDataJSON and signature', async () => {
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
          const outcome = await outcomeOf(verifyAuthenticationResponse(response, a.record, expected));
          expectOutcomeIn(outcome, allowedOutcomes(c, field, m, original, changed), `${m.kind} of ${field} (${c.alg})`);
        },
      ),
      { numRuns: 300 },
    );
  });
});

describe('property: arbitrary input never throws anything but WebAuthnError, and never ERR_INTERNAL', () => {
  const a = createAssertion(testKey('ES256'));
  it('arbitrary JSON values as the response → ERR_RESPONSE_MALFORMED (no value has id, rawId, type and response)', async () => {
    await fc.assert(
      fc.asyncProperty(fc.jsonValue({ maxDepth: 4 }), async (value) => {
        const outcome = await outcomeOf(verifyAuthenticationResponse(value as unknown as AuthenticationResponseJSON, a.record, a.expected));
        expectOutcomeIn(outcome, ['ERR_RESPONSE_MALFORMED'], 'arbitrary response');
      }),
      { numRuns: 200 },
    );
  });
  it('arbitrary base64url bytes in every binary member → ERR_RESPONSE_MALFORMED (empty) or ERR_CLIENTDATA_MALFORMED', async () => {
    await fc.assert(
      fc.asyncProperty(fc.uint8Array({ maxLength: 300 }), fc.uint8Array({ maxLength: 300 }), fc.uint8Array({ maxLength: 80 }), async (cd, ad, sig) => {
        const response: AuthenticationResponseJSON = {
          ...a.response,
          response: { clientDataJSON: bytesToBase64Url(cd), authenticatorData: bytesToBase64Url(ad), signature: bytesToBase64Url(sig) },
        };
        const outcome = await outcomeOf(verifyAuthenticationResponse(response, a.record, a.expected));
        // Every member is checked for shape before clientDataJSON, the first parsed, which random
        // bytes never make a JSON object with string type, challenge and origin.
        const empty = cd.length === 0 || ad.length === 0 || sig.length === 0;
        expectOutcomeIn(outcome, [empty ? 'ERR_RESPONSE_MALFORMED' : 'ERR_CLIENTDATA_MALFORMED'], 'random members');
      }),
      { numRuns: 200 },
    );
  });
  it('arbitrary JSON as expectations → ERR_OPTIONS_INVALID', async () => {
    await fc.assert(
      fc.asyncProperty(fc.jsonValue({ maxDepth: 3 }), async (expected) => {
        const outcome = await outcomeOf(verifyAuthenticationResponse(a.response, a.record, expected as never));
        expectOutcomeIn(outcome, ['ERR_OPTIONS_INVALID'], 'arbitrary expectations');
      }),
      { numRuns: 200 },
    );
  });
  it('arbitrary JSON as the credential record → ERR_CREDENTIAL_RECORD_INVALID', async () => {
    await fc.assert(
      fc.asyncProperty(fc.jsonValue({ maxDepth: 3 }), async (record) => {
        const outcome = await outcomeOf(verifyAuthenticationResponse(a.response, record as never, a.expected));
        expectOutcomeIn(outcome, ['ERR_CREDENTIAL_RECORD_INVALID'], 'arbitrary record');
      }),
      { numRuns: 200 },
    );
  });
  it('arbitrary JSON as both → one of the two caller-input codes', async () => {
    await fc.assert(
      fc.asyncProperty(fc.jsonValue({ maxDepth: 3 }), fc.jsonValue({ maxDepth: 3 }), async (record, expected) => {
        const outcome = await outcomeOf(verifyAuthenticationResponse(a.response, record as never, expected as never));
        expectOutcomeIn(outcome, ['ERR_OPTIONS_INVALID', 'ERR_CREDENTIAL_RECORD_INVALID'], 'arbitrary record and expectations');
      }),
      { numRuns: 200 },
    );
  });
});
