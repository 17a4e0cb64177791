/**
 * A test certificate authority: root → intermediate → leaf certificates with chosen names,
 * validity, extensions and keys (EC P-256/P-384/P-521, RSA-2048, Ed25519/Ed448 leaves), built with
 * pkijs and WebCrypto, plus CRLs. For attestation tests: every certificate comes with its
 * private CryptoKey, so a synthetic authenticator can sign with the leaf key.
 *
 * Deterministic as far as WebCrypto allows: EC and EdDSA keys derive from a seed string, serial
 * numbers from the subject; ECDSA signatures stay randomized (unless `deterministicSignature` /
 * `deterministic` asks for RFC 6979 ones) and RSA keys are generated once per process and seed.
 *
 * ```ts
 * const ca = await createTestCa({ leaf: { subject: PACKED_SUBJECT, aaguid } });
 * // ca.x5c = [leaf DER, intermediate DER], ca.trustAnchors = [root DER], ca.leaf.privateKey
 * ```
 */
import { createHash, webcrypto } from 'node:crypto';
import { ed25519 } from '@noble/curves/ed25519.js';
import { ed448 } from '@noble/curves/ed448.js';
import { p256, p384, p521 } from '@noble/curves/nist.js';
import * as asn1js from 'asn1js';
import * as pkijs from 'pkijs';
import { bytesToBase64Url } from '../../src/encoding/base64url.js';
import { KEY_USAGE_NAMES, type KeyUsageName } from '../../src/x509/index.js';

export type TestKeyType = 'P-256' | 'P-384' | 'P-521' | 'RSA-2048' | 'Ed25519' | 'Ed448';

/** A key pair in WebCrypto form with its SubjectPublicKeyInfo DER. */
export interface TestKeyPair {
  readonly type: TestKeyType;
  readonly privateKey: CryptoKey;
  readonly publicKey: CryptoKey;
  readonly spki: Uint8Array;
}

/**
 * A name: an object in attribute order (`{ C: 'US', O: 'Acme', CN: 'x' }`, short names or OIDs)
 * or a list of `[type, value]` / `[type, value, asn1Tag]` (for repeated attributes or chosen
 * string types: 12 UTF8String, 19 PrintableString, 22 IA5String).
 */
export type NameInput = Readonly<Record<string, string>> | readonly (readonly [string, string, number?])[];

export type KeyUsage = KeyUsageName;

/** A raw extension: `value` is the DER placed in extnValue. */
export interface RawExtension {
  readonly oid: string;
  readonly critical?: boolean;
  readonly value: Uint8Array;
}

export interface IssueOptions {
  /** The issuing certificate; absent → self-signed with `key`. */
  readonly issuer?: TestCertificate | undefined;
  readonly subject: NameInput;
  /** The subject key, or the type of a key to derive from `keySeed` (default P-256). */
  readonly key?: TestKeyPair | TestKeyType | undefined;
  /** Seed of the derived key (default: the subject text). */
  readonly keySeed?: string | undefined;
  /** Default 2024-01-01T00:00:00Z. */
  readonly notBefore?: Date | undefined;
  /** Default 2044-01-01T00:00:00Z. */
  readonly notAfter?: Date | undefined;
  /** Default: derived from subject and validity. */
  readonly serialNumber?: Uint8Array | number | undefined;
  /** Default 3. A v1 certificate carries no extensions. */
  readonly version?: 1 | 3 | undefined;
  /** `null` → no basicConstraints extension. Default: `{ ca: true }` when self-signed, else `{ ca: false }`. */
  readonly basicConstraints?: { readonly ca: boolean; readonly pathLenConstraint?: number; readonly critical?: boolean } | null;
  /** Default: `['keyCertSign', 'cRLSign']` for CAs, none for leaves. `null` → no extension. */
  readonly keyUsage?: readonly KeyUsage[] | { readonly usages: readonly KeyUsage[]; readonly critical?: boolean } | null;
  readonly extKeyUsage?: readonly string[] | undefined;
  /** id-fido-gen-ce-aaguid: 16 bytes, or full control over criticality and the raw extnValue. */
  readonly aaguid?: Uint8Array | { readonly value?: Uint8Array; readonly raw?: Uint8Array; readonly critical?: boolean } | undefined;
  readonly subjectAltName?: {
    readonly directoryName?: NameInput;
    readonly dnsName?: string;
    readonly critical?: boolean;
  };
  /** More extensions, appended as given. */
  readonly extensions?: readonly RawExtension[] | undefined;
  /** Hash of the issuer's signature (default SHA-256; RSA keys are bound to SHA-256). */
  readonly hash?: 'SHA-1' | 'SHA-256' | 'SHA-384' | 'SHA-512' | undefined;
  /** Issuer name to write instead of the issuer certificate's subject. */
  readonly issuerName?: NameInput | undefined;
  /**
   * Sign ECDSA certificates with RFC 6979 deterministic nonces (@noble/curves) instead of
   * WebCrypto's random ones, so that the same inputs give byte-identical certificates (generated
   * fixtures). Ed25519/Ed448 and RSA PKCS#1 v1.5 signatures are deterministic anyway.
   */
  readonly deterministicSignature?: boolean | undefined;
}

