/**
 * Issue 14, certificate findings, through the public API (verifyRegistrationResponse of
 * src/index.ts and the low-level exports): DER on every signed structure (hostile re-encodings of a
 * genuine trusted certificate), exact RSASSA-PSS parameters, bounded issuer RSA keys, results that
 * own their bytes. Each rejection asserts its exact code; each has a positive control.
 */
import { Decoder } from 'cbor-x';
import { beforeAll, describe, expect, it } from 'vitest';
import { verifyRegistrationResponse } from '../../src/index.js';
import { parseCertificate, validateCertificatePath } from '../../src/low-level.js';
import type { RegistrationResponseJSON } from '../../src/types.js';
import { expectRejection } from '../helpers/expect-code.js';
import { type InteropVector, loadInteropVectors } from '../helpers/interop.js';
import { createAndroidKeyRegistration, createAppleRegistration } from '../helpers/synthetic-android-apple.js';
import {
  attestationCa,
  b64u,
  createRegistration,
  DEFAULT_AAGUID,
  encodeAttestationObject,
  signWithKeyPair,
} from '../helpers/synthetic-registration.js';
import { createTestCa, type TestCa, TEST_NOW, testKey } from '../helpers/test-ca.js';
import {
  bytesOf,
  childrenOf,
  concat,
  contentOf,
  ecdsaSignatureOf,
  ecdsaSignatureValue,
  joinCertificate,
  readTlv,
  replaceTbsMember,
  rsaPssSign,
  splitCertificate,
  tbsMembers,
  tlv,
} from './der-edit.js';

const cbor = new Decoder({ mapsAsObjects: false, useRecords: false });

// ------------------------------------------------------------------ a genuine trusted certificate

/** The W3C L3 §16 packed ES256 vector: a leaf issued by the published W3C test CA, trusted. */
let vector: InteropVector;
let genuineLeaf: Uint8Array;

function responseWithLeaf(leaf: Uint8Array): RegistrationResponseJSON {
  const response = vector.response as unknown as RegistrationResponseJSON;
  const object = cbor.decode(Buffer.from(response.response.attestationObject, 'base64url')) as Map<string, unknown>;
  const attStmt = new Map(object.get('attStmt') as Map<unknown, unknown>);
  const x5c = [...(attStmt.get('x5c') as Uint8Array[])];
  x5c[0] = leaf;
  attStmt.set('x5c', x5c);
  const attestationObject = b64u(encodeAttestationObject(object.get('fmt'), attStmt, object.get('authData')));
  return { ...response, response: { ...response.response, attestationObject } };
}

function verifyWithLeaf(leaf: Uint8Array) {
  return verifyRegistrationResponse(responseWithLeaf(leaf), {
    challenge: vector.expected.challenge,
    origin: vector.expected.origin,
    rpId: vector.expected.rpId,
    now: new Date(vector.verificationTime ?? TEST_NOW),
    attestation: { trustAnchors: [...vector.trustAnchors], require: 'trusted' },
  });
}

beforeAll(() => {
  const found = loadInteropVectors().find((v) => v.id === 'w3c-packed-es256');
  if (found === undefined) throw new Error('w3c-packed-es256 is missing from the interop vectors');
  vector = found;
  const response = vector.response as unknown as RegistrationResponseJSON;
  const object = cbor.decode(Buffer.from(response.response.attestationObject, 'base64url')) as Map<string, unknown>;
  // A plain copy: cbor-x returns Buffers, whose slice() shares memory.
  genuineLeaf = new Uint8Array(((object.get('attStmt') as Map<string, unknown>).get('x5c') as Uint8Array[])[0] as Uint8Array);
});

