import { beforeAll, describe, expect, it } from 'vitest';
import { type ParsedCertificate, parseCertificate, validateCertificatePath } from '../../src/x509/index.js';
import { createTestCa, issueCrl, type TestCa, TEST_NOW, testKey } from '../helpers/test-ca.js';
import { parseAll } from './util.js';

let ca: TestCa;
let chain: ParsedCertificate[];
let root: ParsedCertificate;
/** Current CRLs of the intermediate (covers the leaf) and the root (covers the intermediate), none revoked. */
let cleanCrls: Uint8Array[];

beforeAll(async () => {
  ca = await createTestCa({ name: 'Revocation' });
  chain = parseAll(ca.x5c);
  root = parseCertificate(ca.root.der);
  cleanCrls = [await issueCrl({ issuer: ca.intermediate }), await issueCrl({ issuer: ca.root })];
});

function validate(crls: readonly Uint8Array[], mode: 'require' | 'if-available', trustAnchors = [root]) {
  return validateCertificatePath({ chain, trustAnchors, now: TEST_NOW, revocation: { crls, mode } });
}

describe('§7.1 step 24 / §29 note: revocation from supplied CRLs (L.87)', () => {
  it('accepts a path every certificate of which is covered by a current CRL', async () => {
    expect((await validate(cleanCrls, 'require')).trusted).toBe(true);
    expect((await validate(cleanCrls, 'if-available')).trusted).toBe(true);
  });

  it('is off without revocation options, and accepts no CRL in if-available mode', async () => {
    expect((await validateCertificatePath({ chain, trustAnchors: [root], now: TEST_NOW })).trusted).toBe(true);
    expect((await validate([], 'if-available')).trusted).toBe(true);
  });

  it('rejects a revoked leaf (MDS3 F-5)', async () => {
    const crl = await issueCrl({ issuer: ca.intermediate, revoked: [{ serialNumber: ca.leaf.serialNumber }] });
    await expect(validate([crl], 'if-available')).rejects.toMatchObject({ code: 'ERR_CERT_REVOKED', details: { index: 0 } });
    await expect(validate([crl, cleanCrls[1]!], 'require')).rejects.toMatchObject({ code: 'ERR_CERT_REVOKED' });
  });

  it('rejects a revoked intermediate (MDS3 F-4)', async () => {
    const crl = await issueCrl({ issuer: ca.root, revoked: [{ serialNumber: ca.intermediate.serialNumber }] });
    await expect(validate([cleanCrls[0]!, crl], 'if-available')).rejects.toMatchObject({
      code: 'ERR_CERT_REVOKED',
      details: { index: 1 },
    });
  });

  it('issue 14: a CRL listing a serial with a redundant sign octet is not DER → ERR_CERT_MALFORMED (fails closed)', async () => {
    const crl = await issueCrl({
      issuer: ca.intermediate,
      revoked: [{ serialNumber: Uint8Array.of(0, ...ca.leaf.serialNumber) }],
    });
    await expect(validate([crl], 'if-available')).rejects.toMatchObject({ code: 'ERR_CERT_MALFORMED' });
  });

  it('ignores CRLs of other serials and other issuers', async () => {
    const other = await createTestCa({ name: 'Other CRL issuer' });
    const crls = [
      await issueCrl({ issuer: ca.intermediate, revoked: [{ serialNumber: Uint8Array.of(0x7f, 1, 2, 3) }] }),
      await issueCrl({ issuer: other.intermediate, revoked: [{ serialNumber: ca.leaf.serialNumber }] }),
      cleanCrls[1]!,
    ];
    expect((await validate(crls, 'require')).trusted).toBe(true);
  });

  it('require: a certificate without a CRL of its issuer → ERR_CERT_REVOCATION_UNKNOWN', async () => {
    await expect(validate([cleanCrls[0]!], 'require')).rejects.toMatchObject({
      code: 'ERR_CERT_REVOCATION_UNKNOWN',
      details: { index: 1, reason: 'no-current-crl' },
    });
    await expect(validate([], 'require')).rejects.toMatchObject({ code: 'ERR_CERT_REVOCATION_UNKNOWN', details: { index: 0 } });
  });

  it('a stale CRL does not count as current', async () => {
    const stale = await issueCrl({
      issuer: ca.intermediate,
      thisUpdate: new Date('2029-01-01T00:00:00Z'),
      nextUpdate: new Date('2029-02-01T00:00:00Z'),
    });
    await expect(validate([stale, cleanCrls[1]!], 'require')).rejects.toMatchObject({
      code: 'ERR_CERT_REVOCATION_UNKNOWN',
      details: { index: 0, reason: 'no-current-crl' },
    });
    expect((await validate([stale, cleanCrls[1]!], 'if-available')).trusted).toBe(true);
  });

  it('a CRL issued after now, or without nextUpdate, does not count as current', async () => {
    const future = await issueCrl({ issuer: ca.intermediate, thisUpdate: new Date('2031-01-01T00:00:00Z') });
    const open = await issueCrl({ issuer: ca.intermediate, nextUpdate: null });
    for (const crl of [future, open]) {
      await expect(validate([crl, cleanCrls[1]!], 'require')).rejects.toMatchObject({ code: 'ERR_CERT_REVOCATION_UNKNOWN' });
    }
  });

  it('a stale CRL that lists the certificate still revokes it', async () => {
    const stale = await issueCrl({
      issuer: ca.intermediate,
      thisUpdate: new Date('2029-01-01T00:00:00Z'),
      nextUpdate: new Date('2029-02-01T00:00:00Z'),
      revoked: [{ serialNumber: ca.leaf.serialNumber }],
    });
    await expect(validate([stale], 'if-available')).rejects.toMatchObject({ code: 'ERR_CERT_REVOKED' });
  });

  it('a CRL with a bad signature → ERR_CERT_REVOCATION_UNKNOWN in both modes', async () => {
    const forger = await testKey('P-256', 'crl forger');
    const forged = await issueCrl({ issuer: ca.intermediate, signingKey: forger.privateKey });
    for (const mode of ['require', 'if-available'] as const) {
      await expect(validate([forged, cleanCrls[1]!], mode)).rejects.toMatchObject({
        code: 'ERR_CERT_REVOCATION_UNKNOWN',
        details: { index: 0, reason: 'crl-signature-invalid' },
      });
    }
  });

  it('a forged CRL listing the certificate does not revoke it, and is refused', async () => {
    const forger = await testKey('P-256', 'crl forger');
    const forged = await issueCrl({
      issuer: ca.intermediate,
      signingKey: forger.privateKey,
      revoked: [{ serialNumber: ca.leaf.serialNumber }],
    });
    await expect(validate([forged], 'if-available')).rejects.toMatchObject({ code: 'ERR_CERT_REVOCATION_UNKNOWN' });
  });

  it('a CRL with an unknown critical extension → ERR_CERT_REVOCATION_UNKNOWN', async () => {
    const crl = await issueCrl({
      issuer: ca.intermediate,
      extensions: [{ oid: '2.5.29.28', critical: true, value: Uint8Array.of(0x30, 0x00) }],
    });
    await expect(validate([crl, cleanCrls[1]!], 'if-available')).rejects.toMatchObject({
      code: 'ERR_CERT_REVOCATION_UNKNOWN',
      details: { reason: 'crl-unsupported' },
    });
  });

  it('a CRL from an issuer whose keyUsage lacks cRLSign → ERR_CERT_REVOCATION_UNKNOWN', async () => {
    const noCrlSign = await createTestCa({ name: 'No crlsign', intermediate: { keyUsage: ['keyCertSign'] } });
    const crl = await issueCrl({ issuer: noCrlSign.intermediate });
    await expect(
      validateCertificatePath({
        chain: parseAll(noCrlSign.x5c),
        trustAnchors: [parseCertificate(noCrlSign.root.der)],
        now: TEST_NOW,
        revocation: { crls: [crl], mode: 'if-available' },
      }),
    ).rejects.toMatchObject({ code: 'ERR_CERT_REVOCATION_UNKNOWN', details: { reason: 'issuer-not-crl-signer' } });
  });

  it('rejects bytes that are not a CRL with ERR_CERT_MALFORMED', async () => {
    await expect(validate([Uint8Array.of(0x30, 0x03, 0x02, 0x01, 0x01)], 'if-available')).rejects.toMatchObject({
      code: 'ERR_CERT_MALFORMED',
    });
    await expect(validate([ca.leaf.der], 'if-available')).rejects.toMatchObject({ code: 'ERR_CERT_MALFORMED' });
  });

  it('checks only the links it has when the chain is untrusted', async () => {
    // No anchors: the leaf → intermediate link is checked, the intermediate's issuer is unknown.
    const revoked = await issueCrl({ issuer: ca.intermediate, revoked: [{ serialNumber: ca.leaf.serialNumber }] });
    await expect(validate([revoked], 'if-available', [])).rejects.toMatchObject({ code: 'ERR_CERT_REVOKED' });
    expect(await validate([cleanCrls[0]!], 'require', [])).toMatchObject({ trusted: false, reason: 'no-anchors' });
  });
});
