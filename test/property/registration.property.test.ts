/**
 * Properties of verifyRegistrationResponse over generated registrations:
 * - any valid registration (format none / packed self / packed x5c / fido-u2f, any credential
 *   algorithm the format allows, flags, counter, AAGUID, credential id, RP ID, origin) verifies and
 *   reports exactly the facts it was built with;
 * - for the formats with a signature, any single-bit flip of the signed parts (the authenticator
 *   data bytes the format signs, the attestation signature, clientDataJSON) is rejected, with the
 *   code the flipped part implies in the §7.1 order of checks (authDataFlipOutcomes,
 *   clientDataOutcome);
 * - for none, whose authenticator data and client data are not signed, a flip verifies exactly
 *   where nothing checks the flipped part, and a flip anywhere in the attestationObject fails with
 *   the codes of the part it hits; nothing but a WebAuthnError escapes, and never ERR_INTERNAL.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { verifyRegistrationResponse } from '../../src/ceremony/verify-registration.js';
import type { RegistrationResponseJSON } from '../../src/types.js';
import { type AlgName, testKey } from '../helpers/keys.js';
import {
  type AuthDataLayout,
  b64u,
  createRegistration,
  FLAGS,
  flip,
  type SyntheticRegistration,
  withAttStmt,
  withAuthenticatorData,
  ZERO_AAGUID,
} from '../helpers/synthetic-registration.js';
import { CBOR_CODES, clientDataModel, expectOutcomeIn, type Outcome, outcomeOf, settle } from './outcomes.js';

// RS1 is left out: it needs an explicit opt-in (covered in the §7.1 suite).
// biome-ignore format: a table
const ALGS: AlgName[] = [
  'ES256', 'ESP256', 'ES384', 'ESP384', 'ES512', 'ESP512', 'ES256K', 'EdDSA', 'Ed25519', 'Ed448',
  'RS256', 'RS384', 'RS512', 'PS256', 'PS384', 'PS512', 'ML-DSA-44', 'ML-DSA-65', 'ML-DSA-87',
];
for (const name of ALGS) testKey(name);

type Format = 'none' | 'packed-self' | 'packed-x5c' | 'fido-u2f';

const hostLabel = fc.stringMatching(/^[a-z][a-z0-9-]{0,10}[a-z0-9]$/);
const rpIdArb = fc.tuple(hostLabel, fc.constantFrom('com', 'example', 'org')).map(([a, b]) => `${a}.${b}`);

const caseArb = fc.record({
  format: fc.constantFrom<Format>('none', 'packed-self', 'packed-x5c', 'fido-u2f'),
  alg: fc.constantFrom(...ALGS),
  up: fc.boolean(),
  uv: fc.boolean(),
  be: fc.boolean(),
  bsIfBe: fc.boolean(),
  signCount: fc.integer({ min: 0, max: 0xffffffff }),
  aaguid: fc.uint8Array({ minLength: 16, maxLength: 16 }),
  credentialId: fc.oneof(fc.uint8Array({ minLength: 1, maxLength: 64 }), fc.constant(new Uint8Array(1023).fill(0x42))),
  rpId: rpIdArb,
  port: fc.option(fc.integer({ min: 1, max: 65535 }), { nil: undefined }),
  crossOrigin: fc.boolean(),
  extensions: fc.option(
    fc.dictionary(fc.constantFrom('credProtect', 'hmac-secret', 'minPinLength'), fc.oneof(fc.boolean(), fc.integer({ min: 0, max: 63 })), {
      minKeys: 1,
      maxKeys: 3,
    }),
    { nil: undefined },
  ),
});

type Case = typeof caseArb extends fc.Arbitrary<infer T> ? T : never;

async function build(c: Case): Promise<{ registration: SyntheticRegistration; expected: Parameters<typeof verifyRegistrationResponse>[1] }> {
  const name: AlgName = c.format === 'fido-u2f' ? 'ES256' : c.alg;
  const origin = `https://${c.rpId}${c.port === undefined ? '' : `:${c.port}`}`;
  const registration = await createRegistration({
    format: c.format === 'none' ? 'none' : c.format === 'fido-u2f' ? 'fido-u2f' : 'packed',
    self: c.format === 'packed-self',
    credentialKey: testKey(name),
    rpId: c.rpId,
    origin,
    up: c.up,
    uv: c.uv,
    be: c.be,
    bs: c.be && c.bsIfBe,
    signCount: c.signCount,
    // The packed leaf names the default AAGUID (one CA for all runs); U2F authenticators have none
    // (§8.6: the AAGUID is zero); none and self take any.
    ...(c.format === 'packed-x5c' ? {} : { aaguid: c.format === 'fido-u2f' ? ZERO_AAGUID : c.aaguid }),
    credentialId: c.credentialId,
    crossOrigin: c.crossOrigin,
    ...(c.extensions === undefined ? {} : { extensions: new Map(Object.entries(c.extensions)) }),
  });
  const expected = {
    ...registration.expected,
    origin: ['https://other.example', origin],
    allowCrossOrigin: true,
    userVerification: c.uv ? ('required' as const) : ('preferred' as const),
    mediation: c.up ? ('required' as const) : ('conditional' as const),
  };
  return { registration, expected };
}

describe('property: generated valid registrations verify', () => {
  it('for every format, algorithm, flag combination, counter, AAGUID, credential id, RP ID and origin', async () => {
    await fc.assert(
      fc.asyncProperty(caseArb, async (c) => {
        const { registration, expected } = await build(c);
        const result = await verifyRegistrationResponse(registration.response, expected);
        const credential = result.credential;
        expect(credential.id).toBe(b64u(c.credentialId));
        expect(credential.publicKey).toBe(b64u(registration.credentialKey.cose));
        expect(credential.algorithm).toBe(registration.credentialKey.alg);
        expect(credential.signCount).toBe(c.signCount);
        expect([credential.uvInitialized, credential.backupEligible, credential.backupState]).toEqual([c.uv, c.be, c.be && c.bsIfBe]);
        expect(credential.aaguid?.replace(/-/g, '')).toBe(Buffer.from(registration.aaguid).toString('hex'));
        expect(result.rpId).toBe(c.rpId);
        expect(result.attestation.format).toBe(c.format === 'fido-u2f' ? 'fido-u2f' : c.format === 'none' ? 'none' : 'packed');
        expect(result.attestation.type).toBe({ none: 'none', 'packed-self': 'self', 'packed-x5c': 'basic', 'fido-u2f': 'basic' }[c.format]);
        expect(result.attestation.trusted).toBe(c.format === 'packed-x5c' || c.format === 'fido-u2f');
        if (c.extensions !== undefined) expect({ ...result.extensions }).toEqual(c.extensions);
      }),
      { numRuns: 40 },
    );
  });
});

/** The byte ranges of authData a format's signature covers. */
function signedRanges(format: Format, layout: AuthDataLayout, length: number): (readonly [number, number])[] {
  // fido-u2f signs rpIdHash, the credential id and the key, not the flags, counter or AAGUID.
  if (format === 'fido-u2f') return [layout.rpIdHash, layout.credentialId!, layout.credentialPublicKey!];
  return [[0, length]];
}