describe('issue 14: DER re-encodings of a genuine trusted certificate are refused', () => {
  it('positive control: the genuine certificate is trusted', async () => {
    const result = await verifyWithLeaf(genuineLeaf);
    expect(result.attestation).toMatchObject({ format: 'packed', type: 'basic', trusted: true });
  });

  const reencodings: [string, () => Uint8Array][] = [
    [
      'outer length one too short (the signature overruns its parent)',
      () => {
        const der = genuineLeaf.slice();
        // 30 82 HH LL: the Certificate SEQUENCE length minus one.
        const length = (der[2] as number) * 256 + (der[3] as number) - 1;
        der[2] = length >> 8;
        der[3] = length & 0xff;
        return der;
      },
    ],
    [
      'inner ECDSA signature SEQUENCE length one too long',
      () => {
        const parts = splitCertificate(genuineLeaf);
        const bitString = parts.signatureValue.slice();
        const header = readTlv(bitString).contentStart;
        // BIT STRING content: 00 (unused bits) 30 LL …: LL + 1.
        bitString[header + 2] = (bitString[header + 2] as number) + 1;
        return joinCertificate({ ...parts, signatureValue: bitString });
      },
    ],
    [
      'inner ECDSA signature SEQUENCE length one too short',
      () => {
        const parts = splitCertificate(genuineLeaf);
        const bitString = parts.signatureValue.slice();
        const header = readTlv(bitString).contentStart;
        bitString[header + 2] = (bitString[header + 2] as number) - 1;
        return joinCertificate({ ...parts, signatureValue: bitString });
      },
    ],
    [
      'non-minimal long-form length on the signatureValue',
      () => {
        const parts = splitCertificate(genuineLeaf);
        const content = contentOf(parts.signatureValue, readTlv(parts.signatureValue));
        return joinCertificate({ ...parts, signatureValue: tlv(0x03, content, 1) });
      },
    ],
    ['non-minimal long-form length on the Certificate SEQUENCE', () => joinCertificate(splitCertificate(genuineLeaf), 1)],
    [
      'a redundant leading zero on r of the ECDSA signature',
      () => {
        const { r, s } = ecdsaSignatureOf(genuineLeaf);
        return joinCertificate({ ...splitCertificate(genuineLeaf), signatureValue: ecdsaSignatureValue(concat(Uint8Array.of(0), r), s) });
      },
    ],
    [
      'a trailing byte after the certificate',
      () => concat(genuineLeaf, Uint8Array.of(0)),
    ],
  ];

  for (const [name, make] of reencodings) {
    it(`${name} → ERR_CERT_MALFORMED`, async () => {
      const hostile = make();
      // The same tbsCertificate under the same signature bits: only the encoding differs.
      expect(Buffer.from(hostile).equals(Buffer.from(genuineLeaf))).toBe(false);
      await expectRejection(verifyWithLeaf(hostile), 'ERR_CERT_MALFORMED');
      expect(() => parseCertificate(hostile)).toThrow(expect.objectContaining({ code: 'ERR_CERT_MALFORMED' }));
    });
  }
});

describe('issue 14: encoding rules only, no schema strictness inside extensions the library does not interpret', () => {
  it('TPM AIK certificates whose certificatePolicies userNotice explicitText is a PrintableString still verify', async () => {
    const tpm = loadInteropVectors().filter((v) => v.id.startsWith('gow-tpm-'));
    expect(tpm.length).toBeGreaterThanOrEqual(2);
    for (const v of tpm) {
      const response = v.response as unknown as RegistrationResponseJSON;
      const object = cbor.decode(Buffer.from(response.response.attestationObject, 'base64url')) as Map<string, unknown>;
      const aik = parseCertificate(new Uint8Array(((object.get('attStmt') as Map<string, unknown>).get('x5c') as Uint8Array[])[0]!));
      const policies = aik.extensions.find((extension) => extension.oid === '2.5.29.32');
      // id-qt-unotice (1.3.6.1.5.5.7.2.2) followed by SEQUENCE { PrintableString … }.
      expect(Buffer.from(policies!.value).toString('hex'), v.id).toMatch(/06082b06010505070202302a1328/);
      const result = await verifyRegistrationResponse(response, {
        challenge: v.expected.challenge,
        origin: v.expected.origin,
        rpId: v.expected.rpId,
        algorithms: [-257, -65535, -7],
        ...(v.verificationTime === null ? {} : { now: new Date(v.verificationTime) }),
        attestation: { require: 'valid' },
      });
      expect(result.attestation, v.id).toMatchObject({ format: 'tpm', type: 'attca' });
    }
  });
});

// ------------------------------------------------------------------ re-signed TBS re-encodings

/** Re-signs `tbs` with the P-256 key of `issuer` (ECDSA with SHA-256), algorithm unchanged. */
async function resignEcdsa(original: Uint8Array, tbs: Uint8Array, issuer: CryptoKey): Promise<Uint8Array> {
  const raw = new Uint8Array(await crypto.subtle.sign({ name: 'ECDSA', hash: 'SHA-256' }, issuer, tbs as Uint8Array<ArrayBuffer>));
  const integer = (bytes: Uint8Array) => {
    let start = 0;
    while (start < bytes.length - 1 && bytes[start] === 0 && (bytes[start + 1] as number) < 0x80) start++;
    const trimmed = bytes.subarray(start);
    return (trimmed[0] as number) >= 0x80 ? concat(Uint8Array.of(0), trimmed) : trimmed;
  };
  const parts = splitCertificate(original);
  return joinCertificate({ tbs, algorithm: parts.algorithm, signatureValue: ecdsaSignatureValue(integer(raw.subarray(0, 32)), integer(raw.subarray(32))) });
}

