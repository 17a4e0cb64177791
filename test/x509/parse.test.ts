import { describe, expect, it } from 'vitest';
import { WebAuthnError } from '../../src/errors.js';
import {
  clearX509Caches,
  formatName,
  getNameValue,
  getNameValues,
  parseCertificate,
  parseCertificateInput,
  parseTrustAnchors,
} from '../../src/x509/index.js';
import {
  createTestCa,
  encodeBasicConstraints,
  issueCertificate,
  PACKED_SUBJECT,
  testKey,
  toPem,
} from '../helpers/test-ca.js';
import { expectCode, loadRoots, loadX5cVectors } from './util.js';

const roots = loadRoots();
const vectors = loadX5cVectors();

describe('§7.1 step 22: parseCertificate on real certificates', () => {
  it.each(roots.map((r) => [r.file, r]))('parses root %s with its published fingerprint', (_file, root) => {
    const cert = parseCertificateInput(root.pem);
    expect(cert.version).toBe(3);
    expect(cert.isSelfIssued).toBe(true);
    expect(cert.basicConstraints).toEqual({ ca: true });
    expect(cert.keyUsage).toContain('keyCertSign');
    expect(cert.sha256Fingerprint).toBe(root.fingerprint);
    expect(Object.isFrozen(cert)).toBe(true);
  });

  it.each(vectors.map((v) => [v.id, v]))('parses every x5c certificate of %s', (_id, vector) => {
    for (const der of vector.x5c) {
      const cert = parseCertificate(der);
      expect(cert.der).toEqual(der);
      expect(cert.notBefore.getTime()).toBeLessThan(cert.notAfter.getTime());
      expect(cert.extensions.length).toBeGreaterThanOrEqual(0);
    }
  });

  it('reads the fields of a Yubico packed attestation certificate', () => {
    const vector = vectors.find((v) => v.id === 'pyw-packed-yubico-es256');
    const cert = parseCertificate(vector!.x5c[0]!);
    expect(cert.version).toBe(3);
    expect(getNameValue(cert.subject, 'C')).toBe('SE');
    expect(getNameValue(cert.subject, 'O')).toBe('Yubico AB');
    expect(getNameValue(cert.subject, '2.5.4.11')).toBe('Authenticator Attestation');
    expect(cert.subject.attributes.map((a) => a.name)).toEqual(['C', 'O', 'OU', 'CN']);
    expect(getNameValue(cert.issuer, 'CN')).toBe('Yubico U2F Root CA Serial 457200631');
    expect(cert.basicConstraints).toEqual({ ca: false });
    expect(cert.publicKeyAlgorithm).toEqual({ oid: '1.2.840.10045.2.1', curve: '1.2.840.10045.3.1.7' });
    expect(cert.signatureAlgorithm).toBe('1.2.840.113549.1.1.11');
    expect(cert.isSelfIssued).toBe(false);
    expect(cert.notBefore.toISOString()).toBe('2014-08-01T00:00:00.000Z');
    expect(cert.notAfter.toISOString()).toBe('2050-09-04T00:00:00.000Z');
    expect(cert.extensions.find((e) => e.oid === '2.5.29.19')?.critical).toBe(true);
    expect(cert.sha256Fingerprint).toMatch(/^[0-9a-f]{64}$/);
  });

  it('reads the TPM subjectAltName directoryName of a TPM AIK certificate', () => {
    const vector = vectors.find((v) => v.id === 'pyw-tpm-rs256-lenovo-carbon-x1');
    const cert = parseCertificate(vector!.x5c[0]!);
    expect(cert.subject.attributes).toEqual([]);
    const san = cert.subjectAltName!;
    expect(san.raw.length).toBeGreaterThan(0);
    expect(san.directoryNames).toHaveLength(1);
    const name = san.directoryNames[0]!;
    expect(getNameValue(name, 'tpmManufacturer')).toBe('id:53544D20');
    expect(getNameValue(name, 'tpmModel')).toBe('ST33HTPHAHC0');
    expect(getNameValue(name, '2.23.133.2.3')).toBe('id:00490008');
    expect(cert.extendedKeyUsage).toContain('2.23.133.8.3');
    expect(cert.extensions.find((e) => e.oid === '2.5.29.17')?.critical).toBe(true);
  });

  it('returns the cached object for the same DER until the caches are cleared', () => {
    const der = vectors[0]!.x5c[0]!;
    const first = parseCertificate(der);
    expect(parseCertificate(der.slice())).toBe(first);
    clearX509Caches();
    const again = parseCertificate(der);
    expect(again).not.toBe(first);
    expect(again).toEqual(first);
  });

  it('keeps the pkijs object out of the public object and copies the input', () => {
    const vector = vectors[0]!;
    const input = vector.x5c[0]!.slice();
    const cert = parseCertificate(input);
    input.fill(0);
    expect(cert.der).not.toEqual(input);
    expect(Object.keys(cert)).not.toContain('pkijs');
    expect(JSON.stringify(Object.keys(cert))).not.toMatch(/pkijs|internal/);
  });
});

