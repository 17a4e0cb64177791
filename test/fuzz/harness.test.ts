/**
 * The fuzz harness itself (scripts/fuzz/): the trees re-encode every seed byte for byte (so an
 * unmutated tree is the seed), each mutator reaches at least one seed, the invariants flag what
 * they must (a fake acceptance of changed signed bytes, an ERR_INTERNAL, a foreign exception, an
 * accepted must-reject input), and concrete mutations reach the exact check they aim at.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { authenticationExpectations, registrationExpectations, type Vector } from '../../src/cli/vector.js';
import type { WebAuthnErrorCode } from '../../src/errors.js';
import { verifyAuthenticationResponse, verifyRegistrationResponse } from '../../src/index.js';
import type { AuthenticationResponseJSON, RegistrationResponseJSON } from '../../src/types.js';
import { usableMutators } from '../../scripts/fuzz/campaign.js';
import { encodeItem, mapGet } from '../../scripts/fuzz/cbor-tree.js';
import { fromB64u, loadSeeds, type Seed } from '../../scripts/fuzz/corpus.js';
import { encodeDer, parseDer } from '../../scripts/fuzz/der-tree.js';
import { changedSignedParts, judge } from '../../scripts/fuzz/invariants.js';
import { type Entropy, MUTATORS, mutatorNamed } from '../../scripts/fuzz/mutators/index.js';
import { withAuthData } from '../../scripts/fuzz/mutators/types.js';
import { expectRejection } from '../helpers/expect-code.js';

let seeds: Seed[];
beforeAll(async () => {
  seeds = await loadSeeds();
});
const seed = (id: string) => seeds.find((s) => s.id === id)!;
const entropy = (e: Partial<Omit<Entropy, 'blob'>> & { blob?: number[] } = {}): Entropy => ({
  op: e.op ?? 0,
  at: e.at ?? 0,
  value: e.value ?? 0,
  blob: Uint8Array.from(e.blob ?? [0]),
});

function verify(vector: Vector): Promise<unknown> {
  if (vector.ceremony === 'registration') {
    return verifyRegistrationResponse(vector.response as unknown as RegistrationResponseJSON, registrationExpectations(vector));
  }
  const c = vector.credential!;
  return verifyAuthenticationResponse(
    vector.response as unknown as AuthenticationResponseJSON,
    { id: c.id, publicKey: c.publicKey, algorithm: vector.alg!, signCount: c.signCount },
    authenticationExpectations(vector),
  );
}

/** Applies a mutator to a seed and returns the mutated vector (fails the test when it does not apply). */
function mutate(seedId: string, mutator: string, e: Entropy): { vector: Vector; mustReject: boolean; variant: string } {
  const s = seed(seedId);
  const out = mutatorNamed(mutator).apply(s, e);
  expect(out, `${mutator} on ${seedId}`).toBeDefined();
  return { vector: { ...s.vector, response: out!.response as Vector['response'] }, mustReject: out!.mustReject, variant: out!.variant };
}

describe('fuzz harness: trees', () => {
  it('the CBOR tree re-encodes every attestation object byte for byte', () => {
    const registrations = seeds.filter((s) => s.attestationObject !== undefined);
    expect(registrations.length).toBeGreaterThan(100);
    for (const s of registrations) {
      const raw = fromB64u((s.vector.response.response as Record<string, unknown>).attestationObject);
      const encoded = encodeItem(s.attestationObject!);
      expect(Buffer.from(encoded).equals(Buffer.from(raw.subarray(0, encoded.length))), s.id).toBe(true);
      expect(encoded.length + (s.attestationTrailing?.length ?? 0), s.id).toBe(raw.length);
    }
  });

  it('the DER tree re-encodes every x5c certificate byte for byte', () => {
    let count = 0;
    for (const s of seeds) {
      const stmt = s.attestationObject === undefined ? undefined : mapGet(s.attestationObject, 'attStmt');
      const x5c = stmt === undefined ? undefined : mapGet(stmt, 'x5c');
      if (x5c?.kind !== 'array') continue;
      for (const cert of x5c.items) {
        if (cert.kind !== 'bytes') continue;
        expect(Buffer.from(encodeDer(parseDer(cert.value))).equals(Buffer.from(cert.value)), s.id).toBe(true);
        count++;
      }
    }
    expect(count).toBeGreaterThan(50);
  });
});

