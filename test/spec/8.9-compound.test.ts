/**
 * WebAuthn L3 §8.9 compound attestation: attStmt is an array of ≥ 2 non-compound `{fmt, attStmt}`
 * statements over the same authData and clientDataHash. The registrations are built by combining
 * synthetic packed, fido-u2f and none statements of identical authenticator data (same key, AAGUID,
 * flags and clientData), so each sub-statement verifies on its own.
 *
 * Policy (AttestationExpectations.compound): `all` (default) rethrows the first failing
 * sub-statement's code; `any` needs one passing sub-statement and reports the others in
 * `details.failures`, else ERR_COMPOUND_UNSATISFIED. Structure always rejects.
 */
import { describe, expect, it } from 'vitest';
import { type RegistrationExpectations, verifyRegistrationResponse } from '../../src/ceremony/verify-registration.js';
import { parseAttestationObject } from '../../src/parse/attestation-object.js';
import type { RegistrationResponseJSON } from '../../src/types.js';
import type { TrustAnchorInput } from '../../src/x509/index.js';
import { expectRejection } from '../helpers/expect-code.js';
import {
  b64u,
  createRegistration,
  DEFAULT_AAGUID,
  encodeAttestationObject,
  type RegistrationOptions,
  type SyntheticRegistration,
  withResponseFields,
} from '../helpers/synthetic-registration.js';

/** Every sub-registration shares the AAGUID, so their authenticator data are byte-identical. */
const make = (options: RegistrationOptions) => createRegistration({ aaguid: DEFAULT_AAGUID, ...options });
const packed = () => make({ format: 'packed' });
const u2f = () => make({ format: 'fido-u2f' });

const entry = (registration: SyntheticRegistration): Map<unknown, unknown> =>
  new Map<unknown, unknown>([
    ['fmt', registration.fmt],
    ['attStmt', registration.attStmt],
  ]);

function anchors(...registrations: readonly SyntheticRegistration[]): TrustAnchorInput[] {
  return registrations.flatMap((r) => [...(r.expected.attestation?.trustAnchors ?? [])]);
}

/** The base registration's response with a compound attestationObject of `entries`. */
function compound(base: SyntheticRegistration, entries: unknown, fmt: unknown = 'compound'): RegistrationResponseJSON {
  return withResponseFields(base, { attestationObject: b64u(encodeAttestationObject(fmt, entries, base.authenticatorData)) });
}

function withPolicy(base: SyntheticRegistration, attestation: RegistrationExpectations['attestation']): RegistrationExpectations {
  return { ...base.expected, attestation };
}

