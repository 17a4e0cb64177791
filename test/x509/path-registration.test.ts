/**
 * §7.1 step 24 through verifyRegistrationResponse: a packed x5c carrying a cross-signed root
 * (R3 → R46 shape), anchor entries with windows and labels in `expected.attestation.trustAnchors`,
 * what the result reports (`trustFacts`), and misuse of the entries.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { type RegistrationExpectations, verifyRegistrationResponse } from '../../src/ceremony/verify-registration.js';
import { expectRejection } from '../helpers/expect-code.js';
import { createCrossSignedSet, createSameNameCas, type CrossSignedSet } from '../helpers/path-ca.js';
import { createRegistration, DEFAULT_AAGUID, type SyntheticRegistration } from '../helpers/synthetic-registration.js';
import { issueCertificate } from '../helpers/test-ca.js';

let set: CrossSignedSet;
let registration: SyntheticRegistration;

beforeAll(async () => {
  set = await createCrossSignedSet('Registration');
  const ca = {
    root: set.rootB,
    intermediates: [set.intermediate],
    intermediate: set.intermediate,
    leaf: set.leaf,
    x5c: [set.leaf.der, set.intermediate.der, set.crossB.der],
    trustAnchors: [set.rootA.der],
  };
  registration = await createRegistration({ aaguid: DEFAULT_AAGUID, format: 'packed', ca });
});

function verify(attestation: RegistrationExpectations['attestation']) {
  return verifyRegistrationResponse(registration.response, { ...registration.expected, attestation });
}

describe('§7.1 step 24: registration with a cross-signed root in x5c', () => {
  it('trusted with R3 (A) alone, through the cross certificate', async () => {
    const result = await verify({ trustAnchors: [set.rootA.der], require: 'trusted' });
    expect(result.attestation).toMatchObject({ trusted: true, trustAnchor: set.rootA.der, trustFacts: { unusedCertificates: [] } });
    // trustPath stays x5c as sent.
    expect(result.attestation.trustPath).toEqual([set.leaf.der, set.intermediate.der, set.crossB.der]);
  });

  it('trusted with R46 (B) alone; the cross certificate reported unused', async () => {
    const result = await verify({ trustAnchors: [set.rootB.pem], require: 'trusted' });
    expect(result.attestation).toMatchObject({ trusted: true, trustAnchor: set.rootB.der, trustFacts: { unusedCertificates: [2] } });
  });

  it('anchor entries: the label of the anchor reached is reported', async () => {
    const result = await verify({ trustAnchors: [{ certificate: set.rootB.der, label: 'R46' }], require: 'trusted' });
    expect(result.attestation.trustFacts).toEqual({ anchorLabel: 'R46', unusedCertificates: [2] });
  });

  it("R46 retired before now: 'valid' reports anchor-expired, 'trusted' is ERR_TRUST_ANCHOR_EXPIRED; R3 still trusts", async () => {
    const retired = { certificate: set.rootB.der, validUntil: new Date('2030-01-01T00:00:00Z'), label: 'R46 retired' };
    const reported = await verify({ trustAnchors: [retired] });
    expect(reported.attestation).toMatchObject({
      trusted: false,
      trustFacts: {
        reason: 'anchor-expired',
        inactiveAnchor: { label: 'R46 retired', validUntil: '2030-01-01T00:00:00.000Z', status: 'expired' },
      },
    });
    const error = await expectRejection(verify({ trustAnchors: [retired], require: 'trusted' }), 'ERR_TRUST_ANCHOR_EXPIRED', '7.1.24');
    expect(error.details).toMatchObject({ label: 'R46 retired', reason: 'anchor-expired' });
    const both = await verify({ trustAnchors: [retired, { certificate: set.rootA.pem, label: 'R3' }], require: 'trusted' });
    expect(both.attestation).toMatchObject({ trusted: true, trustAnchor: set.rootA.der, trustFacts: { anchorLabel: 'R3' } });
  });

  it('a root staged for later is not used before its validFrom (ERR_TRUST_ANCHOR_NOT_YET_VALID)', async () => {
    const staged = { certificate: set.rootB.der, validFrom: new Date('2031-01-01T00:00:00Z') };
    await expectRejection(verify({ trustAnchors: [staged], require: 'trusted' }), 'ERR_TRUST_ANCHOR_NOT_YET_VALID', '7.1.24');
    const later = await verifyRegistrationResponse(registration.response, {
      ...registration.expected,
      now: new Date('2032-01-01T00:00:00Z'),
      attestation: { trustAnchors: [staged], require: 'trusted' },
    });
    expect(later.attestation.trusted).toBe(true);
  });

  it('misuse of an entry is ERR_OPTIONS_INVALID naming it, before the response is read', async () => {
    const field = async (entry: unknown) =>
      (await expectRejection(verify({ trustAnchors: [entry as never] }), 'ERR_OPTIONS_INVALID')).details?.field;
    expect(await field({ certificate: set.rootB.der, validUntil: '2030' })).toBe('attestation.trustAnchors[0].validUntil');
    expect(await field({ certificate: set.rootB.der, label: 42 })).toBe('attestation.trustAnchors[0].label');
    expect(await field({ certificate: '' })).toBe('attestation.trustAnchors[0].certificate');
    expect(await field({ certificate: set.rootB.der, extra: 1 })).toBe('attestation.trustAnchors[0].extra');
    expect(await field(7)).toBe('attestation.trustAnchors[0]');
    // An entry's bytes are copied when read: changing them afterwards changes nothing.
    const bytes = set.rootB.der.slice();
    const entry = { certificate: bytes, label: 'copied' };
    const pending = verify({ trustAnchors: [entry], require: 'trusted' });
    bytes.fill(0);
    expect((await pending).attestation.trusted).toBe(true);
  });

  it('a hostile x5c of 20 same-subject certificates never reaches the builder: refused at the x5c bound', async () => {
    const rootName = { C: 'ZZ', O: 'Hostile reg', CN: 'Hostile reg Root' };
    const root = await issueCertificate({ subject: rootName });
    const hostile = await createSameNameCas({ name: 'Hostile reg', count: 19, realIssuer: root, issuerName: rootName, realIndex: 18 });
    const x5c = [hostile.leaf.der, ...hostile.cas.map((c) => c.der)];
    const ca = { root, intermediates: [], intermediate: root, leaf: hostile.leaf, x5c, trustAnchors: [root.der] };
    const attack = await createRegistration({ aaguid: DEFAULT_AAGUID, format: 'packed', ca });
    const error = await expectRejection(
      verifyRegistrationResponse(attack.response, { ...attack.expected, attestation: { trustAnchors: [root.der], require: 'trusted' } }),
      'ERR_ATTESTATION_STATEMENT_INVALID',
    );
    expect(error.details).toMatchObject({ field: 'x5c' });
    // Its first five (the most a statement may carry) are refused by the builder in x5c order.
    const five = await createRegistration({ aaguid: DEFAULT_AAGUID, format: 'packed', ca: { ...ca, x5c: x5c.slice(0, 5) } });
    const bounded = await expectRejection(
      verifyRegistrationResponse(five.response, { ...five.expected, attestation: { trustAnchors: [root.der], require: 'trusted' } }),
      'ERR_CERT_CHAIN_INVALID',
      '7.1.24',
    );
    expect(bounded.details).toMatchObject({ reason: 'signature' });
  });
});
