/**
 * Generates fixtures/registration/*.json and fixtures/MANIFEST.json: synthetic registrations in
 * the interop vector format (../shared/interop/README.md), valid ones of every implemented format
 * and a negative twin per check, each labelled with the outcome and the exact error code a strict
 * verifier must reach. Deterministic: `npm run fixtures` rewrites byte-identical files, which
 * test/fixtures/fixtures.test.ts checks.
 *
 * The generator never runs the library: outcomes are stated by construction and the fixture test
 * holds the library to them.
 */
import { createHash } from 'node:crypto';
import { mkdirSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import type { RegistrationResponseJSON } from '../src/types.js';
import {
  attestationCa,
  createRegistration,
  DEFAULT_AAGUID,
  decodeCoseMap,
  encodeCbor,
  OMIT,
  type RegistrationOptions,
  type SeededAlgName,
  seededCredentialKey,
  seededRsaKeyPair,
  REG_CHALLENGE,
  type SyntheticRegistration,
  signWithKeyPair,
  u2fCa,
  uuidBytes,
} from '../test/helpers/synthetic-registration.js';
import { PACKED_SUBJECT, TEST_NOW } from '../test/helpers/test-ca.js';

/** The interop vector format, plus the members documented in fixtures/README.md. */
export interface FixtureExpected {
  readonly challenge: string;
  readonly origin: string;
  readonly rpId: string;
  readonly userVerificationRequired: boolean;
  readonly allowCrossOrigin?: boolean;
  readonly topOrigin?: string;
  /** COSE algorithms the relying party offered; absent: every registered algorithm. */
  readonly algorithms?: readonly number[];
  /** `expected.attestation.require`; absent: `trusted` with trust anchors, `valid` without. */
  readonly attestationRequire?: 'none' | 'valid' | 'trusted';
  /** `conditional` for a conditional-mediation create (UP not required). */
  readonly mediation?: 'conditional';
}

export interface Fixture {
  readonly id: string;
  readonly source: { readonly repo: string; readonly path: string; readonly generator: string; readonly command: string };
  readonly description: string;
  readonly ceremony: 'registration';
  readonly attestationFormat: string | null;
  readonly alg: number | null;
  readonly response: RegistrationResponseJSON;
  readonly expected: FixtureExpected;
  readonly credential: null;
  readonly verificationTime: string;
  readonly trustAnchors: readonly string[];
  readonly outcome: 'valid' | 'invalid';
  readonly invalidReason?: string;
  /** The exact WebAuthnError code (src/errors.ts) an invalid fixture must be rejected with. */
  readonly expectedError?: string;
}

export interface ManifestEntry {
  readonly id: string;
  readonly file: string;
  readonly ceremony: 'registration';
  readonly format: string;
  readonly alg: number | null;
  readonly outcome: 'valid' | 'invalid';
  readonly expectedError: string | null;
  readonly tests: string;
  /** How the file was made: the generator case and the command that regenerates it. */
  readonly madeBy: string;
  readonly sha256: string;
}

const IANA_FORMATS = new Set(['packed', 'tpm', 'android-key', 'android-safetynet', 'fido-u2f', 'apple', 'none', 'compound']);

/** Every registered COSE algorithm except RS1: the library's default list, written out. */
const ALGORITHMS_WITHOUT_RS1 = [-7, -9, -35, -51, -36, -52, -47, -8, -19, -53, -257, -258, -259, -37, -38, -39, -48, -49, -50];

interface CaseOutcome {
  readonly registration: SyntheticRegistration;
  /** Replaces the registration's response (e.g. a rawId of another credential). */
  readonly response?: RegistrationResponseJSON;
  readonly expected?: Partial<FixtureExpected>;
  /** PEM anchors; default the registration CA's root. */
  readonly trustAnchors?: readonly string[];
  readonly valid?: true;
  readonly error?: string;
  readonly reason?: string;
}

interface FixtureCase {
  readonly id: string;
  /** What the fixture is. */
  readonly description: string;
  /** The check it pins (MANIFEST `tests`). */
  readonly tests: string;
  build(): Promise<CaseOutcome>;
}

const key = (name: SeededAlgName) => seededCredentialKey(name);
const attestationRsa = () => seededRsaKeyPair('attestation');
const OTHER_AAGUID = uuidBytes('0badc0de-0000-4000-8000-000000000001');

function valid(registration: SyntheticRegistration, extra: Omit<CaseOutcome, 'registration' | 'valid'> = {}): CaseOutcome {
  return { registration, valid: true, ...extra };
}

function invalid(
  registration: SyntheticRegistration,
  error: string,
  reason: string,
  extra: Omit<CaseOutcome, 'registration' | 'error' | 'reason'> = {},
): CaseOutcome {
  return { registration, error, reason, ...extra };
}

const reg = (options: RegistrationOptions) => createRegistration(options);
const packedX5c = (options: RegistrationOptions = {}) => reg({ format: 'packed', ...options });
const packedSelf = (options: RegistrationOptions = {}) => reg({ format: 'packed', self: true, ...options });
const u2f = (options: RegistrationOptions = {}) => reg({ format: 'fido-u2f', ...options });

const CASES: readonly FixtureCase[] = [
  // ------------------------------------------------------------------------------------ none
  {
    id: 'syn-none-es256',
    description: 'none attestation, ES256 credential, UP only, counter 0, a non-zero (unattested) AAGUID.',
    tests: '§8.7 none: empty attStmt, AAGUID reported as found',
    build: async () => valid(await reg({ credentialKey: key('ES256') })),
  },
  {
    id: 'syn-none-eddsa',
    description: 'none attestation, EdDSA (Ed25519) credential.',
    tests: '§7.1 step 20: an OKP credential key',
    build: async () => valid(await reg({ credentialKey: key('EdDSA') })),
  },
  {
    id: 'syn-none-rs256',
    description: 'none attestation, RS256 (RSA-2048) credential.',
    tests: '§7.1 step 20: an RSA credential key',
    build: async () => valid(await reg({ credentialKey: key('RS256') })),
  },
  {
    id: 'syn-none-ml-dsa-44',
    description: 'none attestation, ML-DSA-44 credential (1312-byte public key).',
    tests: '§7.1 step 20: an AKP (ML-DSA) credential key',
    build: async () => valid(await reg({ credentialKey: key('ML-DSA-44') })),
  },
  {
    id: 'syn-none-es256-credential-id-1023',
    description: 'none attestation with a 1023-byte credential id (the largest allowed).',
    tests: '§7.1 step 25: credentialId of 1023 bytes is accepted',
    build: async () => valid(await reg({ credentialId: new Uint8Array(1023).fill(0xa7) })),
  },
  {
    id: 'syn-none-es256-uv-be-bs-extensions',
    description: 'none attestation with UV, BE, BS and ED set, extensions {credProtect: 2}, signCount 7.',
    tests: '§7.1 steps 16–17, 27: flags and extensions carried into the record',
    build: async () =>
      valid(
        await reg({
          uv: true,
          be: true,
          bs: true,
          signCount: 7,
          extensions: new Map<string, unknown>([['credProtect', 2]]),
          transports: ['internal', 'hybrid'],
        }),
        { expected: { userVerificationRequired: true } },
      ),
  },
  {
    id: 'syn-none-es256-cross-origin-top-origin',
    description: 'none attestation created in a cross-origin iframe (crossOrigin true, topOrigin https://shop.example.net).',
    tests: '§7.1 steps 10–11: an expected cross-origin ceremony',
    build: async () =>
      valid(await reg({ crossOrigin: true, topOrigin: 'https://shop.example.net' }), {
        expected: { allowCrossOrigin: true, topOrigin: 'https://shop.example.net' },
      }),
  },
  {
    id: 'syn-none-es256-conditional-up-clear',
    description: 'none attestation with UP clear from a conditional-mediation create.',
    tests: '§7.1 step 15: UP not required when mediation is conditional',
    build: async () => valid(await reg({ up: false }), { expected: { mediation: 'conditional' } }),
  },
  {
    id: 'syn-none-es256-attstmt-not-empty',
    description: 'fmt "none" carrying a packed-style statement {alg, sig}.',
    tests: '§8.7 / checklist K.81: none with a non-empty attStmt',
    build: async () =>
      invalid(
        await reg({ attStmt: { alg: -7, sig: new Uint8Array(70).fill(1) } }),
        'ERR_ATTESTATION_STATEMENT_INVALID',
        'a "none" attestation statement must be the empty map',
      ),
  },
  {
    id: 'syn-none-es256-trust-required',
    description: 'valid none attestation while the relying party requires trusted attestation.',
    tests: '§7.1 step 24 / checklist V35: none refused when trust is required',
    build: async () =>
      invalid(await reg({}), 'ERR_ATTESTATION_TYPE_NOT_ALLOWED', 'none attestation cannot be trusted and trust is required', {
        expected: { attestationRequire: 'trusted' },
      }),
  },
  {
    id: 'syn-none-es256-up-clear',
    description: 'none attestation with the UP flag clear (a modal create).',
    tests: '§7.1 step 15 / checklist D.40',
    build: async () => invalid(await reg({ up: false }), 'ERR_USER_PRESENCE', 'UP flag clear'),
  },
  {
    id: 'syn-none-es256-uv-required-clear',
    description: 'none attestation with UV clear while the relying party requires user verification.',
    tests: '§7.1 step 16 / checklist D.41',
    build: async () =>
      invalid(await reg({ uv: false }), 'ERR_USER_VERIFICATION', 'user verification required but UV clear', {
        expected: { userVerificationRequired: true },
      }),
  },
  {
    id: 'syn-none-es256-bs-without-be',
    description: 'none attestation with BS set and BE clear.',
    tests: '§7.1 step 17 / checklist D.37',
    build: async () => invalid(await reg({ be: false, bs: true }), 'ERR_BACKUP_FLAGS_INVALID', 'BS set while BE is clear'),
  },
  {
    id: 'syn-none-es256-credential-id-1024',
    description: 'none attestation with a 1024-byte credential id (id and rawId consistent with it).',
    tests: '§7.1 step 25 / checklist D.34: credentialId longer than 1023 bytes',
    build: async () =>
      invalid(await reg({ credentialId: new Uint8Array(1024).fill(0xa7) }), 'ERR_CREDENTIAL_ID_TOO_LONG', 'credential id of 1024 bytes'),
  },
  {
    id: 'syn-none-es256-rawid-mismatch',
    description: 'none attestation whose id and rawId name another credential than the attested credential data.',
    tests: '§7.1 step 3 / checklist A.1: rawId ≠ attested credential id',
    build: async () => {
      const registration = await reg({});
      const other = Buffer.from(new Uint8Array(32).fill(0x11)).toString('base64url');
      return invalid(registration, 'ERR_CREDENTIAL_ID_MISMATCH', 'rawId is not the attested credential id', {
        response: { ...registration.response, id: other, rawId: other },
      });
    },
  },
  {
    id: 'syn-none-es256-at-clear',
    description: 'none attestation whose authenticator data has AT clear and no attested credential data.',
    tests: '§7.1 step 13 / checklist D.31: registration without a credential',
    build: async () => invalid(await reg({ at: false }), 'ERR_ATTESTED_CREDENTIAL_MISSING', 'AT flag clear, no attested credential data'),
  },
  {
    id: 'syn-none-es256-off-curve-key',
    description: 'none attestation whose ES256 credential key has y + 1 (not a point of P-256).',
    tests: '§5.8.5 / checklist E.47, V18: the key is validated even for none',
    build: async () => {
      const cose = decodeCoseMap(seededCredentialKey('ES256').cose);
      const y = new Uint8Array(cose.get(-3) as Uint8Array);
      y[31] = (y[31] as number) ^ 0x01;
      cose.set(-3, y);
      return invalid(await reg({ credentialPublicKey: encodeCbor(cose) }), 'ERR_COSE_KEY_INVALID', 'credential public key is not on P-256');
    },
  },
  {
    id: 'syn-none-es256-rpid-mismatch',
    description: 'none attestation scoped to example.com while the relying party expects login.example.com.',
    tests: '§7.1 step 14 / checklist D.39',
    build: async () => {
      const registration = await reg({ rpId: 'example.com' });
      return invalid(registration, 'ERR_RPID_MISMATCH', 'rpIdHash is SHA-256("example.com")', { expected: { rpId: 'login.example.com' } });
    },
  },
  {
    id: 'syn-none-es256-type-get',
    description: 'none attestation whose clientData.type is "webauthn.get".',
    tests: '§7.1 step 7 / checklist B.7',
    build: async () => invalid(await reg({ type: 'webauthn.get' }), 'ERR_CLIENTDATA_TYPE', 'clientData.type is webauthn.get'),
  },
  {
    id: 'syn-none-es256-challenge-mismatch',
    description: 'none attestation signed for another challenge than the one expected.',
    tests: '§7.1 step 8 / checklist B.9',
    build: async () => {
      const registration = await reg({ challenge: Buffer.from(new Uint8Array(32).fill(0x3c)).toString('base64url') });
      return invalid(registration, 'ERR_CHALLENGE_MISMATCH', 'clientData.challenge is not the issued challenge', {
        expected: { challenge: REG_CHALLENGE },
      });
    },
  },
  {
    id: 'syn-none-es256-cross-origin',
    description: 'none attestation with crossOrigin true, which the relying party does not allow.',
    tests: '§7.1 step 10 / checklist B.15',
    build: async () => invalid(await reg({ crossOrigin: true }), 'ERR_CROSS_ORIGIN_NOT_ALLOWED', 'crossOrigin true without opt-in'),
  },
  // ------------------------------------------------------------------------------ packed self
  ...(['ES256', 'ES384', 'ES512', 'ES256K', 'EdDSA', 'Ed448', 'RS256'] as const).map(
    (name): FixtureCase => ({
      id: `syn-packed-self-${name.toLowerCase()}`,
      description: `packed self attestation, ${name} credential.`,
      tests: '§8.2 self attestation: alg = credential alg, sig by the credential key',
      build: async () => valid(await packedSelf({ credentialKey: key(name) })),
    }),
  ),
  {
    id: 'syn-packed-self-rs1-listed',
    description: 'packed self attestation with an RS1 (RSASSA-PKCS1-v1_5 SHA-1) credential, RS1 offered by the relying party.',
    tests: '§7.1 step 20: RS1 accepted when listed explicitly',
    build: async () => valid(await packedSelf({ credentialKey: key('RS1') }), { expected: { algorithms: [-65535, -257, -7] } }),
  },
  {
    id: 'syn-packed-self-rs1-default-algorithms',
    description: 'packed self attestation with an RS1 credential; the relying party offered every algorithm but RS1.',
    tests: '§7.1 step 20 / checklist E.49: RS1 refused unless listed',
    build: async () =>
      invalid(await packedSelf({ credentialKey: key('RS1') }), 'ERR_ALG_NOT_ALLOWED', 'RS1 credential key not offered', {
        expected: { algorithms: ALGORITHMS_WITHOUT_RS1 },
      }),
  },
  {
    id: 'syn-packed-self-es256-bad-signature',
    description: 'packed self attestation whose sig covers authData ‖ clientDataHash with one bit flipped.',
    tests: '§8.2 / checklist G.57, V4: self signature verified (awaited)',
    build: async () => invalid(await packedSelf({ badSignature: true }), 'ERR_ATTESTATION_SIGNATURE_INVALID', 'self attestation signature does not verify'),
  },
  {
    id: 'syn-packed-self-es256-alg-mismatch',
    description: 'packed self attestation with attStmt.alg -257 (RS256) and an ES256 credential key.',
    tests: '§8.2 / checklist G.56: self alg must equal the credential alg',
    build: async () =>
      invalid(await packedSelf({ attStmt: { alg: -257 } }), 'ERR_ATTESTATION_ALG_MISMATCH', 'attStmt.alg differs from the credential key alg'),
  },
  {
    id: 'syn-packed-self-es256-empty-sig',
    description: 'packed self attestation with an empty sig byte string.',
    tests: '§8.2 / checklist G.58',
    build: async () =>
      invalid(await packedSelf({ attStmt: { sig: new Uint8Array(0) } }), 'ERR_ATTESTATION_STATEMENT_INVALID', 'attStmt.sig is empty'),
  },
  {
    id: 'syn-packed-self-es256-alg-missing',
    description: 'packed self attestation without attStmt.alg.',
    tests: '§8.2 / checklist G.58',
    build: async () => invalid(await packedSelf({ attStmt: { alg: OMIT } }), 'ERR_ATTESTATION_STATEMENT_INVALID', 'attStmt.alg is missing'),
  },
  {
    id: 'syn-packed-self-es256-trailing-byte',
    description: 'valid packed self attestation followed by one 0x00 byte after the attestationObject CBOR item.',
    tests: '§7.1 step 13 / checklist C.21, V11',
    build: async () =>
      invalid(await packedSelf({ trailingBytes: new Uint8Array([0x00]) }), 'ERR_CBOR_TRAILING_DATA', 'a byte follows the attestationObject'),
  },
  {
    id: 'syn-packed-self-es256-trust-required',
    description: 'valid packed self attestation while the relying party requires trusted attestation.',
    tests: '§7.1 step 24: self attestation refused when trust is required',
    build: async () =>
      invalid(await packedSelf({}), 'ERR_ATTESTATION_TYPE_NOT_ALLOWED', 'self attestation cannot be trusted and trust is required', {
        expected: { attestationRequire: 'trusted' },
      }),
  },
  {
    id: 'syn-packed-self-es256-fmt-case-variant',
    description: 'valid packed self statement under fmt "Packed".',
    tests: '§7.1 step 21 / checklist C.28: fmt matched case-sensitively',
    build: async () =>
      invalid(await packedSelf({ fmt: 'Packed' }), 'ERR_ATTESTATION_FORMAT_UNSUPPORTED', 'fmt "Packed" is not a registered format'),
  },
  {
    id: 'syn-unknown-fmt',
    description: 'valid packed self statement under fmt "not_real_fmt".',
    tests: '§7.1 step 21 / checklist C.28: unknown fmt',
    build: async () =>
      invalid(await packedSelf({ fmt: 'not_real_fmt' }), 'ERR_ATTESTATION_FORMAT_UNSUPPORTED', 'unsupported attestation statement format "not_real_fmt"'),
  },
  // ------------------------------------------------------------------------------- packed x5c
  {
    id: 'syn-packed-x5c-es256',
    description: 'packed basic attestation: ES256 credential, ES256 batch certificate (leaf + intermediate) under a test root.',
    tests: '§8.2 x5c branch and §7.1 step 24: chain to the anchor',
    build: async () => valid(await packedX5c({})),
  },
  {
    id: 'syn-packed-x5c-rs256-cred-es256-att',
    description: 'packed basic attestation: RS256 credential, ES256 batch certificate (as the W3C packed RS256 vector).',
    tests: '§8.2 / checklist G.60: attStmt alg ≠ credential alg is accepted with x5c',
    build: async () => valid(await packedX5c({ credentialKey: key('RS256') })),
  },
  {
    id: 'syn-packed-x5c-eddsa-cred-es384-att',
    description: 'packed basic attestation: EdDSA credential, ES384 batch certificate (P-384 leaf).',
    tests: '§8.2: statement alg ES384 verified with the leaf key',
    build: async () => valid(await packedX5c({ credentialKey: key('EdDSA'), ca: { leafKey: 'P-384' } })),
  },
  {
    id: 'syn-packed-x5c-es256-cred-rs256-att',
    description: 'packed basic attestation: ES256 credential, RS256 batch certificate (RSA-2048 leaf).',
    tests: '§8.2: statement alg RS256 verified with an RSA leaf',
    build: async () => valid(await packedX5c({ ca: { leafKey: await attestationRsa() } })),
  },
  {
    id: 'syn-packed-x5c-es256-cred-eddsa-att',
    description: 'packed basic attestation: ES256 credential, EdDSA batch certificate (Ed25519 leaf).',
    tests: '§8.2: statement alg EdDSA verified with an Ed25519 leaf',
    build: async () => valid(await packedX5c({ ca: { leafKey: 'Ed25519' } })),
  },
  {
    id: 'syn-packed-x5c-es256-no-aaguid-extension',
    description: 'packed basic attestation whose leaf has no id-fido-gen-ce-aaguid extension.',
    tests: '§8.2.1: the AAGUID extension is optional',
    build: async () => valid(await packedX5c({ ca: { name: 'No AAGUID', leaf: { aaguid: undefined } } })),
  },
  {
    id: 'syn-packed-x5c-es256-no-anchors',
    description: 'valid packed basic attestation verified without trust anchors (require "valid").',
    tests: '§7.1 step 24 / checklist L.89: valid but untrusted is reported, not failed',
    build: async () => valid(await packedX5c({}), { trustAnchors: [] }),
  },
  {
    id: 'syn-packed-x5c-es256-bad-signature',
    description: 'packed basic attestation whose sig covers authData ‖ clientDataHash with one bit flipped.',
    tests: '§8.2 / conformance Resp-5 F-2',
    build: async () => invalid(await packedX5c({ badSignature: true }), 'ERR_ATTESTATION_SIGNATURE_INVALID', 'batch signature does not verify'),
  },
  {
    id: 'syn-packed-x5c-es256-signed-by-credential-key',
    description: 'packed statement with x5c whose sig was made with the credential key instead of the batch key.',
    tests: '§8.2 / checklist G.59 (conformance Resp-5 F-14)',
    build: async () =>
      invalid(await packedX5c({ signer: 'credential' }), 'ERR_ATTESTATION_SIGNATURE_INVALID', 'sig made with the credential key, not the attestation key'),
  },
  {
    id: 'syn-packed-x5c-es256-ecdaakeyid',
    description: 'valid packed basic statement with an extra ecdaaKeyId member.',
    tests: '§8.2 / checklist G.64: ECDAA removed',
    build: async () =>
      invalid(
        await packedX5c({ attStmt: { extra: [['ecdaaKeyId', new Uint8Array(32).fill(0xec)]] } }),
        'ERR_ATTESTATION_STATEMENT_INVALID',
        'x5c and ecdaaKeyId both present',
      ),
  },
  {
    id: 'syn-packed-x5c-es256-x5c-empty',
    description: 'packed statement with x5c an empty array.',
    tests: '§8.2 / conformance Resp-5 F-5',
    build: async () => invalid(await packedX5c({ attStmt: { x5c: [] } }), 'ERR_ATTESTATION_STATEMENT_INVALID', 'x5c is empty'),
  },
  {
    id: 'syn-packed-x5c-es256-leaf-ou-wrong',
    description: 'packed basic attestation whose leaf subject OU is "Authenticator Attestations".',
    tests: '§8.2.1 / checklist G.61: OU',
    build: async () =>
      invalid(
        await packedX5c({ ca: { name: 'Bad OU', leaf: { subject: { ...PACKED_SUBJECT, OU: 'Authenticator Attestations' } } } }),
        'ERR_ATTESTATION_CERT_INVALID',
        'leaf OU is not "Authenticator Attestation"',
      ),
  },
  {
    id: 'syn-packed-x5c-es256-leaf-country-alpha3',
    description: 'packed basic attestation whose leaf subject C is "USA" (alpha-3).',
    tests: '§8.2.1 / checklist G.61: C is an ISO 3166 alpha-2 code',
    build: async () =>
      invalid(
        await packedX5c({ ca: { name: 'Bad C', leaf: { subject: { ...PACKED_SUBJECT, C: 'USA' } } } }),
        'ERR_ATTESTATION_CERT_INVALID',
        'leaf C is not an ISO 3166 alpha-2 code',
      ),
  },
  {
    id: 'syn-packed-x5c-es256-leaf-ca-true',
    description: 'packed basic attestation whose leaf has basicConstraints CA true.',
    tests: '§8.2.1 / checklist G.62',
    build: async () =>
      invalid(
        await packedX5c({ ca: { name: 'CA Leaf', leaf: { basicConstraints: { ca: true }, keyUsage: null } } }),
        'ERR_ATTESTATION_CERT_INVALID',
        'leaf basicConstraints CA is true',
      ),
  },
  {
    id: 'syn-packed-x5c-es256-leaf-v1',
    description: 'packed basic attestation whose leaf is an X.509 v1 certificate.',
    tests: '§8.2.1 / checklist G.61: version 3',
    build: async () =>
      invalid(await packedX5c({ ca: { name: 'V1 Leaf', leaf: { version: 1 } } }), 'ERR_ATTESTATION_CERT_INVALID', 'leaf is not version 3'),
  },
  {
    id: 'syn-packed-x5c-es256-aaguid-mismatch',
    description: 'packed basic attestation whose leaf id-fido-gen-ce-aaguid differs from authData.aaguid.',
    tests: '§8.2 / checklist G.63, V10',
    build: async () =>
      invalid(await packedX5c({ ca: { name: 'Other AAGUID', leaf: { aaguid: OTHER_AAGUID } } }), 'ERR_AAGUID_MISMATCH', 'leaf AAGUID extension ≠ authData AAGUID'),
  },
  {
    id: 'syn-packed-x5c-es256-aaguid-critical',
    description: 'packed basic attestation whose leaf id-fido-gen-ce-aaguid extension is marked critical.',
    tests: '§8.2.1: the AAGUID extension MUST NOT be critical',
    build: async () =>
      invalid(
        await packedX5c({ ca: { name: 'Critical AAGUID', leaf: { aaguid: { value: DEFAULT_AAGUID, critical: true } } } }),
        'ERR_CERT_EXTENSION_INVALID',
        'AAGUID extension marked critical',
      ),
  },
  {
    id: 'syn-packed-x5c-es256-leaf-expired',
    description: 'packed basic attestation whose leaf expired (notAfter 2029-01-01) before verificationTime.',
    tests: '§7.1 step 24 / checklist L.84 (conformance Resp-5 F-6)',
    build: async () =>
      invalid(
        await packedX5c({ ca: { name: 'Expired', leaf: { notAfter: new Date('2029-01-01T00:00:00Z') } } }),
        'ERR_CERT_EXPIRED',
        'leaf expired at verificationTime',
      ),
  },
  {
    id: 'syn-packed-x5c-es256-leaf-not-yet-valid',
    description: 'packed basic attestation whose leaf is valid only from 2031-01-01, after verificationTime.',
    tests: '§7.1 step 24 / checklist L.84 (conformance Resp-5 F-7)',
    build: async () =>
      invalid(
        await packedX5c({ ca: { name: 'Future', leaf: { notBefore: new Date('2031-01-01T00:00:00Z') } } }),
        'ERR_CERT_NOT_YET_VALID',
        'leaf not yet valid at verificationTime',
      ),
  },
  {
    id: 'syn-packed-x5c-es256-wrong-anchor',
    description: 'valid packed basic attestation; the only anchor is a root with the same name and another key.',
    tests: '§7.1 step 24 / checklist L.85: chain does not reach the anchor (trust required)',
    build: async () => {
      const impostor = await attestationCa({ root: { keySeed: 'impostor root' } });
      return invalid(await packedX5c({}), 'ERR_CERT_CHAIN_UNTRUSTED', 'x5c does not chain to the supplied anchor', {
        trustAnchors: [impostor.root.pem],
      });
    },
  },
  {
    id: 'syn-packed-x5c-es256-self-signed-root-in-x5c',
    description: 'packed basic attestation whose x5c ends with its own self-signed root, which is not an anchor.',
    tests: '§7.1 step 24 / checklist L.83, V1 (GHSA-6hxq-p678-4hr2)',
    build: async () => {
      const ca = await attestationCa({ leaf: { aaguid: DEFAULT_AAGUID } });
      const other = await attestationCa({ name: 'Unrelated' });
      return invalid(
        await packedX5c({ ca, attStmt: { x5c: [...ca.x5c, ca.root.der] } }),
        'ERR_CERT_CHAIN_UNTRUSTED',
        'x5c carries its own root, which is not a trust anchor',
        { trustAnchors: [other.root.pem] },
      );
    },
  },
  {
    id: 'syn-packed-x5c-es256-chain-out-of-order',
    description: 'packed basic attestation with two intermediates given in the wrong order in x5c.',
    tests: '§7.1 step 24 / checklist L.85 (conformance Resp-5 F-11)',
    build: async () => {
      const ca = await attestationCa({ name: 'Two Intermediates', intermediates: 2, leaf: { aaguid: DEFAULT_AAGUID } });
      return invalid(
        await packedX5c({ ca, attStmt: { x5c: [ca.leaf.der, ...ca.intermediates.map((c) => c.der)] } }),
        'ERR_CERT_CHAIN_INVALID',
        'x5c intermediates out of order',
      );
    },
  },
  {
    id: 'syn-packed-x5c-es256-alg-key-mismatch',
    description: 'packed statement with alg ES384 and a P-256 batch certificate.',
    tests: '§8.2: the leaf key must fit attStmt.alg',
    build: async () =>
      invalid(await packedX5c({ attestationAlg: -35 }), 'ERR_CERT_KEY_MISMATCH', 'attStmt.alg ES384 but the leaf key is P-256'),
  },
  {
    id: 'syn-packed-x5c-es256-alg-unsupported',
    description: 'packed statement with x5c and alg -42.',
    tests: '§8.2 / checklist G.58, V7: statement alg not a supported algorithm',
    build: async () => invalid(await packedX5c({ attestationAlg: -42 }), 'ERR_ALG_UNSUPPORTED', 'attStmt.alg -42 is not supported'),
  },
  {
    id: 'syn-packed-x5c-es256-rs1-statement',
    description: 'packed statement with x5c, an RSA batch certificate and alg RS1 (SHA-1).',
    tests: '§8.2: a SHA-1 statement signature is refused by default',
    build: async () =>
      invalid(
        await packedX5c({ ca: { leafKey: await attestationRsa() }, attestationAlg: -65535 }),
        'ERR_ALG_NOT_ALLOWED',
        'attStmt.alg RS1 is not allowed',
      ),
  },
  // -------------------------------------------------------------------------------- fido-u2f
  {
    id: 'syn-fido-u2f-es256',
    description: 'fido-u2f attestation: P-256 credential, one P-256 attestation certificate issued by a test root, zero AAGUID.',
    tests: '§8.6: U2F verification data signed by the attestation key',
    build: async () => valid(await u2f({})),
  },
  {
    id: 'syn-fido-u2f-es256-nonzero-aaguid',
    description: 'fido-u2f attestation with a non-zero AAGUID in authData.',
    tests: '§8.6: the AAGUID is not required to be zero (reported as found)',
    build: async () => valid(await u2f({ aaguid: OTHER_AAGUID })),
  },
  {
    id: 'syn-fido-u2f-es256-bad-signature',
    description: 'fido-u2f attestation whose sig covers the U2F verification data with one bit flipped.',
    tests: '§8.6 / checklist K.80 (conformance Resp-8 F-2)',
    build: async () => invalid(await u2f({ badSignature: true }), 'ERR_ATTESTATION_SIGNATURE_INVALID', 'U2F signature does not verify'),
  },
  {
    id: 'syn-fido-u2f-es256-packed-style-signature',
    description: 'fido-u2f statement whose sig covers authData ‖ clientDataHash (the packed data) instead of the U2F data.',
    tests: '§8.6 / checklist K.80: the signed bytes are 0x00‖rpIdHash‖cdh‖credId‖0x04‖x‖y',
    build: async () => {
      const ca = await u2fCa();
      return invalid(
        await u2f({
          ca,
          signer: ({ authenticatorData, clientDataHash }) =>
            signWithKeyPair(ca.leaf.key, -7, new Uint8Array(Buffer.concat([authenticatorData, clientDataHash]))),
        }),
        'ERR_ATTESTATION_SIGNATURE_INVALID',
        'signature over the packed data, not the U2F verification data',
      );
    },
  },
  {
    id: 'syn-fido-u2f-es256-two-certs',
    description: 'fido-u2f statement whose x5c holds the attestation certificate and its root.',
    tests: '§8.6 / checklist K.80: x5c must hold exactly one certificate',
    build: async () => {
      const ca = await u2fCa();
      return invalid(await u2f({ ca, attStmt: { x5c: [ca.leaf.der, ca.root.der] } }), 'ERR_ATTESTATION_STATEMENT_INVALID', 'x5c has two certificates');
    },
  },
  {
    id: 'syn-fido-u2f-es256-rsa-cert',
    description: 'fido-u2f attestation with an RSA-2048 attestation certificate.',
    tests: '§8.6 / checklist K.80: the certificate key must be EC P-256',
    build: async () =>
      invalid(
        await u2f({ ca: await u2fCa({ name: 'Synthetic U2F RSA', leafKey: await attestationRsa() }) }),
        'ERR_CERT_KEY_MISMATCH',
        'attestation certificate key is RSA',
      ),
  },
  {
    id: 'syn-fido-u2f-es384-credential',
    description: 'fido-u2f attestation of a P-384 (ES384) credential key.',
    tests: '§8.6 / checklist K.80: credential coordinates must be 32 bytes (P-256)',
    build: async () =>
      invalid(await u2f({ credentialKey: key('ES384') }), 'ERR_ATTESTATION_STATEMENT_INVALID', 'credential key is not P-256'),
  },
];

function formatOf(fmt: string): string | null {
  return IANA_FORMATS.has(fmt) ? fmt : null;
}

async function buildFixture(fixtureCase: FixtureCase): Promise<{ fixture: Fixture; fmt: string }> {
  const outcome = await fixtureCase.build();
  const { registration } = outcome;
  const base = registration.expected;
  const expected: FixtureExpected = {
    challenge: base.challenge as string,
    origin: base.origin as string,
    rpId: base.rpId as string,
    userVerificationRequired: false,
    ...outcome.expected,
  };
  const trustAnchors = outcome.trustAnchors ?? (registration.ca === undefined ? [] : [registration.ca.root.pem]);
  const fixture: Fixture = {
    id: fixtureCase.id,
    source: { repo: 'webauthn-verify', path: 'scripts/generate-fixtures.ts', generator: fixtureCase.id, command: 'npm run fixtures' },
    description: fixtureCase.description,
    ceremony: 'registration',
    attestationFormat: formatOf(registration.fmt),
    alg: registration.credentialKey.alg,
    response: outcome.response ?? registration.response,
    expected,
    credential: null,
    verificationTime: TEST_NOW.toISOString().replace('.000Z', 'Z'),
    trustAnchors,
    outcome: outcome.valid ? 'valid' : 'invalid',
    ...(outcome.valid ? {} : { invalidReason: outcome.reason as string, expectedError: outcome.error as string }),
  };
  return { fixture, fmt: registration.fmt };
}

function fileText(value: unknown): string {
  return `${JSON.stringify(value, null, 2)}\n`;
}

/** Every generated file, path relative to fixtures/ → content. */
export async function generateFixtures(): Promise<Map<string, string>> {
  const files = new Map<string, string>();
  const manifest: ManifestEntry[] = [];
  for (const fixtureCase of CASES) {
    const { fixture, fmt } = await buildFixture(fixtureCase);
    const file = `registration/${fixture.id}.json`;
    const text = fileText(fixture);
    files.set(file, text);
    manifest.push({
      id: fixture.id,
      file,
      ceremony: 'registration',
      format: fmt,
      alg: fixture.alg,
      outcome: fixture.outcome,
      expectedError: fixture.expectedError ?? null,
      tests: fixtureCase.tests,
      madeBy: `scripts/generate-fixtures.ts case ${fixtureCase.id} (synthetic authenticator, seeded keys, fixed dates); npm run fixtures`,
      sha256: createHash('sha256').update(text).digest('hex'),
    });
  }
  manifest.sort((a, b) => (a.id < b.id ? -1 : 1));
  files.set('MANIFEST.json', fileText(manifest));
  return files;
}

export const FIXTURES_DIR = join(dirname(fileURLToPath(import.meta.url)), '..', 'fixtures');

async function main(): Promise<void> {
  const files = await generateFixtures();
  const registrationDir = join(FIXTURES_DIR, 'registration');
  mkdirSync(registrationDir, { recursive: true });
  // Fixtures of cases that no longer exist are removed: the folder is exactly what the generator makes.
  for (const name of readdirSync(registrationDir)) {
    if (name.endsWith('.json') && !files.has(`registration/${name}`)) rmSync(join(registrationDir, name));
  }
  for (const [path, text] of files) writeFileSync(join(FIXTURES_DIR, path), text);
  console.log(`wrote ${files.size - 1} fixtures and MANIFEST.json to ${FIXTURES_DIR}`);
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) {
  await main();
}