/** A packed registration whose leaf is `leaf` (issued under `ca`), verified with trust required. */
async function packedWithLeaf(ca: TestCa, leaf: Uint8Array) {
  const registration = await createRegistration({ format: 'packed', ca: { ...ca, leaf: { ...ca.leaf, der: leaf }, x5c: [leaf, ...ca.x5c.slice(1)] } });
  return verifyRegistrationResponse(registration.response, registration.expected);
}

describe('issue 14: DEFAULT values written out are not DER (X.690 §11.5)', () => {
  let ca: TestCa;
  beforeAll(async () => {
    ca = await attestationCa({ name: 'DER defaults', leaf: { aaguid: DEFAULT_AAGUID } });
  });

  it('positive control: the re-signed leaf, unchanged, is trusted', async () => {
    const tbs = splitCertificate(ca.leaf.der).tbs;
    const result = await packedWithLeaf(ca, await resignEcdsa(ca.leaf.der, tbs, ca.intermediate.privateKey));
    expect(result.attestation.trusted).toBe(true);
  });

  it('basicConstraints with cA FALSE written out → ERR_CERT_EXTENSION_INVALID', async () => {
    const written = await attestationCa({
      name: 'DER defaults cA',
      leaf: { aaguid: DEFAULT_AAGUID, basicConstraints: null, extensions: [{ oid: '2.5.29.19', critical: true, value: Uint8Array.of(0x30, 0x03, 0x01, 0x01, 0x00) }] },
    });
    await expectRejection(packedWithLeaf(written, written.leaf.der), 'ERR_CERT_EXTENSION_INVALID');
  });

  it('version v1 written out explicitly (a v1 root without extensions) → ERR_CERT_MALFORMED', async () => {
    const members = tbsMembers(splitCertificate(ca.root.der).tbs);
    const v1 = (version: Uint8Array[]) => tlv(0x30, concat(...version, ...members.slice(1, -1)));
    // Control: the same v1 root with the version left out (DER) parses.
    const implicit = await resignEcdsa(ca.root.der, v1([]), ca.root.privateKey);
    expect(parseCertificate(implicit).version).toBe(1);
    const explicitV1 = await resignEcdsa(ca.root.der, v1([Uint8Array.of(0xa0, 0x03, 0x02, 0x01, 0x00)]), ca.root.privateKey);
    expect(() => parseCertificate(explicitV1)).toThrow(expect.objectContaining({ code: 'ERR_CERT_MALFORMED' }));
  });

  it('an extension with critical FALSE written out → ERR_CERT_MALFORMED', async () => {
    const tbs = splitCertificate(ca.leaf.der).tbs;
    const members = tbsMembers(tbs);
    const extensionsIndex = members.length - 1;
    const wrapper = members[extensionsIndex] as Uint8Array;
    const list = childrenOf(wrapper, readTlv(wrapper))[0]!;
    const extensions = childrenOf(wrapper, list).map((extension) => {
      const parts = childrenOf(wrapper, extension).map((part) => bytesOf(wrapper, part));
      // A non-critical extension (oid, extnValue) gets an explicit `critical FALSE`.
      return parts.length === 2 ? tlv(0x30, concat(parts[0]!, Uint8Array.of(0x01, 0x01, 0x00), parts[1]!)) : bytesOf(wrapper, extension);
    });
    const rewritten = tlv(0xa3, tlv(0x30, concat(...extensions)));
    const hostile = await resignEcdsa(ca.leaf.der, replaceTbsMember(tbs, extensionsIndex, rewritten), ca.intermediate.privateKey);
    await expectRejection(packedWithLeaf(ca, hostile), 'ERR_CERT_MALFORMED');
  });

  it('a non-minimal INTEGER inside the Android KeyDescription → ERR_ANDROID_KEY_DESCRIPTION_INVALID', async () => {
    const control = await createAndroidKeyRegistration({ caName: 'KeyDescription DER' });
    expect((await verifyRegistrationResponse(control.response, control.expected)).attestation.trusted).toBe(true);
    const registration = await createAndroidKeyRegistration({
      caName: 'KeyDescription DER',
      // attestationVersion 02 01 03 → 02 02 00 03: the same value, one redundant octet.
      keyDescriptionTransform: (der) => {
        const members = childrenOf(der, readTlv(der)).map((member) => bytesOf(der, member));
        members[0] = Uint8Array.of(0x02, 0x02, 0x00, members[0]![2]!);
        return tlv(0x30, concat(...members));
      },
    });
    await expectRejection(verifyRegistrationResponse(registration.response, registration.expected), 'ERR_ANDROID_KEY_DESCRIPTION_INVALID');
  });
});