describe('fuzz harness: mutators and invariants', () => {
  it('every mutator applies to at least one seed of a ceremony it is for', () => {
    const usable = new Set([...usableMutators(seeds, 'registration'), ...usableMutators(seeds, 'authentication')].map(([m]) => m.name));
    expect(MUTATORS.filter((m) => !usable.has(m.name)).map((m) => m.name)).toEqual([]);
    expect(MUTATORS.length).toBeGreaterThan(100);
  });

  it('(a) an acceptance of changed signed bytes is flagged; the same change under a none attestation is not', () => {
    const s = seed('syn-packed-self-es256');
    const authData = Uint8Array.from(s.authData!);
    authData[33] = authData[33]! ^ 1; // the counter
    const response = withAuthData(s, authData);
    const accepted = { accepted: true, ms: 1, attestation: { format: 'packed', type: 'self', trusted: false } } as const;
    expect(changedSignedParts(s, response, accepted)).toEqual(['authenticatorData']);
    expect(judge(s, { response, mustReject: false, variant: 'x' }, accepted).map((v) => v.kind)).toEqual(['accepted-signed-change']);
    const none = { ...accepted, attestation: { format: 'none', type: 'none', trusted: false } };
    expect(judge(s, { response, mustReject: false, variant: 'x' }, none)).toEqual([]);
  });

  it('(a) fido-u2f: only rpIdHash, the credential id and the key point count as signed (§8.6)', () => {
    const s = seed('w3c-fido-u2f-es256');
    const u2f = { accepted: true, ms: 1, attestation: { format: 'fido-u2f', type: 'basic', trusted: true } } as const;
    const counter = Uint8Array.from(s.authData!);
    counter[36] = counter[36]! ^ 1;
    expect(changedSignedParts(s, withAuthData(s, counter), u2f)).toEqual([]);
    const rpIdHash = Uint8Array.from(s.authData!);
    rpIdHash[0] = rpIdHash[0]! ^ 1;
    expect(changedSignedParts(s, withAuthData(s, rpIdHash), u2f)).toHaveLength(1);
  });

  it('(b) ERR_INTERNAL and foreign exceptions are flagged; an accepted must-reject input is flagged', () => {
    const s = seed('syn-none-es256');
    const m = { response: s.vector.response, mustReject: true, variant: 'x' };
    expect(judge(s, m, { accepted: false, code: 'ERR_INTERNAL', ms: 1 }).map((v) => v.kind)).toEqual(['err-internal']);
    expect(judge(s, m, { accepted: false, code: 'FOREIGN:TypeError', ms: 1 }).map((v) => v.kind)).toEqual(['foreign-exception']);
    expect(judge(s, m, { accepted: false, code: 'ERR_CBOR_MALFORMED', ms: 1 })).toEqual([]);
    const accepted = { accepted: true, ms: 1, attestation: { format: 'none', type: 'none', trusted: false } } as const;
    expect(judge(s, m, accepted).map((v) => v.kind)).toEqual(['accepted-must-reject']);
  });

  it('trust contract: trusted without anchors is flagged', () => {
    const s = seed('syn-packed-self-es256');
    const m = { response: s.vector.response, mustReject: false, variant: 'x' };
    const claim = { accepted: true, ms: 1, attestation: { format: 'packed', type: 'self', trusted: true } } as const;
    expect(judge(s, m, claim).map((v) => v.kind)).toEqual(['trust-claim']);
  });
});