describe('§8.9 compound: valid statements', () => {
  it('packed (x5c) + fido-u2f verify; type, path and trust come from the strongest sub-statement', async () => {
    const [p, u] = await Promise.all([packed(), u2f()]);
    expect(u.authenticatorData).toEqual(p.authenticatorData);
    const result = await verifyRegistrationResponse(compound(p, [entry(p), entry(u)]), withPolicy(p, { trustAnchors: anchors(p, u) }));
    expect(result.attestation.format).toBe('compound');
    expect(result.attestation.type).toBe('basic');
    expect(result.attestation.trusted).toBe(true);
    expect(result.attestation.statements?.map((s) => [s.format, s.type, s.trusted])).toEqual([
      ['packed', 'basic', true],
      ['fido-u2f', 'basic', true],
    ]);
    expect(result.attestation.trustPath).toEqual(result.attestation.statements?.[0]?.trustPath);
    expect(result.attestation.details).toBeUndefined();
    expect(result.credential.attestationFormat).toBe('compound');
  });

  it('a depth-5 object (packed x5c inside compound) decodes; the same depth with another fmt does not', async () => {
    const p = await packed();
    const bytes = encodeAttestationObject('compound', [entry(p), entry(p)], p.authenticatorData);
    expect(Array.isArray(parseAttestationObject(bytes).attStmt)).toBe(true);
    // fmt packed, attStmt with a member nested to depth 5.
    const deep = new Map(p.attStmt).set('deep', [[[1]]]);
    await expectRejection(
      verifyRegistrationResponse(withResponseFields(p, { attestationObject: b64u(encodeAttestationObject('packed', deep, p.authenticatorData)) }), p.expected),
      'ERR_CBOR_TOO_DEEP',
    );
    // fmt compound whose x5c nests one level deeper (depth 6).
    const deeper = new Map<unknown, unknown>([
      ['fmt', 'packed'],
      ['attStmt', new Map(p.attStmt).set('deep', [[1]])],
    ]);
    await expectRejection(verifyRegistrationResponse(compound(p, [entry(p), deeper]), p.expected), 'ERR_CBOR_TOO_DEEP');
  });

  it('an array attStmt with another fmt is malformed; compound with a map attStmt is invalid', async () => {
    const [p, n] = await Promise.all([packed(), make({ format: 'none' })]);
    // none entries keep the depth at 4, so the array itself is what is refused.
    await expectRejection(verifyRegistrationResponse(compound(n, [entry(n), entry(n)], 'none'), n.expected), 'ERR_ATTESTATION_OBJECT_MALFORMED', '7.1.13');
    // With packed x5c entries the array form is depth 5: too deep for any fmt but compound.
    await expectRejection(verifyRegistrationResponse(compound(p, [entry(p), entry(p)], 'packed'), p.expected), 'ERR_CBOR_TOO_DEEP');
    await expectRejection(verifyRegistrationResponse(compound(p, p.attStmt), p.expected), 'ERR_ATTESTATION_STATEMENT_INVALID', '8.9');
  });

  it('packed self + none: type self, not trusted; require "none" reports the format unverified', async () => {
    const [s, n] = await Promise.all([make({ format: 'packed', self: true }), make({ format: 'none' })]);
    const result = await verifyRegistrationResponse(compound(s, [entry(n), entry(s)]), s.expected);
    expect([result.attestation.type, result.attestation.trusted]).toEqual(['self', false]);
    expect(result.attestation.statements?.map((x) => x.type)).toEqual(['none', 'self']);
    const none = await verifyRegistrationResponse(compound(s, [entry(n), entry(s)]), withPolicy(s, { require: 'none' }));
    expect(none.attestation).toMatchObject({ format: 'compound', verified: false, type: 'none', trusted: false });
  });
});