// ------------------------------------------------------------------ absent basicConstraints

describe('issue 14: a leaf without basicConstraints is accepted for android-key and apple (RFC 5280 §4.2.1.9)', () => {
  it('android-key: trusted with the leaf lacking basicConstraints', async () => {
    const registration = await createAndroidKeyRegistration({ caName: 'No BC android', leafBasicConstraints: null });
    const result = await verifyRegistrationResponse(registration.response, registration.expected);
    expect(result.attestation).toMatchObject({ format: 'android-key', trusted: true });
  });

  it('apple: trusted with credCert lacking basicConstraints', async () => {
    const registration = await createAppleRegistration({ caName: 'No BC apple', leafBasicConstraints: null });
    const result = await verifyRegistrationResponse(registration.response, registration.expected);
    expect(result.attestation).toMatchObject({ format: 'apple', type: 'anonca', trusted: true });
  });
});

// ------------------------------------------------------------------ RSASSA-PSS

const OID = {
  pss: Uint8Array.of(0x06, 0x09, 0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x01, 0x0a),
  mgf1: Uint8Array.of(0x06, 0x09, 0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x01, 0x08),
  sha1: Uint8Array.of(0x06, 0x05, 0x2b, 0x0e, 0x03, 0x02, 0x1a),
  sha256: Uint8Array.of(0x06, 0x09, 0x60, 0x86, 0x48, 0x01, 0x65, 0x03, 0x04, 0x02, 0x01),
  sha384: Uint8Array.of(0x06, 0x09, 0x60, 0x86, 0x48, 0x01, 0x65, 0x03, 0x04, 0x02, 0x02),
};
const NULL = Uint8Array.of(0x05, 0x00);
const hashId = (oid: Uint8Array) => tlv(0x30, concat(oid, NULL));
const explicit = (tag: number, inner: Uint8Array) => tlv(0xa0 + tag, inner);
const integer = (value: number) => (value < 0x80 ? Uint8Array.of(0x02, 0x01, value) : Uint8Array.of(0x02, 0x02, value >> 8, value & 0xff));

interface PssCase {
  readonly params: Uint8Array | undefined;
  readonly hash: 'sha1' | 'sha256' | 'sha384';
  readonly salt: number;
}

/** RSASSA-PSS-params members in order. */
function pssParams(members: { hash?: Uint8Array; mgfHash?: Uint8Array; salt?: number; trailer?: number }): Uint8Array {
  const parts: Uint8Array[] = [];
  if (members.hash !== undefined) parts.push(explicit(0, hashId(members.hash)));
  if (members.mgfHash !== undefined) parts.push(explicit(1, tlv(0x30, concat(OID.mgf1, hashId(members.mgfHash)))));
  if (members.salt !== undefined) parts.push(explicit(2, integer(members.salt)));
  if (members.trailer !== undefined) parts.push(explicit(3, integer(members.trailer)));
  return tlv(0x30, concat(...parts));
}