/** An issued certificate with its key. */
export interface TestCertificate {
  readonly der: Uint8Array;
  readonly pem: string;
  readonly key: TestKeyPair;
  readonly privateKey: CryptoKey;
  /** DER of the subject Name. */
  readonly subjectDer: Uint8Array;
  /** Serial number content octets. */
  readonly serialNumber: Uint8Array;
}

export const DEFAULT_NOT_BEFORE = new Date('2024-01-01T00:00:00Z');
export const DEFAULT_NOT_AFTER = new Date('2044-01-01T00:00:00Z');
/** A time at which every default certificate is valid. */
export const TEST_NOW = new Date('2030-06-01T00:00:00Z');

/** A subject meeting WebAuthn §8.2.1 (packed attestation certificate). */
export const PACKED_SUBJECT: NameInput = Object.freeze({
  C: 'US',
  O: 'Test Authenticator Vendor',
  OU: 'Authenticator Attestation',
  CN: 'Test Batch Certificate',
});

export const OID_FIDO_AAGUID = '1.3.6.1.4.1.45724.1.1.4';

const ATTRIBUTE_OIDS: Readonly<Record<string, string>> = {
  CN: '2.5.4.3',
  SN: '2.5.4.4',
  serialNumber: '2.5.4.5',
  C: '2.5.4.6',
  L: '2.5.4.7',
  ST: '2.5.4.8',
  O: '2.5.4.10',
  OU: '2.5.4.11',
  emailAddress: '1.2.840.113549.1.9.1',
  tpmManufacturer: '2.23.133.2.1',
  tpmModel: '2.23.133.2.2',
  tpmVersion: '2.23.133.2.3',
};

const KEY_USAGE_BITS: readonly KeyUsage[] = KEY_USAGE_NAMES;

let engine: pkijs.CryptoEngine | undefined;

/** A private pkijs engine over Node's WebCrypto (never the global setEngine). */
export function testCryptoEngine(): pkijs.CryptoEngine {
  engine ??= new pkijs.CryptoEngine({ name: 'test-ca', crypto: webcrypto as unknown as Crypto });
  return engine;
}

const subtle = webcrypto.subtle;

const EC_CURVES = { 'P-256': p256, 'P-384': p384, 'P-521': p521 } as const;
const privateJwks = new WeakMap<CryptoKey, Promise<JsonWebKey>>();

function privateJwk(key: CryptoKey): Promise<JsonWebKey> {
  let jwk = privateJwks.get(key);
  if (jwk === undefined) {
    jwk = subtle.exportKey('jwk', key);
    privateJwks.set(key, jwk);
  }
  return jwk;
}

/** A pkijs engine that makes ECDSA signatures with RFC 6979 nonces; everything else as WebCrypto. */
class DeterministicEngine extends pkijs.CryptoEngine {
  override async signWithPrivateKey(
    data: BufferSource,
    privateKey: CryptoKey,
    parameters: pkijs.CryptoEngineSignWithPrivateKeyParams,
  ): Promise<ArrayBuffer> {
    const algorithm = parameters.algorithm as EcdsaParams & { hash: { name: string } };
    if (algorithm.name !== 'ECDSA') return super.signWithPrivateKey(data, privateKey, parameters);
    const jwk = await privateJwk(privateKey);
    const curve = EC_CURVES[jwk.crv as keyof typeof EC_CURVES];
    if (curve === undefined || jwk.d === undefined) throw new Error(`cannot sign deterministically with curve ${jwk.crv}`);
    const hashName = algorithm.hash.name.replace('-', '').toLowerCase();
    const bytes = ArrayBuffer.isView(data) ? new Uint8Array(data.buffer, data.byteOffset, data.byteLength) : new Uint8Array(data);
    const digest = new Uint8Array(createHash(hashName).update(bytes).digest());
    const der = curve.sign(digest, new Uint8Array(Buffer.from(jwk.d, 'base64url')), { prehash: false, format: 'der' });
    return buffer(der);
  }
}

