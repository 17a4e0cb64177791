/**
 * Synthetic android-key (§8.4) and apple (§8.8) registrations on top of synthetic-registration.ts:
 * the attestation leaf certifies the credential key itself and carries the Android KeyDescription
 * or the Apple nonce extension, encoded here with asn1js (nothing here calls the code under test).
 *
 * Both extensions depend on the registration's bytes (clientDataHash, authData), which in turn do
 * not depend on the certificate, so a registration is built twice: once to learn those bytes,
 * then with the certificate that carries them (every other byte is identical).
 */
import { createHash, createPrivateKey, sign as nodeSign, webcrypto } from 'node:crypto';
import { p256, p384, p521 } from '@noble/curves/nist.js';
import * as asn1js from 'asn1js';
import {
  attestationCa,
  type CredentialKey,
  createRegistration,
  encodeCbor,
  fromB64u,
  OMIT,
  type RegistrationOptions,
  type SyntheticRegistration,
  seededRsaKeyPair,
  sha256,
} from './synthetic-registration.js';
import { type NameInput, type RawExtension, type TestCa, type TestKeyPair, testKey } from './test-ca.js';

export const OID_ANDROID_KEY_DESCRIPTION = '1.3.6.1.4.1.11129.2.1.17';
export const OID_APPLE_NONCE = '1.2.840.113635.100.8.2';

export const KM_PURPOSE_ENCRYPT = 0;
export const KM_PURPOSE_SIGN = 2;
export const KM_ORIGIN_GENERATED = 0;
export const KM_ORIGIN_IMPORTED = 2;

/** One AuthorizationList: the §8.4 tags, plus any `[tag] EXPLICIT` entries as DER of the inner item. */
export interface AuthorizationListInput {
  readonly purpose?: readonly number[];
  readonly allApplications?: boolean;
  readonly origin?: number;
  /** Extra entries `[tag, inner DER]`, written in the order given after the standard ones. */
  readonly extra?: readonly (readonly [number, Uint8Array])[];
}

/** The KeyDescription fields a test controls. */
export interface KeyDescriptionInput {
  readonly attestationVersion?: number;
  /** Default: the registration's clientDataHash. */
  readonly attestationChallenge?: Uint8Array;
  /** Default `{}`. */
  readonly softwareEnforced?: AuthorizationListInput;
  /** Default `{ purpose: [SIGN], origin: GENERATED }`. */
  readonly teeEnforced?: AuthorizationListInput;
}

function explicit(tag: number, inner: asn1js.AsnType): asn1js.Constructed {
  return new asn1js.Constructed({ idBlock: { tagClass: 3, tagNumber: tag }, value: [inner] });
}

function fromDer(der: Uint8Array): asn1js.AsnType {
  return asn1js.fromBER(der.slice().buffer as ArrayBuffer).result;
}

function authorizationList(input: AuthorizationListInput): asn1js.Sequence {
  const value: asn1js.AsnType[] = [];
  if (input.purpose !== undefined) {
    value.push(explicit(1, new asn1js.Set({ value: input.purpose.map((p) => new asn1js.Integer({ value: p })) })));
  }
  if (input.allApplications === true) value.push(explicit(600, new asn1js.Null()));
  if (input.origin !== undefined) value.push(explicit(702, new asn1js.Integer({ value: input.origin })));
  for (const [tag, der] of input.extra ?? []) value.push(explicit(tag, fromDer(der)));
  return new asn1js.Sequence({ value });
}