describe('issue 14: RSASSA-PSS certificate signatures (RFC 4055 §3.1)', () => {
  let rsaCa: TestCa;
  beforeAll(async () => {
    rsaCa = await createTestCa({ name: 'PSS', rootKey: 'RSA-2048', intermediates: 0, leaf: { aaguid: DEFAULT_AAGUID } });
  });

  /** The leaf re-signed by the RSA root with RSASSA-PSS, declaring `params`. */
  function pssLeaf({ params, hash, salt }: PssCase): Uint8Array {
    const algorithm = tlv(0x30, params === undefined ? OID.pss : concat(OID.pss, params));
    const tbs = replaceTbsMember(splitCertificate(rsaCa.leaf.der).tbs, 2, algorithm);
    const signature = rsaPssSign(rsaCa.root.privateKey, hash, salt, tbs);
    return joinCertificate({ tbs, algorithm, signatureValue: tlv(0x03, concat(Uint8Array.of(0), signature)) });
  }

  const verifyPss = (leaf: Uint8Array) => packedWithLeaf(rsaCa, leaf);
  const SHA256 = pssParams({ hash: OID.sha256, mgfHash: OID.sha256, salt: 32 });

  it('positive controls: SHA-256 and SHA-384 with MGF1 of the same hash and a hash-length salt are trusted', async () => {
    expect((await verifyPss(pssLeaf({ params: SHA256, hash: 'sha256', salt: 32 }))).attestation.trusted).toBe(true);
    const sha384 = pssParams({ hash: OID.sha384, mgfHash: OID.sha384, salt: 48 });
    expect((await verifyPss(pssLeaf({ params: sha384, hash: 'sha384', salt: 48 }))).attestation.trusted).toBe(true);
  });

  it('absent parameters (SHA-1, MGF1-SHA-1, salt 20) → ERR_CERT_SIGNATURE_ALG_UNSUPPORTED', async () => {
    await expectRejection(verifyPss(pssLeaf({ params: undefined, hash: 'sha1', salt: 20 })), 'ERR_CERT_SIGNATURE_ALG_UNSUPPORTED');
  });

  it('empty parameters SEQUENCE (all DEFAULTs: SHA-1) → ERR_CERT_SIGNATURE_ALG_UNSUPPORTED', async () => {
    await expectRejection(verifyPss(pssLeaf({ params: Uint8Array.of(0x30, 0x00), hash: 'sha1', salt: 20 })), 'ERR_CERT_SIGNATURE_ALG_UNSUPPORTED');
  });

  it('declares MGF1-SHA-1 (by default) with SHA-256 but was signed with MGF1-SHA-256 → ERR_CERT_SIGNATURE_ALG_UNSUPPORTED', async () => {
    const declared = pssParams({ hash: OID.sha256, salt: 32 });
    await expectRejection(verifyPss(pssLeaf({ params: declared, hash: 'sha256', salt: 32 })), 'ERR_CERT_SIGNATURE_ALG_UNSUPPORTED');
  });

  it('a salt length other than the hash length → ERR_CERT_SIGNATURE_ALG_UNSUPPORTED', async () => {
    const declared = pssParams({ hash: OID.sha256, mgfHash: OID.sha256, salt: 0 });
    await expectRejection(verifyPss(pssLeaf({ params: declared, hash: 'sha256', salt: 0 })), 'ERR_CERT_SIGNATURE_ALG_UNSUPPORTED');
  });

  it('a trailerField other than 1 → ERR_CERT_SIGNATURE_ALG_UNSUPPORTED', async () => {
    const declared = pssParams({ hash: OID.sha256, mgfHash: OID.sha256, salt: 32, trailer: 2 });
    await expectRejection(verifyPss(pssLeaf({ params: declared, hash: 'sha256', salt: 32 })), 'ERR_CERT_SIGNATURE_ALG_UNSUPPORTED');
  });

  it('DEFAULT values written out (hash SHA-1, salt 20, trailer 1) → ERR_CERT_MALFORMED', async () => {
    for (const declared of [
      pssParams({ hash: OID.sha1 }),
      pssParams({ hash: OID.sha256, mgfHash: OID.sha256, salt: 20 }),
      pssParams({ hash: OID.sha256, mgfHash: OID.sha256, salt: 32, trailer: 1 }),
    ]) {
      await expectRejection(verifyPss(pssLeaf({ params: declared, hash: 'sha256', salt: 32 })), 'ERR_CERT_MALFORMED');
    }
  });

  it('members out of order → ERR_CERT_MALFORMED', async () => {
    const declared = tlv(0x30, concat(explicit(2, integer(32)), explicit(0, hashId(OID.sha256))));
    await expectRejection(verifyPss(pssLeaf({ params: declared, hash: 'sha256', salt: 32 })), 'ERR_CERT_MALFORMED');
  });
});

// ------------------------------------------------------------------ issuer RSA key bounds