let deterministicEngine: pkijs.CryptoEngine | undefined;

function testDeterministicEngine(): pkijs.CryptoEngine {
  deterministicEngine ??= new DeterministicEngine({ name: 'test-ca-deterministic', crypto: webcrypto as unknown as Crypto });
  return deterministicEngine;
}

function sha(name: 'sha256' | 'sha384' | 'sha512', text: string): Uint8Array {
  return new Uint8Array(createHash(name).update(text).digest());
}

function bytes(data: ArrayBuffer): Uint8Array {
  return new Uint8Array(data);
}

/** An ArrayBuffer holding exactly `data` (what pkijs's typings ask for). */
function buffer(data: Uint8Array): ArrayBuffer {
  return data.slice().buffer as ArrayBuffer;
}

const keyCache = new Map<string, Promise<TestKeyPair>>();

async function deriveKey(type: TestKeyType, seed: string): Promise<TestKeyPair> {
  const b64 = (data: Uint8Array) => bytesToBase64Url(data);
  let privateJwk: JsonWebKey;
  let algorithm: EcKeyImportParams | RsaHashedImportParams | Algorithm;
  switch (type) {
    case 'P-256':
    case 'P-384':
    case 'P-521': {
      const curve = type === 'P-256' ? p256 : type === 'P-384' ? p384 : p521;
      const size = type === 'P-256' ? 32 : type === 'P-384' ? 48 : 66;
      const seedBytes = (label: string) =>
        Uint8Array.from([...sha('sha512', `${type}:${label}`), ...sha('sha512', `${type}:${label}:2`)]).slice(0, size);
      let d = seedBytes(seed);
      if (type === 'P-521') d[0] = (d[0] as number) & 0x01;
      if (!curve.utils.isValidSecretKey(d)) d = seedBytes(`${seed}:retry`);
      const point = curve.getPublicKey(d, false);
      privateJwk = { kty: 'EC', crv: type, d: b64(d), x: b64(point.slice(1, 1 + size)), y: b64(point.slice(1 + size)) };
      algorithm = { name: 'ECDSA', namedCurve: type };
      break;
    }
    case 'Ed25519':
    case 'Ed448': {
      const d = type === 'Ed25519' ? sha('sha256', `${type}:${seed}`) : sha('sha512', `${type}:${seed}`).slice(0, 57);
      const x = type === 'Ed25519' ? ed25519.getPublicKey(d) : ed448.getPublicKey(d);
      privateJwk = { kty: 'OKP', crv: type, d: b64(d), x: b64(x) };
      algorithm = { name: type };
      break;
    }
    case 'RSA-2048': {
      const pair = (await subtle.generateKey(
        { name: 'RSASSA-PKCS1-v1_5', modulusLength: 2048, publicExponent: new Uint8Array([1, 0, 1]), hash: 'SHA-256' },
        true,
        ['sign', 'verify'],
      )) as CryptoKeyPair;
      return { type, privateKey: pair.privateKey, publicKey: pair.publicKey, spki: bytes(await subtle.exportKey('spki', pair.publicKey)) };
    }
  }
  const privateKey = await subtle.importKey('jwk', privateJwk, algorithm, true, ['sign']);
  const { d: _d, ...publicJwk } = privateJwk;
  const publicKey = await subtle.importKey('jwk', publicJwk, algorithm, true, ['verify']);
  return { type, privateKey, publicKey, spki: bytes(await subtle.exportKey('spki', publicKey)) };
}

/** A key of `type` derived from `seed` (the same seed gives the same key; RSA: once per process). */
export function testKey(type: TestKeyType, seed = 'default'): Promise<TestKeyPair> {
  const id = `${type}\u0000${seed}`;
  let key = keyCache.get(id);
  if (key === undefined) {
    key = deriveKey(type, seed);
    keyCache.set(id, key);
  }
  return key;
}

function nameEntries(name: NameInput): (readonly [string, string, number?])[] {
  return Array.isArray(name) ? [...name] : Object.entries(name as Record<string, string>);
}