/** DER of a KeyDescription (the extnValue of 1.3.6.1.4.1.11129.2.1.17). */
export function encodeKeyDescription(input: KeyDescriptionInput & { readonly attestationChallenge: Uint8Array }): Uint8Array {
  const sequence = new asn1js.Sequence({
    value: [
      new asn1js.Integer({ value: input.attestationVersion ?? 3 }),
      new asn1js.Enumerated({ value: 1 }),
      new asn1js.Integer({ value: 4 }),
      new asn1js.Enumerated({ value: 1 }),
      new asn1js.OctetString({ valueHex: input.attestationChallenge }),
      new asn1js.OctetString({ valueHex: new Uint8Array(0) }),
      authorizationList(input.softwareEnforced ?? {}),
      authorizationList(input.teeEnforced ?? { purpose: [KM_PURPOSE_SIGN], origin: KM_ORIGIN_GENERATED }),
    ],
  });
  return new Uint8Array(sequence.toBER());
}

/** DER of the Apple nonce extension value `SEQUENCE { [1] EXPLICIT OCTET STRING nonce }`. */
export function encodeAppleNonce(nonce: Uint8Array): Uint8Array {
  return new Uint8Array(new asn1js.Sequence({ value: [explicit(1, new asn1js.OctetString({ valueHex: nonce }))] }).toBER());
}

const EC = {
  'P-256': { curve: p256, crv: 1, size: 32, alg: -7 },
  'P-384': { curve: p384, crv: 2, size: 48, alg: -35 },
  'P-521': { curve: p521, crv: 3, size: 66, alg: -36 },
} as const;

/** A credential key (COSE bytes and signer) whose key is the test-ca key pair `pair`. */
export async function credentialKeyOf(pair: TestKeyPair): Promise<CredentialKey> {
  const jwk = await webcrypto.subtle.exportKey('jwk', pair.privateKey as webcrypto.CryptoKey);
  if (pair.type === 'RSA-2048') {
    const cose = encodeCbor(
      new Map<number, unknown>([
        [1, 3],
        [3, -257],
        [-1, fromB64u(jwk.n as string)],
        [-2, fromB64u(jwk.e as string)],
      ]),
    );
    const privateKey = createPrivateKey({ key: jwk as never, format: 'jwk' });
    return { alg: -257, cose, sign: (data) => new Uint8Array(nodeSign('sha256', data, privateKey)) };
  }
  if (pair.type !== 'P-256' && pair.type !== 'P-384' && pair.type !== 'P-521') throw new Error(`unsupported key ${pair.type}`);
  const { curve, crv, alg } = EC[pair.type];
  const d = fromB64u(jwk.d as string);
  const cose = encodeCbor(
    new Map<number, unknown>([
      [1, 2],
      [3, alg],
      [-1, crv],
      [-2, fromB64u(jwk.x as string)],
      [-3, fromB64u(jwk.y as string)],
    ]),
  );
  return {
    alg,
    cose,
    sign: (data) => {
      const hash = pair.type === 'P-256' ? 'sha256' : pair.type === 'P-384' ? 'sha384' : 'sha512';
      return curve.sign(new Uint8Array(createHash(hash).update(data).digest()), d, { prehash: false, format: 'der' });
    },
  };
}

/** Options common to both formats. */
export interface AttestedKeyOptions extends Omit<RegistrationOptions, 'format' | 'ca' | 'fmt' | 'self'> {
  /** The attested (leaf) key type; default P-256. RSA keys are seeded (deterministic). */
  readonly keyType?: 'P-256' | 'P-384' | 'RSA-2048';
  readonly keySeed?: string;
  /** Leaf extensions added after the format's own (or instead, when the format's is left out). */
  readonly leafExtensions?: readonly RawExtension[];
  readonly leafSubject?: NameInput;
  /** Number of intermediates (default 1). */
  readonly intermediates?: number;
  /** CA name (distinct roots per test when needed). */
  readonly caName?: string;
  /** The leaf's basicConstraints (`null`: no extension); default `{ ca: false }`. */
  readonly leafBasicConstraints?: { readonly ca: boolean } | null;
}

export interface AndroidKeyOptions extends AttestedKeyOptions {
  /** The KeyDescription, or `null` for a leaf without the extension, or raw extnValue bytes. */
  readonly keyDescription?: KeyDescriptionInput | Uint8Array | null;
  /** Rewrites the encoded KeyDescription before it is placed in the leaf (hostile re-encodings). */
  readonly keyDescriptionTransform?: (der: Uint8Array) => Uint8Array;
}

