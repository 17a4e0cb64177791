import { describe, expect, it } from 'vitest';
import {
  checkPackedAttestationCertificate,
  getFidoAaguidExtension,
  isIso3166Alpha2,
  parseCertificate,
} from '../../src/x509/index.js';
import { ISO_3166_ALPHA2_ASSIGNED } from '../../src/x509/iso3166.js';
import { type IssueOptions, issueCertificate, type NameInput, PACKED_SUBJECT } from '../helpers/test-ca.js';
import { expectCode, loadX5cVectors } from './util.js';

const AAGUID = Uint8Array.from({ length: 16 }, (_, i) => 0xa0 + i);
const OTHER_AAGUID = new Uint8Array(16).fill(0x11);

async function leaf(options: Partial<IssueOptions> = {}) {
  const issuer = await issueCertificate({ subject: { CN: 'Packed Test CA' } });
  const issued = await issueCertificate({
    issuer,
    subject: PACKED_SUBJECT,
    basicConstraints: { ca: false },
    aaguid: AAGUID,
    ...options,
  });
  return parseCertificate(issued.der);
}

function subject(overrides: Record<string, string | undefined>): NameInput {
  const entries = Object.entries({ ...(PACKED_SUBJECT as Record<string, string>), ...overrides });
  return entries.filter((e): e is [string, string] => e[1] !== undefined);
}

describe('§8.2.1 packed attestation certificate requirements', () => {
  it('accepts a conforming certificate and reports its AAGUID extension', async () => {
    const facts = checkPackedAttestationCertificate(await leaf(), AAGUID);
    expect(facts.aaguidExtension).toEqual(AAGUID);
  });

  it('accepts a certificate without the AAGUID extension', async () => {
    const facts = checkPackedAttestationCertificate(await leaf({ aaguid: undefined }), AAGUID);
    expect(facts.aaguidExtension).toBeUndefined();
  });

  it('rejects a version 1 certificate', async () => {
    const cert = await leaf({ version: 1 });
    const error = expectCode(() => checkPackedAttestationCertificate(cert, AAGUID), 'ERR_ATTESTATION_CERT_INVALID');
    expect(error.step).toBe('8.2.1');
    expect(error.details?.field).toBe('version');
  });

  it.each([
    ['an alpha-3 country', { C: 'USA' }],
    ['a lower-case country', { C: 'us' }],
    ['an exceptionally reserved country (UK)', { C: 'UK' }],
    ['an unassigned country (ZQ)', { C: 'ZQ' }],
    ['a numeric country', { C: '840' }],
    ['no country', { C: undefined }],
    ['no O', { O: undefined }],
    ['an empty O', { O: '' }],
    ['no OU', { OU: undefined }],
    ['a different OU', { OU: 'Authenticator attestation' }],
    ['an OU with trailing space', { OU: 'Authenticator Attestation ' }],
    ['no CN', { CN: undefined }],
    ['an empty CN', { CN: '' }],
  ])('rejects a subject with %s', async (_name, overrides) => {
    const cert = await leaf({ subject: subject(overrides) });
    expectCode(() => checkPackedAttestationCertificate(cert, AAGUID), 'ERR_ATTESTATION_CERT_INVALID');
  });

  it('rejects a subject with two OUs', async () => {
    const cert = await leaf({
      subject: [
        ['C', 'US'],
        ['O', 'Vendor'],
        ['OU', 'Authenticator Attestation'],
        ['OU', 'Other'],
        ['CN', 'Batch'],
      ],
    });
    expectCode(() => checkPackedAttestationCertificate(cert, AAGUID), 'ERR_ATTESTATION_CERT_INVALID');
  });

  it.each(['AA', 'XK', 'QZ', 'DE', 'SE', 'CN'])('accepts country %s', async (country) => {
    const cert = await leaf({ subject: subject({ C: country }) });
    expect(() => checkPackedAttestationCertificate(cert, AAGUID)).not.toThrow();
  });

  it('rejects basicConstraints CA = true', async () => {
    const cert = await leaf({ basicConstraints: { ca: true } });
    const error = expectCode(() => checkPackedAttestationCertificate(cert, AAGUID), 'ERR_ATTESTATION_CERT_INVALID');
    expect(error.details?.field).toBe('basicConstraints');
  });

  it('accepts a missing basicConstraints extension (RFC 5280 §4.2.1.9) and reports it; false restores the refusal', async () => {
    const cert = await leaf({ basicConstraints: null });
    expect(checkPackedAttestationCertificate(cert, AAGUID).basicConstraintsAbsent).toBe(true);
    expect(checkPackedAttestationCertificate(cert, AAGUID, { allowMissingBasicConstraints: true }).basicConstraintsAbsent).toBe(true);
    expectCode(() => checkPackedAttestationCertificate(cert, AAGUID, { allowMissingBasicConstraints: false }), 'ERR_ATTESTATION_CERT_INVALID');
    expect(checkPackedAttestationCertificate(await leaf(), AAGUID).basicConstraintsAbsent).toBe(false);
  });

  it('rejects an AAGUID extension that differs from authData (V10)', async () => {
    const cert = await leaf();
    const error = expectCode(() => checkPackedAttestationCertificate(cert, OTHER_AAGUID), 'ERR_AAGUID_MISMATCH');
    expect(error.step).toBe('8.2.1');
  });

  it('rejects a critical AAGUID extension', async () => {
    const cert = await leaf({ aaguid: { value: AAGUID, critical: true } });
    expectCode(() => checkPackedAttestationCertificate(cert, AAGUID), 'ERR_CERT_EXTENSION_INVALID');
  });

  it.each([
    ['raw 16 bytes without the inner OCTET STRING', AAGUID],
    ['an OCTET STRING of 15 bytes', Uint8Array.of(0x04, 0x0f, ...AAGUID.subarray(1))],
    ['an OCTET STRING with a trailing byte', Uint8Array.of(0x04, 0x10, ...AAGUID, 0x00)],
  ])('rejects an AAGUID extension that is %s', async (_name, raw) => {
    const cert = await leaf({ aaguid: { raw } });
    expect(expectCode(() => getFidoAaguidExtension(cert), 'ERR_CERT_EXTENSION_INVALID').step).toBe('8.2.1');
    expectCode(() => checkPackedAttestationCertificate(cert, AAGUID), 'ERR_CERT_EXTENSION_INVALID');
  });

  it('requires a 16-byte AAGUID argument', async () => {
    const cert = await leaf();
    expect(expectCode(() => checkPackedAttestationCertificate(cert, new Uint8Array(15)), 'ERR_OPTIONS_INVALID').details?.field).toBe('aaguid');
    expect(expectCode(() => checkPackedAttestationCertificate({} as typeof cert, AAGUID), 'ERR_OPTIONS_INVALID').details?.field).toBe('cert');
  });
});