describe('§8.9 compound: structure (checklist K.82; rejected under every policy)', () => {
  const cases: readonly [string, (p: SyntheticRegistration) => unknown, string][] = [
    ['no entries', () => [], 'ERR_ATTESTATION_STATEMENT_INVALID'],
    ['one entry', (p) => [entry(p)], 'ERR_ATTESTATION_STATEMENT_INVALID'],
    ['an entry that is not a map', (p) => [entry(p), 'packed'], 'ERR_ATTESTATION_STATEMENT_INVALID'],
    ['an entry without fmt', (p) => [entry(p), new Map([['attStmt', p.attStmt]])], 'ERR_ATTESTATION_STATEMENT_INVALID'],
    ['an entry without attStmt', (p) => [entry(p), new Map([['fmt', 'packed']])], 'ERR_ATTESTATION_STATEMENT_INVALID'],
    ['an entry with an array attStmt', (p) => [entry(p), new Map<unknown, unknown>([['fmt', 'packed'], ['attStmt', []]])], 'ERR_ATTESTATION_STATEMENT_INVALID'],
    ['an entry with an extra member', (p) => [entry(p), new Map(entry(p)).set('x', 1)], 'ERR_ATTESTATION_STATEMENT_INVALID'],
    ['a nested compound (map attStmt)', (p) => [entry(p), new Map<unknown, unknown>([['fmt', 'compound'], ['attStmt', new Map()]])], 'ERR_COMPOUND_NESTED'],
    ['a nested compound (array attStmt)', (p) => [entry(p), new Map<unknown, unknown>([['fmt', 'compound'], ['attStmt', [new Map(), new Map()]]])], 'ERR_COMPOUND_NESTED'],
    ['an unsupported sub-format', (p) => [entry(p), new Map<unknown, unknown>([['fmt', 'Packed'], ['attStmt', p.attStmt]])], 'ERR_ATTESTATION_FORMAT_UNSUPPORTED'],
  ];
  for (const [name, entries, code] of cases) {
    for (const mode of ['all', 'any'] as const) {
      it(`${name} (${mode}): ${code}`, async () => {
        const p = await packed();
        await expectRejection(verifyRegistrationResponse(compound(p, entries(p)), withPolicy(p, { ...p.expected.attestation, compound: mode })), code as never, '8.9');
      });
    }
  }

  it('more than 8 entries: ERR_ATTESTATION_STATEMENT_INVALID', async () => {
    const n = await make({ format: 'none' });
    await expectRejection(verifyRegistrationResponse(compound(n, Array.from({ length: 9 }, () => entry(n))), n.expected), 'ERR_ATTESTATION_STATEMENT_INVALID', '8.9');
  });

  it('a sub-format outside expected.attestation.formats: ERR_ATTESTATION_FORMAT_NOT_ALLOWED', async () => {
    const [p, u] = await Promise.all([packed(), u2f()]);
    const expected = withPolicy(p, { trustAnchors: anchors(p, u), formats: ['compound', 'packed'], compound: 'any' });
    await expectRejection(verifyRegistrationResponse(compound(p, [entry(p), entry(u)]), expected), 'ERR_ATTESTATION_FORMAT_NOT_ALLOWED', '8.9');
  });

  it('an unknown compound policy: ERR_OPTIONS_INVALID', async () => {
    const p = await packed();
    await expectRejection(
      verifyRegistrationResponse(compound(p, [entry(p), entry(p)]), withPolicy(p, { compound: 'most' as never })),
      'ERR_OPTIONS_INVALID',
    );
  });
});

describe('§8.9 compound: policy all / any', () => {
  it('all (default): one bad signature rejects with that sub-statement code', async () => {
    const [bad, u] = await Promise.all([make({ format: 'packed', badSignature: true }), u2f()]);
    await expectRejection(
      verifyRegistrationResponse(compound(bad, [entry(u), entry(bad)]), withPolicy(bad, { trustAnchors: anchors(bad, u) })),
      'ERR_ATTESTATION_SIGNATURE_INVALID',
    );
  });

  it('any: one bad signature is reported, the other speaks for the compound', async () => {
    const [bad, u] = await Promise.all([make({ format: 'packed', badSignature: true }), u2f()]);
    const result = await verifyRegistrationResponse(
      compound(bad, [entry(bad), entry(u)]),
      withPolicy(bad, { trustAnchors: anchors(bad, u), compound: 'any' }),
    );
    expect(result.attestation.statements?.map((s) => s.format)).toEqual(['fido-u2f']);
    expect(result.attestation.trusted).toBe(true);
    expect(result.attestation.details?.failures).toEqual([
      { index: 0, fmt: 'packed', code: 'ERR_ATTESTATION_SIGNATURE_INVALID', message: expect.any(String) },
    ]);
  });

  it('any: every sub-statement failing is ERR_COMPOUND_UNSATISFIED listing each code', async () => {
    const [bad, badU2f] = await Promise.all([make({ format: 'packed', badSignature: true }), make({ format: 'fido-u2f', badSignature: true })]);
    const error = await expectRejection(
      verifyRegistrationResponse(compound(bad, [entry(bad), entry(badU2f)]), withPolicy(bad, { compound: 'any' })),
      'ERR_COMPOUND_UNSATISFIED',
      '8.9',
    );
    expect(error.details?.failures).toEqual([
      { index: 0, fmt: 'packed', code: 'ERR_ATTESTATION_SIGNATURE_INVALID' },
      { index: 1, fmt: 'fido-u2f', code: 'ERR_ATTESTATION_SIGNATURE_INVALID' },
    ]);
  });
});