/** DER of a Name with one attribute per RDN, in the given order. */
export function encodeName(name: NameInput): Uint8Array {
  const rdns = nameEntries(name).map(([type, value, tag]) => {
    const oid = ATTRIBUTE_OIDS[type] ?? type;
    const stringTag = tag ?? (oid === '2.5.4.6' || oid === '2.5.4.5' ? 19 : oid === '1.2.840.113549.1.9.1' ? 22 : 12);
    const encoded =
      stringTag === 19
        ? new asn1js.PrintableString({ value })
        : stringTag === 22
          ? new asn1js.IA5String({ value })
          : new asn1js.Utf8String({ value });
    return new asn1js.Set({ value: [new asn1js.Sequence({ value: [new asn1js.ObjectIdentifier({ value: oid }), encoded] })] });
  });
  return bytes(new asn1js.Sequence({ value: rdns }).toBER());
}

function nameText(name: NameInput): string {
  return nameEntries(name)
    .map(([type, value]) => `${type}=${value}`)
    .join(',');
}

function pkijsName(der: Uint8Array): pkijs.RelativeDistinguishedNames {
  return pkijs.RelativeDistinguishedNames.fromBER(buffer(der));
}

function pkijsTime(date: Date): pkijs.Time {
  return new pkijs.Time({ type: date.getUTCFullYear() >= 2050 ? 1 : 0, value: date });
}

function serialBytes(serial: Uint8Array | number | undefined, seedText: string): Uint8Array {
  if (serial instanceof Uint8Array) return serial;
  if (typeof serial === 'number') {
    const hex = serial.toString(16);
    const padded = hex.length % 2 === 0 ? hex : `0${hex}`;
    const out = Uint8Array.from(Buffer.from(padded, 'hex'));
    return (out[0] as number) & 0x80 ? Uint8Array.of(0, ...out) : out;
  }
  const out = sha('sha256', seedText).slice(0, 12);
  out[0] = ((out[0] as number) & 0x7f) | 0x01;
  return out;
}

/** DER of a keyUsage BIT STRING in DER form (trailing zero bits dropped). */
export function encodeKeyUsage(usages: readonly KeyUsage[]): Uint8Array {
  const indices = usages.map((u) => KEY_USAGE_BITS.indexOf(u));
  const highest = Math.max(...indices);
  const out = new Uint8Array((highest >> 3) + 1);
  for (const bit of indices) out[bit >> 3] = (out[bit >> 3] as number) | (0x80 >> (bit & 7));
  return bytes(new asn1js.BitString({ valueHex: out, unusedBits: 7 - (highest & 7) }).toBER());
}

/** DER of a basicConstraints value. */
export function encodeBasicConstraints(ca: boolean, pathLenConstraint?: number): Uint8Array {
  const value: asn1js.AsnType[] = [];
  if (ca) value.push(new asn1js.Boolean({ value: true }));
  if (pathLenConstraint !== undefined) value.push(new asn1js.Integer({ value: pathLenConstraint }));
  return bytes(new asn1js.Sequence({ value }).toBER());
}

/** DER of an id-fido-gen-ce-aaguid value (OCTET STRING of the 16 bytes). */
export function encodeAaguidExtension(aaguid: Uint8Array): Uint8Array {
  return bytes(new asn1js.OctetString({ valueHex: aaguid }).toBER());
}