function pick(ranges: readonly (readonly [number, number])[], at: number): number {
  const total = ranges.reduce((n, [start, end]) => n + end - start, 0);
  let offset = at % total;
  for (const [start, end] of ranges) {
    if (offset < end - start) return start + offset;
    offset -= end - start;
  }
  throw new Error('unreachable');
}

const inRange = (range: readonly [number, number] | undefined, index: number) =>
  range !== undefined && index >= range[0] && index < range[1];

/** What rejects a change that passes every check before the attestation statement (§7.1 step 19). */
function statementOutcome(format: Format): Outcome {
  return format === 'none' ? 'accepted' : 'ERR_ATTESTATION_SIGNATURE_INVALID';
}

/**
 * The outcomes §7.1 allows for one flipped bit at `index` of the authenticator data of a valid
 * registration. Order (src/ceremony/verify-registration.ts): parse (§6.1: AT/ED against the
 * content, BS without BE, the credential id length), rawId = credentialId (step 3), rpIdHash (14),
 * UP (15), UV (16), the credential key and its alg (20), then the statement (19, 22), which refuses
 * any other change of what it signs.
 */
function authDataFlipOutcomes(c: Case, registration: SyntheticRegistration, index: number, bit: number): readonly Outcome[] {
  const layout = registration.layout;
  const hasExtensions = layout.extensions !== undefined;
  // What signs the flags, counter, AAGUID and extensions: packed signs all of authData, fido-u2f none of them.
  const unsigned: Outcome = c.format === 'fido-u2f' ? 'accepted' : statementOutcome(c.format);
  if (inRange(layout.rpIdHash, index)) return ['ERR_RPID_MISMATCH'];
  if (index === layout.flags) {
    const mask = 1 << bit;
    if (mask === FLAGS.ED) return ['ERR_AUTHDATA_MALFORMED']; // set: no extensions map; cleared: the map is trailing
    if (mask === FLAGS.AT) {
      // Cleared: the attested data is left over (ED clear), or read as the extensions map (ED set).
      return hasExtensions ? ['ERR_AUTHDATA_MALFORMED', ...CBOR_CODES, 'ERR_ATTESTED_CREDENTIAL_MISSING'] : ['ERR_AUTHDATA_MALFORMED'];
    }
    if ((mask === FLAGS.BS && !c.be) || (mask === FLAGS.BE && c.be && c.bsIfBe)) return ['ERR_BACKUP_FLAGS_INVALID'];
    if (mask === FLAGS.UP && c.up) return ['ERR_USER_PRESENCE']; // mediation 'required'
    if (mask === FLAGS.UV && c.uv) return ['ERR_USER_VERIFICATION']; // userVerification 'required'
    return [unsigned]; // UP/UV set when not required, BE/BS consistently, the RFU bits
  }
  if (inRange(layout.signCount, index)) return [unsigned];
  if (inRange(layout.aaguid, index)) {
    if (c.format === 'packed-x5c') return ['ERR_AAGUID_MISMATCH']; // §8.2.1: the leaf names the AAGUID, checked first
    // fido-u2f: §8.6 does not sign the AAGUID; a non-zero one is accepted or refused (issue 14 decides which).
    if (c.format === 'fido-u2f') return ['accepted', 'ERR_AAGUID_MISMATCH', 'ERR_ATTESTATION_STATEMENT_INVALID'];
    return [unsigned];
  }
  if (inRange(layout.credentialId, index)) return ['ERR_CREDENTIAL_ID_MISMATCH'];
  if (inRange(layout.credentialPublicKey, index)) {
    // A structural change is a CBOR or authData error, a changed kty/alg/crv/coordinate an invalid
    // key or an unknown or unoffered alg; a key that stays valid is another key, which the statement
    // refuses (packed self: by its alg first; fido-u2f: only P-256 keys are allowed).
    return [
      'ERR_AUTHDATA_MALFORMED',
      ...CBOR_CODES,
      'ERR_COSE_KEY_INVALID',
      'ERR_ALG_UNSUPPORTED',
      'ERR_ALG_NOT_ALLOWED',
      ...(c.format === 'packed-self' ? (['ERR_ATTESTATION_ALG_MISMATCH'] as const) : []),
      ...(c.format === 'fido-u2f' ? (['ERR_ATTESTATION_STATEMENT_INVALID'] as const) : []),
      statementOutcome(c.format),
    ];
  }
  if (inRange(layout.extensions, index)) return ['ERR_AUTHDATA_MALFORMED', ...CBOR_CODES, unsigned];
  // credentialIdLength: the id and key boundaries move; parsing fails, or a shorter id is another id.
  return ['ERR_AUTHDATA_MALFORMED', 'ERR_CREDENTIAL_ID_TOO_LONG', ...CBOR_CODES, 'ERR_CREDENTIAL_ID_MISMATCH'];
}

