import { webcrypto } from 'node:crypto';
import { secp256k1 } from '@noble/curves/secp256k1.js';
import * as asn1js from 'asn1js';
import { describe, expect, it } from 'vitest';
import { bytesToBase64Url } from '../../src/encoding/base64url.js';
import { certificatePublicKey, parseCertificate } from '../../src/x509/index.js';
import { issueCertificate, type TestKeyPair, type TestKeyType, testKey } from '../helpers/test-ca.js';
import { expectCode, loadX5cVectors } from './util.js';

const ES256 = -7;
const ESP256 = -9;
const ES384 = -35;
const ES512 = -36;
const ES256K = -47;
const EDDSA = -8;
const ED25519 = -19;
const ED448 = -53;
const RS256 = -257;
const PS256 = -37;
const RS1 = -65535;
const ML_DSA_44 = -48;

/** A leaf whose SubjectPublicKeyInfo is exactly `spki`. */
async function certWithSpki(spki: Uint8Array, name: string) {
  const signer = await testKey('P-256', 'spki-holder');
  const key: TestKeyPair = { ...signer, spki };
  const issuer = await issueCertificate({ subject: { CN: 'spki issuer' } });
  return parseCertificate((await issueCertificate({ issuer, subject: { CN: name }, key })).der);
}

function spki(algorithm: asn1js.AsnType[], key: Uint8Array): Uint8Array {
  return new Uint8Array(
    new asn1js.Sequence({ value: [new asn1js.Sequence({ value: algorithm }), new asn1js.BitString({ valueHex: key })] }).toBER(),
  );
}

const oid = (value: string) => new asn1js.ObjectIdentifier({ value });

async function leafWith(type: TestKeyType) {
  const issuer = await issueCertificate({ subject: { CN: 'key issuer' } });
  const issued = await issueCertificate({ issuer, subject: { CN: `leaf ${type}` }, key: type });
  return { cert: parseCertificate(issued.der), key: issued.key };
}

async function jwk(key: TestKeyPair): Promise<JsonWebKey> {
  return webcrypto.subtle.exportKey('jwk', key.publicKey);
}

describe('§7.1 step 22: certificatePublicKey', () => {
  it.each([
    ['P-256', ES256],
    ['P-256', ESP256],
    ['P-384', ES384],
    ['P-521', ES512],
  ] as const)('returns the %s point for alg %i', async (type, alg) => {
    const { cert, key } = await leafWith(type);
    const cose = certificatePublicKey(cert, alg);
    const expected = await jwk(key);
    expect(cose).toMatchObject({ kty: 'EC2', alg, crv: type });
    if (cose.kty !== 'EC2') throw new Error('unreachable');
    expect(bytesToBase64Url(cose.x)).toBe(expected.x);
    expect(bytesToBase64Url(cose.y)).toBe(expected.y);
  });

  it.each([
    ['Ed25519', EDDSA],
    ['Ed25519', ED25519],
    ['Ed448', ED448],
  ] as const)('returns the %s key for alg %i', async (type, alg) => {
    const { cert, key } = await leafWith(type);
    const cose = certificatePublicKey(cert, alg);
    expect(cose).toMatchObject({ kty: 'OKP', alg, crv: type });
    if (cose.kty !== 'OKP') throw new Error('unreachable');
    expect(bytesToBase64Url(cose.x)).toBe((await jwk(key)).x);
  });

  it.each([RS256, PS256, RS1])('returns RSA n and e for alg %i', async (alg) => {
    const { cert, key } = await leafWith('RSA-2048');
    const cose = certificatePublicKey(cert, alg);
    const expected = await jwk(key);
    expect(cose).toMatchObject({ kty: 'RSA', alg });
    if (cose.kty !== 'RSA') throw new Error('unreachable');
    expect(bytesToBase64Url(cose.n)).toBe(expected.n);
    expect(bytesToBase64Url(cose.e)).toBe(expected.e);
    expect(cose.n.length).toBe(256);
  });

  it('returns a secp256k1 point for ES256K', async () => {
    const point = secp256k1.getPublicKey(new Uint8Array(32).fill(3), false);
    const cert = await certWithSpki(spki([oid('1.2.840.10045.2.1'), oid('1.3.132.0.10')], point), 'k1');
    expect(certificatePublicKey(cert, ES256K)).toMatchObject({ kty: 'EC2', crv: 'secp256k1', x: point.slice(1, 33) });
    expectCode(() => certificatePublicKey(cert, ES256), 'ERR_CERT_KEY_MISMATCH');
  });

  it('returns an ML-DSA-44 key', async () => {
    const pub = new Uint8Array(1312).fill(9);
    const cert = await certWithSpki(spki([oid('2.16.840.1.101.3.4.3.17')], pub), 'mldsa');
    expect(certificatePublicKey(cert, ML_DSA_44)).toEqual({ kty: 'AKP', alg: ML_DSA_44, variant: 'ML-DSA-44', pub });
  });

  it('reads the key of real attestation certificates', () => {
    const vectors = loadX5cVectors();
    const yubico = parseCertificate(vectors.find((v) => v.id === 'pyw-packed-yubico-es256')!.x5c[0]!);
    expect(certificatePublicKey(yubico, ES256)).toMatchObject({ kty: 'EC2', crv: 'P-256' });
    const tpm = parseCertificate(vectors.find((v) => v.id === 'pyw-tpm-rs256-dell-xps-13')!.x5c[0]!);
    expect(certificatePublicKey(tpm, RS256)).toMatchObject({ kty: 'RSA', e: Uint8Array.of(1, 0, 1) });
  });
});