describe('parseCertificate: synthetic certificates', () => {
  it('reads names, validity, extensions and the serial number', async () => {
    const ca = await createTestCa({
      leaf: {
        serialNumber: 0x0102,
        notBefore: new Date('2025-02-03T04:05:06Z'),
        notAfter: new Date('2060-01-01T00:00:00Z'),
        extKeyUsage: ['1.3.6.1.5.5.7.3.2'],
        keyUsage: ['digitalSignature', 'decipherOnly'],
        subjectAltName: { dnsName: 'example.com', directoryName: { tpmManufacturer: 'id:FFFFF1D0', tpmModel: 'M' } },
      },
    });
    const leaf = parseCertificate(ca.leaf.der);
    expect(leaf.serialNumber).toBe('0102');
    expect(leaf.notBefore.toISOString()).toBe('2025-02-03T04:05:06.000Z');
    expect(leaf.notAfter.toISOString()).toBe('2060-01-01T00:00:00.000Z'); // GeneralizedTime
    expect(leaf.keyUsage).toEqual(['digitalSignature', 'decipherOnly']);
    expect(leaf.extendedKeyUsage).toEqual(['1.3.6.1.5.5.7.3.2']);
    expect(leaf.subjectAltName?.names.map((n) => n.type)).toEqual(['directoryName', 'dNSName']);
    expect(leaf.subjectAltName?.names[1]).toEqual({ type: 'dNSName', value: 'example.com' });
    expect(formatName(leaf.subjectAltName!.directoryNames[0]!)).toBe('tpmManufacturer=id:FFFFF1D0, tpmModel=M');
    expect(getNameValues(leaf.subject, 'OU')).toEqual(['Authenticator Attestation']);
    const intermediate = parseCertificate(ca.intermediate.der);
    expect(intermediate.basicConstraints).toEqual({ ca: true });
    expect(intermediate.keyUsage).toEqual(['keyCertSign', 'cRLSign']);
  });

  it('parses a v1 certificate (no extensions)', async () => {
    const cert = parseCertificate((await issueCertificate({ subject: { CN: 'v1 root' }, version: 1 })).der);
    expect(cert.version).toBe(1);
    expect(cert.extensions).toEqual([]);
    expect(cert.basicConstraints).toBeUndefined();
    expect(cert.keyUsage).toBeUndefined();
  });

  it('keeps every extension raw, including unknown ones', async () => {
    const value = Uint8Array.of(0x05, 0x00);
    const cert = parseCertificate(
      (await issueCertificate({ subject: { CN: 'x' }, extensions: [{ oid: '1.2.3.4.5', critical: true, value }] })).der,
    );
    expect(cert.extensions.find((e) => e.oid === '1.2.3.4.5')).toEqual({ oid: '1.2.3.4.5', critical: true, value });
  });

  it('rejects a repeated extension with ERR_CERT_EXTENSION_INVALID', async () => {
    const bc = { oid: '2.5.29.19', critical: true, value: encodeBasicConstraints(false) };
    const { der } = await issueCertificate({ subject: PACKED_SUBJECT, basicConstraints: null, extensions: [bc, bc] });
    expectCode(() => parseCertificate(der), 'ERR_CERT_EXTENSION_INVALID');
  });

  it.each([
    ['basicConstraints', '2.5.29.19', Uint8Array.of(0x04, 0x00)],
    ['basicConstraints with a negative pathLen', '2.5.29.19', Uint8Array.of(0x30, 0x06, 0x01, 0x01, 0xff, 0x02, 0x01, 0xff)],
    ['keyUsage', '2.5.29.15', Uint8Array.of(0x03, 0x00)],
    ['extKeyUsage', '2.5.29.37', Uint8Array.of(0x30, 0x00)],
    ['subjectAltName', '2.5.29.17', Uint8Array.of(0x30, 0x03, 0x87, 0x01, 0x00)],
    ['subjectAltName with trailing bytes', '2.5.29.17', Uint8Array.of(0x30, 0x00, 0x00)],
  ])('rejects a malformed %s extension with ERR_CERT_EXTENSION_INVALID', async (_name, oid, value) => {
    const { der } = await issueCertificate({
      subject: { CN: `bad ${oid}` },
      basicConstraints: null,
      keyUsage: null,
      extensions: [{ oid, value }],
    });
    expectCode(() => parseCertificate(der), 'ERR_CERT_EXTENSION_INVALID');
  });
});