/** The outcome for a changed clientDataJSON: its own checks first (§7.1 steps 5–11), then the statement. */
function clientDataOutcome(c: Case, registration: SyntheticRegistration, expected: Expectations, changed: Uint8Array): Outcome {
  const original = JSON.parse(new TextDecoder().decode(registration.clientDataJSON));
  const model = { type: 'webauthn.create' as const, challenge: expected.challenge as string, origins: expected.origin as string[] };
  return clientDataModel(changed, original, model, true) ?? statementOutcome(c.format);
}

type Target = 'authenticatorData' | 'sig' | 'clientDataJSON';
type Expectations = Parameters<typeof verifyRegistrationResponse>[1];

/** The response with one bit of `target` flipped (`apply` false: rebuilt the same way, unflipped). */
function flipped(
  registration: SyntheticRegistration,
  format: Format,
  target: Target,
  at: number,
  bit: number,
  apply = true,
): { response: RegistrationResponseJSON; index: number; bytes: Uint8Array } {
  const change = (bytes: Uint8Array, index: number) => (apply ? flip(bytes, index, bit) : bytes.slice());
  if (target === 'authenticatorData') {
    const original = registration.authenticatorData;
    const index = format === 'none' ? at % original.length : pick(signedRanges(format, registration.layout, original.length), at);
    const bytes = change(original, index);
    return { response: withAuthenticatorData(registration, bytes), index, bytes };
  }
  if (target === 'sig') {
    const sig = registration.attStmt.get('sig') as Uint8Array;
    const bytes = change(sig, at % sig.length);
    return { response: withAttStmt(registration, new Map([...registration.attStmt, ['sig', bytes]])), index: at % sig.length, bytes };
  }
  const index = at % registration.clientDataJSON.length;
  const bytes = change(registration.clientDataJSON, index);
  return { response: { ...registration.response, response: { ...registration.response.response, clientDataJSON: b64u(bytes) } }, index, bytes };
}

