/**
 * The differential classes of docs/quirks.md ("Differential run against @simplewebauthn/server"),
 * pinned on concrete inputs: for each, our exact verdict and SimpleWebAuthn's, as
 * scripts/fuzz/differential.ts runs them (same expectations, pinned clock, the vector's anchors).
 * The full run is `npm run fuzz -- --differential`. If SimpleWebAuthn changes behaviour, the row
 * fails and the docs need a look; if we change, the row fails and the class must be re-argued.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { runTheirs } from '../../scripts/fuzz/differential.js';
import { loadSeeds, type Seed } from '../../scripts/fuzz/corpus.js';
import { type Entropy, mutatorNamed } from '../../scripts/fuzz/mutators/index.js';
import { runOurs } from '../../scripts/fuzz/verdict.js';
import type { Vector } from '../../src/cli/vector.js';

let seeds: Seed[];
beforeAll(async () => {
  seeds = await loadSeeds();
});

const e = (op = 0, at = 0, value = 0): Entropy => ({ op, at, value, blob: Uint8Array.of(0) });

function input(seedId: string, mutator?: string, entropy: Entropy = e()): Vector {
  const seed = seeds.find((s) => s.id === seedId);
  if (seed === undefined) throw new Error(`no seed ${seedId}`);
  if (mutator === undefined) return seed.vector;
  const out = mutatorNamed(mutator).apply(seed, entropy);
  if (out === undefined) throw new Error(`${mutator} does not apply to ${seedId}`);
  return { ...seed.vector, response: out.response as Vector['response'] };
}

interface Row {
  readonly name: string;
  readonly seed: string;
  readonly mutator?: string;
  readonly entropy?: Entropy;
  /** Our verdict: 'ACCEPTED' or the exact code. */
  readonly ours: string;
  /** Theirs: 'ACCEPTED' or a pattern of their error message. */
  readonly theirs: 'ACCEPTED' | RegExp;
}

// We accept, SimpleWebAuthn rejects: each a documented reason (docs/quirks.md).
const WE_ACCEPT: Row[] = [
  { name: 'Ed448 self attestation (not supported by it)', seed: 'syn-packed-self-ed448', ours: 'ACCEPTED', theirs: /invalid alg/ },
  { name: 'secp256k1 / ES256K (not supported by it)', seed: 'syn-packed-self-es256k', ours: 'ACCEPTED', theirs: /Unexpected COSE crv/ },
  { name: 'Ed25519 attestation certificate in packed x5c', seed: 'syn-packed-x5c-es256-cred-eddsa-att', ours: 'ACCEPTED', theirs: /unexpected algorithm ID 1\.3\.101\.112/ },
  { name: 'fido-u2f with a non-zero AAGUID', seed: 'w3c-fido-u2f-es256', ours: 'ACCEPTED', theirs: /AAGUID/ },
  { name: 'tokenBinding as a string ([RESERVED] in L3)', seed: 'pyw-fido-u2f-tokenbinding-string', ours: 'ACCEPTED', theirs: /TokenBinding/ },
  { name: 'TPM manufacturer id:00000000 (W3C test vector)', seed: 'w3c-tpm-es256', ours: 'ACCEPTED', theirs: /TPM manufacturer/ },
  { name: 'android-key chain whose leaf AKI names another key', seed: 'gow-android-key-conformance-1', ours: 'ACCEPTED', theirs: /could not be chained/ },
  { name: 'android-key x5c without its root (anchored by the caller)', seed: 'pyw-android-key-pixel-8a', mutator: 'certificate.drop', entropy: e(4), ours: 'ACCEPTED', theirs: /not a known root/ },
];