describe('parseCertificate: malformed input (checklist §5, V39)', () => {
  const good = vectors.find((v) => v.id === 'pyw-packed-yubico-es256')!.x5c[0]!;

  it.each([
    ['empty', new Uint8Array(0)],
    ['not DER', Uint8Array.of(1, 2, 3)],
    ['truncated', good.subarray(0, good.length - 1)],
    ['trailing bytes', Uint8Array.of(...good, 0)],
    ['a bare SEQUENCE', Uint8Array.of(0x30, 0x00)],
    ['larger than 8 KiB', new Uint8Array(8193).fill(0x30)],
    ['indefinite length', Uint8Array.of(0x30, 0x80, 0x02, 0x01, 0x01, 0x00, 0x00)],
  ])('rejects %s with ERR_CERT_MALFORMED', (_name, bytes) => {
    expectCode(() => parseCertificate(bytes), 'ERR_CERT_MALFORMED');
  });

  it('rejects deep nesting without exhausting the stack', () => {
    let inner = Uint8Array.of(0x05, 0x00);
    for (let depth = 0; depth < 1900; depth++) {
      const length = inner.length;
      const header = length < 128 ? [0x30, length] : length < 256 ? [0x30, 0x81, length] : [0x30, 0x82, length >> 8, length & 0xff];
      inner = Uint8Array.of(...header, ...inner);
    }
    expect(inner.length).toBeLessThanOrEqual(8192);
    expectCode(() => parseCertificate(inner), 'ERR_CERT_MALFORMED');
  });

  it('rejects different signature algorithms inside and outside tbsCertificate', () => {
    // The Yubico leaf is sha256WithRSA (…01 01 0b); make the outer one sha384WithRSA.
    const mutated = good.slice();
    const oid = Uint8Array.of(0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x01, 0x0b);
    let last = -1;
    for (let i = 0; i + oid.length <= mutated.length; i++) {
      if (oid.every((b, k) => mutated[i + k] === b)) last = i;
    }
    mutated[last + oid.length - 1] = 0x0c;
    expectCode(() => parseCertificate(mutated), 'ERR_CERT_MALFORMED');
  });

  it('never throws anything but a WebAuthnError on single-byte corruption', () => {
    for (let i = 0; i < good.length; i++) {
      const mutated = good.slice();
      mutated[i] = (mutated[i] as number) ^ 0x41;
      try {
        parseCertificate(mutated);
      } catch (error) {
        expect(error).toBeInstanceOf(WebAuthnError);
        expect(['ERR_CERT_MALFORMED', 'ERR_CERT_EXTENSION_INVALID']).toContain((error as WebAuthnError).code);
      }
    }
  });

  it('names step 7.1.22 in parse errors', () => {
    expect(expectCode(() => parseCertificate(Uint8Array.of(0x30, 0x00)), 'ERR_CERT_MALFORMED').step).toBe('7.1.22');
  });

  it('issue 14: rejects a non-Uint8Array with ERR_OPTIONS_INVALID naming der (never a TypeError)', () => {
    for (const input of ['MII', 123, null, undefined, [0x30, 0x00], new ArrayBuffer(4)]) {
      const error = expectCode(() => parseCertificate(input as unknown as Uint8Array), 'ERR_OPTIONS_INVALID');
      expect(error.details?.field).toBe('der');
    }
  });
});

describe('parseCertificateInput and parseTrustAnchors', () => {
  it('accepts PEM, bare base64 and DER, and returns the same certificate', async () => {
    const { der, pem } = await issueCertificate({ subject: { CN: 'input forms' } });
    const base64 = Buffer.from(der).toString('base64');
    const fromPem = parseCertificateInput(pem);
    expect(parseCertificateInput(base64).sha256Fingerprint).toBe(fromPem.sha256Fingerprint);
    expect(parseCertificateInput(der).sha256Fingerprint).toBe(fromPem.sha256Fingerprint);
    expect(parseCertificateInput(`explanatory text\r\n${pem.replace(/\n/g, '\r\n')}`).der).toEqual(der);
    // Parsed anchors are cached: the same input gives the same object.
    expect(parseCertificateInput(pem)).toBe(fromPem);
  });

  it('returns every certificate of a PEM bundle, without duplicates, in order', async () => {
    const a = await issueCertificate({ subject: { CN: 'bundle a' } });
    const b = await issueCertificate({ subject: { CN: 'bundle b' } });
    const anchors = parseTrustAnchors([a.pem + b.pem, b.der, a.pem]);
    expect(anchors.map((c) => getNameValue(c.subject, 'CN'))).toEqual(['bundle a', 'bundle b']);
    expect(parseTrustAnchors([])).toEqual([]);
    expectCode(() => parseCertificateInput(a.pem + b.pem), 'ERR_CERT_MALFORMED');
  });

  it.each([
    ['a private key block', toPem(Uint8Array.of(1, 2, 3), 'PRIVATE KEY')],
    ['an unterminated block', '-----BEGIN CERTIFICATE-----\nMIIB\n'],
    ['non-base64 text', 'not a certificate!'],
    ['base64 of garbage', 'AAECAwQF'],
    ['empty text', ''],
  ])('rejects %s with ERR_CERT_MALFORMED', (_name, text) => {
    expectCode(() => parseCertificateInput(text), 'ERR_CERT_MALFORMED');
  });

  it('rejects a PEM block with a body that is not a certificate', async () => {
    const key = await testKey('P-256', 'pem');
    expectCode(() => parseTrustAnchors([toPem(key.spki)]), 'ERR_CERT_MALFORMED');
  });
});