const signedCase = caseArb.filter((c) => c.format !== 'none');
const flipArb = fc.record({
  target: fc.constantFrom<Target>('authenticatorData', 'sig', 'clientDataJSON'),
  at: fc.nat(),
  bit: fc.integer({ min: 0, max: 7 }),
});

describe('property: a flipped bit in what the statement signs is rejected with the code its place implies', () => {
  it('F.53: packed self, packed x5c and fido-u2f: authData (signed parts), sig and clientDataJSON', async () => {
    await fc.assert(
      fc.asyncProperty(signedCase, flipArb, async (c, { target, at, bit }) => {
        const { registration, expected } = await build(c);
        // The same rebuild without the flip verifies: the rejection is the flip's doing.
        await verifyRegistrationResponse(flipped(registration, c.format, target, at, bit, false).response, expected);
        const { response, index, bytes } = flipped(registration, c.format, target, at, bit);
        const outcome = await outcomeOf(verifyRegistrationResponse(response, expected));
        const allowed =
          target === 'sig'
            ? ['ERR_ATTESTATION_SIGNATURE_INVALID' as const]
            : target === 'clientDataJSON'
              ? [clientDataOutcome(c, registration, expected, bytes)]
              : authDataFlipOutcomes(c, registration, index, bit);
        expect(allowed).not.toContain('accepted');
        expectOutcomeIn(outcome, allowed, `bit ${bit} of ${target}[${index}] (${c.format}, ${c.alg})`);
      }),
      { numRuns: 150 },
    );
  });
});

/** [start, end) of the first occurrence of `needle` in `haystack`. */
function locate(haystack: Uint8Array, needle: Uint8Array): readonly [number, number] | undefined {
  const at = Buffer.from(haystack.buffer, haystack.byteOffset, haystack.length).indexOf(Buffer.from(needle.buffer, needle.byteOffset, needle.length));
  return at < 0 ? undefined : [at, at + needle.length];
}

/**
 * The codes a flip inside one x5c certificate can raise: a broken DER structure or extension, an
 * issuer signature that no longer verifies, a changed validity, subject, key or AAGUID extension
 * (§8.2.1, §8.6), or a leaf key that no longer verifies the statement. A leaf EC point moved off
 * its curve is refused when src/crypto imports it, as every key is: ERR_COSE_KEY_INVALID
 * (certificatePublicKey leaves the curve equation to the import, src/x509/public-key.ts).
 */
const CERTIFICATE_CODES: readonly Outcome[] = [
  'ERR_CERT_MALFORMED',
  'ERR_CERT_CHAIN_INVALID',
  'ERR_CERT_EXTENSION_INVALID',
  'ERR_CERT_SIGNATURE_ALG_UNSUPPORTED',
  'ERR_CERT_KEY_MISMATCH',
  'ERR_CERT_EXPIRED',
  'ERR_CERT_NOT_YET_VALID',
  'ERR_ATTESTATION_CERT_INVALID',
  'ERR_AAGUID_MISMATCH',
  'ERR_ATTESTATION_SIGNATURE_INVALID',
  'ERR_COSE_KEY_INVALID',
];