describe('issue 14: issuer RSA keys are bounded like credential keys', () => {
  it('an intermediate whose RSA exponent has 3070 bits → ERR_CERT_CHAIN_INVALID (reason issuer-key) before any verification', async () => {
    const rsa = await testKey('RSA-2048', 'issuer-bounds');
    // The intermediate's SPKI with the real modulus and a huge odd exponent.
    const spki = rsa.spki;
    const outer = readTlv(spki);
    const [algorithm, bitString] = childrenOf(spki, outer) as [ReturnType<typeof readTlv>, ReturnType<typeof readTlv>];
    const keyDer = contentOf(spki, bitString).subarray(1);
    const [modulus] = childrenOf(keyDer, readTlv(keyDer));
    const e = new Uint8Array(384).fill(0xff);
    e[0] = 0x3f;
    const hugeE = tlv(0x02, e);
    const rsaPublicKey = tlv(0x30, concat(bytesOf(keyDer, modulus!), hugeE));
    const hostileSpki = tlv(0x30, concat(bytesOf(spki, algorithm), tlv(0x03, concat(Uint8Array.of(0), rsaPublicKey))));
    const ca = await createTestCa({
      name: 'Issuer bounds',
      intermediate: { key: { ...rsa, spki: hostileSpki } },
      leaf: { aaguid: DEFAULT_AAGUID },
    });
    const chain = ca.x5c.map((der) => parseCertificate(der));
    const error = await expectRejection(
      validateCertificatePath({ chain, trustAnchors: [parseCertificate(ca.root.der)], now: TEST_NOW }),
      'ERR_CERT_CHAIN_INVALID',
    );
    expect(error.details?.reason).toBe('issuer-key');
  });

  it('positive control: an RSA-2048 intermediate with e = 65537 verifies', async () => {
    const ca = await createTestCa({ name: 'Issuer bounds ok', intermediateKey: 'RSA-2048', leaf: { aaguid: DEFAULT_AAGUID } });
    const chain = ca.x5c.map((der) => parseCertificate(der));
    const result = await validateCertificatePath({ chain, trustAnchors: [parseCertificate(ca.root.der)], now: TEST_NOW });
    expect(result.trusted).toBe(true);
  });
});

// ------------------------------------------------------------------ owned bytes

describe('issue 14: results own their bytes (no cached arrays handed out)', () => {
  it('mutating trustPath, trustAnchor and a parsed spki changes nothing for the next registration', async () => {
    const registration = await createRegistration({ format: 'packed', ca: { name: 'Owned bytes', leaf: { aaguid: DEFAULT_AAGUID } } });
    const first = await verifyRegistrationResponse(registration.response, registration.expected);
    const path = first.attestation.trustPath.map((der) => der.slice());
    const anchor = first.attestation.trustAnchor?.slice();
    expect(anchor).toBeDefined();
    for (const der of first.attestation.trustPath) der.fill(0);
    first.attestation.trustAnchor?.fill(0);
    // The cached parsed certificate hands out copies: zeroing one changes neither it nor the key read from it.
    const leaf = parseCertificate(path[0]!);
    leaf.spki.fill(0);
    leaf.der.fill(0);
    expect(leaf.spki.some((byte) => byte !== 0)).toBe(true);
    expect(Buffer.from(leaf.der).equals(Buffer.from(path[0]!))).toBe(true);

    const second = await verifyRegistrationResponse(registration.response, registration.expected);
    expect(second.attestation.trustPath.map((der) => Buffer.from(der).toString('hex'))).toEqual(path.map((der) => Buffer.from(der).toString('hex')));
    expect(Buffer.from(second.attestation.trustAnchor!).equals(Buffer.from(anchor!))).toBe(true);
    expect(second.attestation.trustPath[0]).not.toBe(first.attestation.trustPath[0]);
  });

  it('a key substitution through a mutated spki is impossible: a statement signed by another key still fails', async () => {
    const registration = await createRegistration({ format: 'packed', ca: { name: 'Owned spki', leaf: { aaguid: DEFAULT_AAGUID } } });
    await verifyRegistrationResponse(registration.response, registration.expected);
    const other = await testKey('P-256', 'substitute');
    const leaf = parseCertificate((registration.attStmt.get('x5c') as Uint8Array[])[0]!);
    // Overwrite the SPKI the caller was handed with another key's: the library's copy is untouched.
    leaf.spki.set(other.spki.subarray(0, Math.min(other.spki.length, leaf.spki.length)));
    const forged = await createRegistration({
      format: 'packed',
      ca: { name: 'Owned spki', leaf: { aaguid: DEFAULT_AAGUID } },
      signer: ({ data }) => signWithKeyPair(other, -7, data),
    });
    await expectRejection(verifyRegistrationResponse(forged.response, forged.expected), 'ERR_ATTESTATION_SIGNATURE_INVALID');
  });
});