describe('fuzz harness: concrete mutations reach their check', () => {
  const cases: [string, string, Entropy, WebAuthnErrorCode][] = [
    ['syn-none-es256', 'cbor.duplicate-key', entropy(), 'ERR_CBOR_DUPLICATE_KEY'],
    ['syn-none-es256', 'cbor.non-minimal-head', entropy(), 'ERR_CBOR_NON_CANONICAL'],
    ['syn-none-es256', 'cbor.indefinite-length', entropy(), 'ERR_CBOR_INDEFINITE_LENGTH'],
    ['syn-none-es256', 'cbor.tag', entropy(), 'ERR_CBOR_TAG_FORBIDDEN'],
    ['syn-none-es256', 'cbor.trailing-bytes', entropy(), 'ERR_CBOR_TRAILING_DATA'],
    ['syn-none-es256', 'cbor.length-mismatch', entropy(), 'ERR_CBOR_TRAILING_DATA'],
    ['syn-none-es256', 'cbor.length-mismatch', entropy({ at: 6, value: 1 }), 'ERR_CBOR_TRUNCATED'],
    ['syn-none-es256', 'clientdata.duplicate-member', entropy({ value: 1 }), 'ERR_CLIENTDATA_MALFORMED'],
    ['syn-none-es256', 'clientdata.invalid-utf8', entropy(), 'ERR_CLIENTDATA_MALFORMED'],
    ['syn-none-es256', 'authdata.rp-id-hash', entropy(), 'ERR_RPID_MISMATCH'],
    ['syn-none-es256', 'base64url.extra-padding', entropy({ op: 2 }), 'ERR_RESPONSE_MALFORMED'],
    ['syn-none-es256', 'base64url.standard-alphabet', entropy({ op: 3 }), 'ERR_RESPONSE_MALFORMED'],
    ['syn-packed-self-es256', 'signature.der-leading-zero', entropy(), 'ERR_ATTESTATION_SIGNATURE_INVALID'],
    ['syn-packed-self-es256', 'signature.der-p1363-form', entropy(), 'ERR_ATTESTATION_SIGNATURE_INVALID'],
    ['syn-packed-self-es256', 'signature.der-out-of-range', entropy(), 'ERR_ATTESTATION_SIGNATURE_INVALID'],
    ['syn-packed-x5c-es256', 'certificate.der-non-minimal-length', entropy(), 'ERR_CERT_MALFORMED'],
    ['syn-packed-x5c-es256', 'certificate.resign', entropy({ op: 0 }), 'ERR_CERT_CHAIN_INVALID'],
  ];
  for (const [seedId, mutator, e, code] of cases) {
    it(`${mutator} on ${seedId} → ${code}`, async () => {
      const { vector, mustReject } = mutate(seedId, mutator, e);
      expect(mustReject).toBe(true);
      await expectRejection(verify(vector), code);
    });
  }

  it('signature.der-high-s on an ES256 assertion verifies (high-S accepted by design) and is not must-reject', async () => {
    const { vector, mustReject, variant } = mutate('w3c-auth-packed-self-es256', 'signature.der-high-s', entropy());
    expect([mustReject, variant]).toEqual([false, 'high-s:n - s']);
    await verify(vector);
  });

  it('stack.pair applies two mutators in a row and leaves acceptance to the signed-bytes invariant', async () => {
    const { vector, mustReject, variant } = mutate('w3c-auth-packed-self-es256', 'stack.pair-authentication', entropy({ op: 1, at: 2, value: 3 }));
    expect(mustReject).toBe(false);
    expect(variant).toBe('base64url.extra-padding(extra-padding:rawId) + base64url.standard-alphabet(standard-alphabet:authenticatorData)');
    await expectRejection(verify(vector), 'ERR_RESPONSE_MALFORMED');
  });

  it('signature.der-non-minimal-length on an assertion → ERR_SIGNATURE_INVALID', async () => {
    const { vector, mustReject } = mutate('w3c-auth-packed-self-es256', 'signature.der-non-minimal-length', entropy());
    expect(mustReject).toBe(true);
    await expectRejection(verify(vector), 'ERR_SIGNATURE_INVALID');
  });
});