describe('§8.2.1 on real packed attestation certificates', () => {
  const packed = loadX5cVectors().filter((v) => v.fmt === 'packed' && v.outcome === 'valid');

  it('has packed vectors to check', () => {
    expect(packed.length).toBeGreaterThanOrEqual(8);
  });

  it.each(packed.map((v) => [v.id, v]))('%s meets §8.2.1 with its authData AAGUID', (_id, vector) => {
    const cert = parseCertificate(vector.x5c[0]!);
    const facts = checkPackedAttestationCertificate(cert, vector.aaguid);
    const extension = getFidoAaguidExtension(cert);
    expect(facts.aaguidExtension).toEqual(extension);
  });

  it('a real certificate with an AAGUID extension fails against another AAGUID', () => {
    const vector = packed.find((v) => getFidoAaguidExtension(parseCertificate(v.x5c[0]!)) !== undefined)!;
    const cert = parseCertificate(vector.x5c[0]!);
    expectCode(() => checkPackedAttestationCertificate(cert, OTHER_AAGUID), 'ERR_AAGUID_MISMATCH');
  });
});

describe('ISO 3166-1 alpha-2 table', () => {
  it('holds the 249 assigned codes', () => {
    expect(ISO_3166_ALPHA2_ASSIGNED.size).toBe(249);
    for (const code of ISO_3166_ALPHA2_ASSIGNED) expect(code).toMatch(/^[A-Z]{2}$/);
  });

  it.each([
    ['US', true],
    ['GB', true],
    ['SS', true],
    ['XK', true],
    ['AA', true],
    ['QM', true],
    ['ZZ', true],
    ['QL', false],
    ['UK', false],
    ['EU', false],
    ['YU', false],
    ['USA', false],
    ['u s', false],
    ['', false],
  ])('%s → %s', (code, expected) => {
    expect(isIso3166Alpha2(code)).toBe(expected);
  });
});