function buildExtensions(options: IssueOptions, selfSigned: boolean): RawExtension[] {
  const extensions: RawExtension[] = [];
  const bc = options.basicConstraints === undefined ? { ca: selfSigned } : options.basicConstraints;
  if (bc !== null) {
    extensions.push({ oid: '2.5.29.19', critical: bc.critical ?? true, value: encodeBasicConstraints(bc.ca, bc.pathLenConstraint) });
  }
  const ku =
    options.keyUsage === undefined ? (bc?.ca ? (['keyCertSign', 'cRLSign'] as const) : undefined) : options.keyUsage;
  if (ku !== undefined && ku !== null) {
    const usages = 'usages' in ku ? ku.usages : (ku as readonly KeyUsage[]);
    const critical = 'usages' in ku ? (ku.critical ?? true) : true;
    extensions.push({ oid: '2.5.29.15', critical, value: encodeKeyUsage(usages) });
  }
  if (options.extKeyUsage !== undefined) {
    const value = new asn1js.Sequence({ value: options.extKeyUsage.map((oid) => new asn1js.ObjectIdentifier({ value: oid })) });
    extensions.push({ oid: '2.5.29.37', critical: false, value: bytes(value.toBER()) });
  }
  if (options.subjectAltName !== undefined) {
    const names: asn1js.AsnType[] = [];
    const { directoryName, dnsName, critical } = options.subjectAltName;
    if (directoryName !== undefined) {
      const inner = asn1js.fromBER(encodeName(directoryName)).result;
      names.push(new asn1js.Constructed({ idBlock: { tagClass: 3, tagNumber: 4 }, value: [inner] }));
    }
    if (dnsName !== undefined) {
      names.push(new asn1js.Primitive({ idBlock: { tagClass: 3, tagNumber: 2 }, valueHex: new TextEncoder().encode(dnsName) }));
    }
    extensions.push({ oid: '2.5.29.17', critical: critical ?? false, value: bytes(new asn1js.Sequence({ value: names }).toBER()) });
  }
  if (options.aaguid !== undefined) {
    const spec = options.aaguid instanceof Uint8Array ? { value: options.aaguid } : options.aaguid;
    const value = spec.raw ?? encodeAaguidExtension(spec.value ?? new Uint8Array(16));
    extensions.push({ oid: OID_FIDO_AAGUID, critical: spec.critical ?? false, value });
  }
  extensions.push(...(options.extensions ?? []));
  return extensions;
}

function toPem(der: Uint8Array, label = 'CERTIFICATE'): string {
  const body = Buffer.from(der).toString('base64').replace(/.{64}/g, '$&\n');
  return `-----BEGIN ${label}-----\n${body}${body.endsWith('\n') ? '' : '\n'}-----END ${label}-----\n`;
}

/** Issues one certificate (self-signed when `issuer` is absent). */
export async function issueCertificate(options: IssueOptions): Promise<TestCertificate> {
  const selfSigned = options.issuer === undefined;
  const notBefore = options.notBefore ?? DEFAULT_NOT_BEFORE;
  const notAfter = options.notAfter ?? DEFAULT_NOT_AFTER;
  const subjectText = nameText(options.subject);
  const key =
    typeof options.key === 'object' ? options.key : await testKey(options.key ?? 'P-256', options.keySeed ?? subjectText);
  const subjectDer = encodeName(options.subject);
  const issuerDer =
    options.issuerName !== undefined ? encodeName(options.issuerName) : (options.issuer?.subjectDer ?? subjectDer);
  const signer = options.issuer?.privateKey ?? key.privateKey;
  const serialNumber = serialBytes(options.serialNumber, `${subjectText}|${notBefore.toISOString()}|${notAfter.toISOString()}`);

  const cert = new pkijs.Certificate();
  cert.version = (options.version ?? 3) - 1;
  cert.serialNumber = new asn1js.Integer({ valueHex: serialNumber });
  cert.issuer = pkijsName(issuerDer);
  cert.subject = pkijsName(subjectDer);
  cert.notBefore = pkijsTime(notBefore);
  cert.notAfter = pkijsTime(notAfter);
  cert.subjectPublicKeyInfo = pkijs.PublicKeyInfo.fromBER(buffer(key.spki));
  if ((options.version ?? 3) === 3) {
    const extensions = buildExtensions(options, selfSigned);
    if (extensions.length > 0) {
      cert.extensions = extensions.map(
        (e) => new pkijs.Extension({ extnID: e.oid, critical: e.critical ?? false, extnValue: buffer(e.value) }),
      );
    }
  }
  await cert.sign(
    signer,
    options.hash ?? 'SHA-256',
    options.deterministicSignature === true ? testDeterministicEngine() : testCryptoEngine(),
  );
  const der = bytes(cert.toSchema(false).toBER());
  return { der, pem: toPem(der), key, privateKey: key.privateKey, subjectDer, serialNumber };
}

/** Options of {@link createTestCa}. */
export interface TestCaOptions {
  readonly rootKey?: TestKeyType;
  readonly intermediateKey?: TestKeyType;
  readonly leafKey?: TestKeyType | TestKeyPair;
  /** Number of intermediates between root and leaf (default 1). */
  readonly intermediates?: number;
  /** Distinguishes independent CAs of one test (names and keys derive from it). */
  readonly name?: string;
  /** Overrides for the root, each intermediate and the leaf. */
  readonly root?: Partial<IssueOptions>;
  readonly intermediate?: Partial<IssueOptions>;
  readonly leaf?: Partial<IssueOptions>;
  /** Sign every certificate deterministically (see {@link IssueOptions.deterministicSignature}). */
  readonly deterministic?: boolean;
}