describe('§8.9 compound: trust, evaluated per sub-statement', () => {
  it('valid: an untrusted sub-statement is reported, a trusted one makes the compound trusted', async () => {
    const [p, u] = await Promise.all([packed(), u2f()]);
    const result = await verifyRegistrationResponse(compound(p, [entry(u), entry(p)]), withPolicy(p, { trustAnchors: anchors(p) }));
    expect(result.attestation.statements?.map((s) => [s.format, s.trusted])).toEqual([
      ['fido-u2f', false],
      ['packed', true],
    ]);
    expect(result.attestation.trusted).toBe(true);
    expect(result.attestation.trustAnchor).toEqual(result.attestation.statements?.[1]?.trustAnchor);
  });

  it('valid without anchors: verified, not trusted', async () => {
    const [p, u] = await Promise.all([packed(), u2f()]);
    const result = await verifyRegistrationResponse(compound(p, [entry(p), entry(u)]), withPolicy(p, { trustAnchors: [] }));
    expect(result.attestation.trusted).toBe(false);
    expect(result.attestation.statements?.every((s) => !s.trusted)).toBe(true);
  });

  it('trusted + all: every sub-statement must reach an anchor', async () => {
    const [p, u] = await Promise.all([packed(), u2f()]);
    const ok = await verifyRegistrationResponse(compound(p, [entry(p), entry(u)]), withPolicy(p, { trustAnchors: anchors(p, u), require: 'trusted' }));
    expect(ok.attestation.trusted).toBe(true);
    await expectRejection(
      verifyRegistrationResponse(compound(p, [entry(p), entry(u)]), withPolicy(p, { trustAnchors: anchors(p), require: 'trusted' })),
      'ERR_CERT_CHAIN_UNTRUSTED',
      '7.1.24',
    );
  });

  it('trusted + all: a none sub-statement is ERR_ATTESTATION_TYPE_NOT_ALLOWED', async () => {
    const [p, n] = await Promise.all([packed(), make({ format: 'none' })]);
    await expectRejection(
      verifyRegistrationResponse(compound(p, [entry(p), entry(n)]), withPolicy(p, { trustAnchors: anchors(p), require: 'trusted' })),
      'ERR_ATTESTATION_TYPE_NOT_ALLOWED',
      '7.1.24',
    );
  });

  it('trusted + any: one trusted sub-statement suffices; the untrusted one is reported', async () => {
    const [p, n, u] = await Promise.all([packed(), make({ format: 'none' }), u2f()]);
    const result = await verifyRegistrationResponse(
      compound(p, [entry(n), entry(u), entry(p)]),
      withPolicy(p, { trustAnchors: anchors(p), require: 'trusted', compound: 'any' }),
    );
    expect([result.attestation.type, result.attestation.trusted]).toEqual(['basic', true]);
    expect(result.attestation.statements?.map((s) => s.format)).toEqual(['packed']);
    expect(((result.attestation.details?.failures ?? []) as { code: string }[]).map((f) => f.code)).toEqual([
      'ERR_ATTESTATION_TYPE_NOT_ALLOWED',
      'ERR_CERT_CHAIN_UNTRUSTED',
    ]);
  });

  it('trusted + any: nothing trusted is ERR_COMPOUND_UNSATISFIED', async () => {
    const [p, u] = await Promise.all([packed(), u2f()]);
    await expectRejection(
      verifyRegistrationResponse(compound(p, [entry(p), entry(u)]), withPolicy(p, { trustAnchors: [], require: 'trusted', compound: 'any' })),
      'ERR_COMPOUND_UNSATISFIED',
      '8.9',
    );
  });
});