export interface AppleOptions extends AttestedKeyOptions {
  /** The nonce written (default SHA-256(authData ‖ clientDataHash)), raw extnValue bytes, or `null` for none. */
  readonly nonce?: Uint8Array | { readonly raw: Uint8Array } | null;
}

async function attestedPair(options: AttestedKeyOptions): Promise<TestKeyPair> {
  const seed = options.keySeed ?? 'attested';
  return options.keyType === 'RSA-2048' ? seededRsaKeyPair(`attested:${seed}`) : testKey(options.keyType ?? 'P-256', `attested:${seed}`);
}

async function build(
  fmt: 'android-key' | 'apple',
  options: AttestedKeyOptions,
  extension: (parts: { clientDataHash: Uint8Array; authenticatorData: Uint8Array }) => RawExtension | undefined,
  subject: NameInput,
  extraOptions: Partial<RegistrationOptions>,
): Promise<SyntheticRegistration & { ca: TestCa }> {
  const pair = await attestedPair(options);
  const credentialKey = options.credentialKey ?? (await credentialKeyOf(pair));
  const { keyType: _k, keySeed: _s, leafExtensions, leafSubject, intermediates, caName, leafBasicConstraints, ...registrationOptions } = options;
  const first = await createRegistration({ ...registrationOptions, credentialKey, format: 'none' });
  const own = extension({ clientDataHash: sha256(first.clientDataJSON), authenticatorData: first.authenticatorData });
  const ca = await attestationCa({
    name: caName ?? `Synthetic ${fmt}`,
    intermediates: intermediates ?? 1,
    leaf: {
      subject: leafSubject ?? subject,
      key: pair,
      ...(leafBasicConstraints === undefined ? {} : { basicConstraints: leafBasicConstraints }),
      extensions: [...(own === undefined ? [] : [own]), ...(leafExtensions ?? [])],
    },
  });
  const registration = await createRegistration({
    ...registrationOptions,
    ...extraOptions,
    attStmt: { ...extraOptions.attStmt, ...registrationOptions.attStmt },
    credentialKey,
    format: 'packed',
    fmt,
    ca,
  });
  return { ...registration, ca };
}

/** An android-key registration: `{alg, sig, x5c}`, the leaf certifying the credential key. */
export function createAndroidKeyRegistration(options: AndroidKeyOptions = {}): Promise<SyntheticRegistration & { ca: TestCa }> {
  return build(
    'android-key',
    options,
    ({ clientDataHash }) => {
      const input = options.keyDescription;
      if (input === null) return undefined;
      const value = input instanceof Uint8Array ? input : encodeKeyDescription({ attestationChallenge: clientDataHash, ...input });
      return { oid: OID_ANDROID_KEY_DESCRIPTION, value: options.keyDescriptionTransform?.(value) ?? value };
    },
    { CN: 'Android Keystore Key' },
    {},
  );
}

/** An apple registration: `{x5c}`, credCert certifying the credential key and carrying the nonce. */
export function createAppleRegistration(options: AppleOptions = {}): Promise<SyntheticRegistration & { ca: TestCa }> {
  return build(
    'apple',
    options,
    ({ clientDataHash, authenticatorData }) => {
      const nonce = options.nonce;
      if (nonce === null) return undefined;
      if (nonce !== undefined && !(nonce instanceof Uint8Array)) return { oid: OID_APPLE_NONCE, value: nonce.raw };
      const value = encodeAppleNonce(nonce ?? sha256(Uint8Array.from([...authenticatorData, ...clientDataHash])));
      return { oid: OID_APPLE_NONCE, value };
    },
    { CN: 'Synthetic Apple credCert', OU: 'AAA Certification', O: 'Apple Inc.', ST: 'California' },
    { attStmt: { alg: OMIT, sig: OMIT } },
  );
}