// SimpleWebAuthn accepts, we reject: our strictness (docs/security.md).
const THEY_ACCEPT: Row[] = [
  { name: 'rawId differs from the attested credential id', seed: 'syn-none-es256-rawid-mismatch', ours: 'ERR_CREDENTIAL_ID_MISMATCH', theirs: 'ACCEPTED' },
  { name: 'trailing byte after the attestation object', seed: 'gow-packed-self-es256-macos-trailing-byte', ours: 'ERR_CBOR_TRAILING_DATA', theirs: 'ACCEPTED' },
  { name: 'x5c out of order', seed: 'syn-packed-x5c-es256-chain-out-of-order', ours: 'ERR_CERT_CHAIN_INVALID', theirs: 'ACCEPTED' },
  { name: 'credential id of 1024 bytes', seed: 'syn-none-es256-credential-id-1024', ours: 'ERR_CREDENTIAL_ID_TOO_LONG', theirs: 'ACCEPTED' },
  { name: 'off-curve EC credential key', seed: 'syn-none-es256-off-curve-key', ours: 'ERR_COSE_KEY_INVALID', theirs: 'ACCEPTED' },
  { name: 'crossOrigin: true without the opt-in', seed: 'syn-none-es256-cross-origin', ours: 'ERR_CROSS_ORIGIN_NOT_ALLOWED', theirs: 'ACCEPTED' },
  // Its CBOR decoder refuses a widened head on small values (`Length not supported`) but not on authData's length.
  { name: 'non-shortest CBOR head on authData', seed: 'syn-none-es256', mutator: 'cbor.non-minimal-head', entropy: e(0, 6), ours: 'ERR_CBOR_NON_CANONICAL', theirs: 'ACCEPTED' },
  { name: 'non-shortest CBOR head on the root map', seed: 'syn-none-es256', mutator: 'cbor.non-minimal-head', ours: 'ERR_CBOR_NON_CANONICAL', theirs: /Length not supported/ },
  { name: 'duplicate clientDataJSON member', seed: 'syn-none-es256', mutator: 'clientdata.duplicate-member', entropy: e(0, 0, 1), ours: 'ERR_CLIENTDATA_MALFORMED', theirs: 'ACCEPTED' },
  { name: 'padded base64url attestationObject', seed: 'syn-none-es256', mutator: 'base64url.padding', entropy: e(3), ours: 'ERR_RESPONSE_MALFORMED', theirs: 'ACCEPTED' },
  { name: 'BER (non-minimal length) assertion signature', seed: 'w3c-auth-packed-self-es256', mutator: 'signature.der-non-minimal-length', ours: 'ERR_SIGNATURE_INVALID', theirs: 'ACCEPTED' },
  { name: 'attestation signature with trailing bytes', seed: 'syn-packed-x5c-es256', mutator: 'signature.trailing', ours: 'ERR_ATTESTATION_SIGNATURE_INVALID', theirs: 'ACCEPTED' },
];

// Both agree on the seed itself (the harness runs SimpleWebAuthn as intended).
const AGREE: Row[] = [
  { name: 'a packed x5c registration', seed: 'syn-packed-x5c-es256', ours: 'ACCEPTED', theirs: 'ACCEPTED' },
  { name: 'an ES256 assertion', seed: 'w3c-auth-packed-self-es256', ours: 'ACCEPTED', theirs: 'ACCEPTED' },
  { name: 'a tampered SafetyNet JWS', seed: 'gow-android-safetynet-webauthn-io-tampered', ours: 'ERR_ATTESTATION_SIGNATURE_INVALID', theirs: /./ },
];

describe('differential vs @simplewebauthn/server: the documented classes', () => {
  for (const [group, rows] of [
    ['we accept, it rejects', WE_ACCEPT],
    ['it accepts, we reject', THEY_ACCEPT],
    ['both agree', AGREE],
  ] as const) {
    for (const row of rows) {
      it(`${group}: ${row.name}`, async () => {
        const vector = input(row.seed, row.mutator, row.entropy);
        const ours = await runOurs(vector);
        expect(ours.accepted ? 'ACCEPTED' : ours.code).toBe(row.ours);
        const theirs = await runTheirs(vector);
        if (row.theirs === 'ACCEPTED') expect(theirs).toEqual({ accepted: true });
        else {
          expect(theirs.accepted).toBe(false);
          expect(theirs.message).toMatch(row.theirs);
        }
      });
    }
  }
});