/**
 * The codes a flip in the CBOR structure of the attestationObject outside the byte strings can
 * raise: a broken item (CBOR codes), a top level that is no longer {fmt, attStmt, authData}
 * (§7.1 step 13), a renamed or retyped statement member (§8: missing, wrong type or unknown), a
 * renamed x5c turning packed into self attestation (alg and signature then checked against the
 * credential key), a changed alg (unknown, or not the leaf key's), a resized byte string that
 * moves the authData boundary, or a renamed fmt.
 */
const STRUCTURE_CODES: readonly Outcome[] = [
  ...CBOR_CODES,
  'ERR_ATTESTATION_OBJECT_MALFORMED',
  'ERR_ATTESTATION_FORMAT_UNSUPPORTED',
  'ERR_ATTESTATION_STATEMENT_INVALID',
  'ERR_ATTESTATION_ALG_MISMATCH',
  'ERR_ATTESTATION_SIGNATURE_INVALID',
  'ERR_ALG_UNSUPPORTED',
  'ERR_ALG_NOT_ALLOWED',
  'ERR_CERT_KEY_MISMATCH',
  'ERR_AUTHDATA_MALFORMED',
];

/** The outcomes for a flip at `index` of the attestationObject, by the part it falls into. */
function attestationObjectFlipOutcomes(c: Case, registration: SyntheticRegistration, index: number, bit: number): readonly Outcome[] {
  const object = registration.attestationObject;
  const authData = registration.authenticatorData;
  // The map is written fmt, attStmt, authData: authData's bytes are the last of the object.
  const authDataStart = object.length - authData.length;
  if (index >= authDataStart) return authDataFlipOutcomes(c, registration, index - authDataStart, bit);
  const sig = registration.attStmt.get('sig');
  if (sig instanceof Uint8Array && inRange(locate(object, sig), index)) return ['ERR_ATTESTATION_SIGNATURE_INVALID'];
  const x5c = registration.attStmt.get('x5c');
  // A changed certificate is refused, or (require 'valid') reported untrusted: see the property.
  if (Array.isArray(x5c) && x5c.some((der: Uint8Array) => inRange(locate(object, der), index))) return [...CERTIFICATE_CODES, 'accepted'];
  return STRUCTURE_CODES;
}

describe('property: nothing but a WebAuthnError escapes, and only the code the place implies', () => {
  it('none: flips in authData or clientDataJSON verify where nothing checks them, else fail with their code', async () => {
    const noneCase = caseArb.map((c) => ({ ...c, format: 'none' as const }));
    await fc.assert(
      fc.asyncProperty(noneCase, flipArb, async (c, { target, at, bit }) => {
        const { registration, expected } = await build(c);
        const where = target === 'sig' ? 'authenticatorData' : target;
        const { response, index, bytes } = flipped(registration, c.format, where, at, bit);
        const outcome = await outcomeOf(verifyRegistrationResponse(response, expected));
        const allowed =
          where === 'clientDataJSON' ? [clientDataOutcome(c, registration, expected, bytes)] : authDataFlipOutcomes(c, registration, index, bit);
        expectOutcomeIn(outcome, allowed, `bit ${bit} of ${where}[${index}] (none, ${c.alg})`);
      }),
      { numRuns: 100 },
    );
  });

  it('every format: a flip anywhere in the attestationObject bytes', async () => {
    await fc.assert(
      fc.asyncProperty(caseArb, fc.nat(), fc.integer({ min: 0, max: 7 }), async (c, at, bit) => {
        const { registration, expected } = await build(c);
        const index = at % registration.attestationObject.length;
        const bytes = flip(registration.attestationObject, index, bit);
        const response = {
          ...registration.response,
          response: { clientDataJSON: registration.response.response.clientDataJSON, attestationObject: b64u(bytes) },
        };
        const { outcome, value } = await settle(verifyRegistrationResponse(response, expected));
        const why = `bit ${bit} of attestationObject[${index}] (${c.format}, ${c.alg})`;
        expectOutcomeIn(outcome, attestationObjectFlipOutcomes(c, registration, index, bit), why);
        // Whatever is accepted after a flip in x5c is never trusted: the chain no longer reaches the anchor.
        const x5c = registration.attStmt.get('x5c') as Uint8Array[] | undefined;
        const inCertificate = x5c?.some((der) => inRange(locate(registration.attestationObject, der), index)) === true;
        if (outcome === 'accepted' && inCertificate) expect(value?.attestation.trusted, why).toBe(false);
      }),
      { numRuns: 150 },
    );
  });
});