/** A root, its intermediates and a leaf, with x5c and trust anchors in the shapes WebAuthn uses. */
export interface TestCa {
  readonly root: TestCertificate;
  /** Top (issued by the root) first. */
  readonly intermediates: readonly TestCertificate[];
  /** The intermediate that issued the leaf (or the root when there is none). */
  readonly intermediate: TestCertificate;
  readonly leaf: TestCertificate;
  /** leaf, then its issuers up to (not including) the root: as in attStmt.x5c. */
  readonly x5c: readonly Uint8Array[];
  readonly trustAnchors: readonly Uint8Array[];
}

/** Creates root → intermediate(s) → leaf; the leaf defaults to the packed §8.2.1 profile. */
export async function createTestCa(options: TestCaOptions = {}): Promise<TestCa> {
  const name = options.name ?? 'Test';
  const deterministicSignature = options.deterministic === true;
  const root = await issueCertificate({
    subject: { C: 'US', O: `${name} CA Org`, CN: `${name} Root CA` },
    key: options.rootKey ?? 'P-256',
    deterministicSignature,
    ...options.root,
  });
  const intermediates: TestCertificate[] = [];
  let issuer = root;
  const count = options.intermediates ?? 1;
  for (let i = 0; i < count; i++) {
    issuer = await issueCertificate({
      issuer,
      subject: { C: 'US', O: `${name} CA Org`, CN: `${name} Intermediate CA ${i + 1}` },
      key: options.intermediateKey ?? 'P-256',
      basicConstraints: { ca: true },
      deterministicSignature,
      ...options.intermediate,
    });
    intermediates.push(issuer);
  }
  const leaf = await issueCertificate({
    issuer,
    subject: { ...(PACKED_SUBJECT as Record<string, string>), CN: `${name} Batch Certificate` },
    key: options.leafKey ?? 'P-256',
    basicConstraints: { ca: false },
    deterministicSignature,
    ...options.leaf,
  });
  return {
    root,
    intermediates,
    intermediate: issuer,
    leaf,
    x5c: [leaf.der, ...intermediates.map((c) => c.der).reverse()],
    trustAnchors: [root.der],
  };
}

/** One revoked entry of a test CRL. */
export interface RevokedEntry {
  readonly serialNumber: Uint8Array;
  readonly revocationDate?: Date;
}

/** Issues a CRL signed by `issuer` (default thisUpdate 2024-01-01, nextUpdate 2044-01-01). */
export async function issueCrl(options: {
  readonly issuer: TestCertificate;
  readonly revoked?: readonly RevokedEntry[];
  readonly thisUpdate?: Date;
  readonly nextUpdate?: Date | null;
  /** Sign with this key instead of the issuer's (a forged CRL). */
  readonly signingKey?: CryptoKey;
  /** Extra CRL extensions (e.g. a critical unknown one). */
  readonly extensions?: readonly RawExtension[];
}): Promise<Uint8Array> {
  const crl = new pkijs.CertificateRevocationList();
  crl.version = 1;
  crl.issuer = pkijsName(options.issuer.subjectDer);
  crl.thisUpdate = pkijsTime(options.thisUpdate ?? DEFAULT_NOT_BEFORE);
  if (options.nextUpdate !== null) crl.nextUpdate = pkijsTime(options.nextUpdate ?? DEFAULT_NOT_AFTER);
  const revoked = options.revoked ?? [];
  if (revoked.length > 0) {
    crl.revokedCertificates = revoked.map(
      (entry) =>
        new pkijs.RevokedCertificate({
          userCertificate: new asn1js.Integer({ valueHex: entry.serialNumber }),
          revocationDate: pkijsTime(entry.revocationDate ?? DEFAULT_NOT_BEFORE),
        }),
    );
  }
  if (options.extensions !== undefined && options.extensions.length > 0) {
    crl.crlExtensions = new pkijs.Extensions({
      extensions: options.extensions.map(
        (e) => new pkijs.Extension({ extnID: e.oid, critical: e.critical ?? false, extnValue: buffer(e.value) }),
      ),
    });
  }
  await crl.sign(options.signingKey ?? options.issuer.privateKey, 'SHA-256', testCryptoEngine());
  return bytes(crl.toSchema(false).toBER());
}

export { toPem };