describe('certificatePublicKey: mismatches', () => {
  it.each([
    ['P-256', ES384],
    ['P-384', ES256],
    ['P-256', RS256],
    ['P-256', EDDSA],
    ['RSA-2048', ES256],
    ['RSA-2048', EDDSA],
    ['Ed25519', ED448],
    ['Ed448', EDDSA],
    ['Ed25519', RS256],
    ['Ed25519', ML_DSA_44],
  ] as const)('a %s key with alg %i → ERR_CERT_KEY_MISMATCH', async (type, alg) => {
    const { cert } = await leafWith(type);
    expectCode(() => certificatePublicKey(cert, alg), 'ERR_CERT_KEY_MISMATCH');
  });

  it('an unknown COSE algorithm → ERR_ALG_UNSUPPORTED', async () => {
    const { cert } = await leafWith('P-256');
    expectCode(() => certificatePublicKey(cert, -12345), 'ERR_ALG_UNSUPPORTED');
  });

  it('a compressed EC point → ERR_CERT_KEY_MISMATCH (§5.8.5)', async () => {
    const { cert } = await leafWith('P-256');
    const cose = certificatePublicKey(cert, ES256);
    if (cose.kty !== 'EC2') throw new Error('unreachable');
    const compressed = Uint8Array.of(2 + ((cose.y[31] as number) & 1), ...cose.x);
    const bad = await certWithSpki(spki([oid('1.2.840.10045.2.1'), oid('1.2.840.10045.3.1.7')], compressed), 'compressed');
    expectCode(() => certificatePublicKey(bad, ES256), 'ERR_CERT_KEY_MISMATCH');
  });

  it('an EC point of the wrong length → ERR_CERT_KEY_MISMATCH', async () => {
    const bad = await certWithSpki(
      spki([oid('1.2.840.10045.2.1'), oid('1.2.840.10045.3.1.7')], Uint8Array.of(4, ...new Uint8Array(63))),
      'short point',
    );
    expectCode(() => certificatePublicKey(bad, ES256), 'ERR_CERT_KEY_MISMATCH');
  });

  it('an Ed25519 key of the wrong length → ERR_CERT_KEY_MISMATCH', async () => {
    const bad = await certWithSpki(spki([oid('1.3.101.112')], new Uint8Array(31)), 'short ed25519');
    expectCode(() => certificatePublicKey(bad, EDDSA), 'ERR_CERT_KEY_MISMATCH');
  });

  it('an RSA key below 2048 bits → ERR_CERT_KEY_MISMATCH', async () => {
    const pair = (await webcrypto.subtle.generateKey(
      { name: 'RSASSA-PKCS1-v1_5', modulusLength: 1024, publicExponent: new Uint8Array([1, 0, 1]), hash: 'SHA-256' },
      true,
      ['sign', 'verify'],
    )) as CryptoKeyPair;
    const small = new Uint8Array(await webcrypto.subtle.exportKey('spki', pair.publicKey));
    const cert = await certWithSpki(small, 'rsa 1024');
    expectCode(() => certificatePublicKey(cert, RS256), 'ERR_CERT_KEY_MISMATCH');
  });

  it('an RSA key with an even exponent → ERR_CERT_KEY_MISMATCH', async () => {
    const n = new Uint8Array(256).fill(0xab);
    const rsaPublicKey = new asn1js.Sequence({
      value: [new asn1js.Integer({ valueHex: Uint8Array.of(0, ...n) }), new asn1js.Integer({ value: 65536 })],
    });
    const bytes = new Uint8Array(rsaPublicKey.toBER());
    const cert = await certWithSpki(spki([oid('1.2.840.113549.1.1.1'), new asn1js.Null()], bytes), 'even e');
    expectCode(() => certificatePublicKey(cert, RS256), 'ERR_CERT_KEY_MISMATCH');
  });

  it('an RSA key that is not an RSAPublicKey → ERR_CERT_MALFORMED', async () => {
    const cert = await certWithSpki(spki([oid('1.2.840.113549.1.1.1'), new asn1js.Null()], Uint8Array.of(1, 2, 3)), 'bad rsa');
    expectCode(() => certificatePublicKey(cert, RS256), 'ERR_CERT_MALFORMED');
  });
});
