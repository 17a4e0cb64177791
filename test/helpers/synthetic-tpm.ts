/**
 * Synthetic tpm attestations (WebAuthn §8.3) on top of synthetic-registration.ts: pubArea
 * (TPMT_PUBLIC) and certInfo (TPMS_ATTEST) bytes built from the credential key and the signed
 * data, an AIK certificate from test-ca (empty subject, critical SAN directoryName with the TPM
 * manufacturer, model and version, EKU tcg-kp-AIKCertificate), and the AIK's signature over
 * certInfo. Every field can be overridden to break one check at a time.
 *
 * Nothing here calls the code under test: hashes come from node:crypto.
 */
import { createHash } from 'node:crypto';
import {
  type CredentialKey,
  createRegistration,
  DEFAULT_AAGUID,
  decodeCoseMap,
  type RegistrationOptions,
  type SyntheticRegistration,
  seededCredentialKey,
  seededRsaKeyPair,
  signWithKeyPair,
  attestationCa,
} from './synthetic-registration.js';
import type { IssueOptions, TestCa } from './test-ca.js';
import { concatBytes } from '../../src/encoding/bytes.js';

export const TPM_ALG = { RSA: 0x0001, SHA1: 0x0004, AES: 0x0006, SHA256: 0x000b, SHA384: 0x000c, SHA512: 0x000d, NULL: 0x0010, RSASSA: 0x0014, RSAPSS: 0x0016, ECDSA: 0x0018, ECC: 0x0023 } as const;
export const TPM_GENERATED_VALUE = 0xff544347;
export const TPM_ST_ATTEST_CERTIFY = 0x8017;
export const TPM_ST_ATTEST_QUOTE = 0x8018;
export const OID_TCG_KP_AIK_CERTIFICATE = '2.23.133.8.3';

/** The SAN directoryName of a conformant AIK certificate (FIDO's test manufacturer id). */
export const TPM_SAN: readonly (readonly [string, string])[] = [
  ['tpmManufacturer', 'id:FFFFF1D0'],
  ['tpmModel', 'NPCT6xx'],
  ['tpmVersion', 'id:13'],
];

const HASH_NODE: Readonly<Record<number, string>> = {
  [TPM_ALG.SHA1]: 'sha1',
  [TPM_ALG.SHA256]: 'sha256',
  [TPM_ALG.SHA384]: 'sha384',
  [TPM_ALG.SHA512]: 'sha512',
};
const HASH_OF_ALG: Readonly<Record<number, string>> = {
  [-7]: 'sha256',
  [-35]: 'sha384',
  [-36]: 'sha512',
  [-257]: 'sha256',
  [-258]: 'sha384',
  [-259]: 'sha512',
  [-65535]: 'sha1',
  [-37]: 'sha256',
};

function digest(name: string, data: Uint8Array): Uint8Array {
  return new Uint8Array(createHash(name).update(data).digest());
}

function u16(value: number): Uint8Array {
  return Uint8Array.of((value >>> 8) & 0xff, value & 0xff);
}

function u32(value: number): Uint8Array {
  return Uint8Array.of(value >>> 24, (value >>> 16) & 0xff, (value >>> 8) & 0xff, value & 0xff);
}

const concat = concatBytes;

/** A TPM2B: u16 size then the bytes. */
export function tpm2b(bytes: Uint8Array): Uint8Array {
  return concat(u16(bytes.length), bytes);
}

/** pubArea fields; raw byte fields are written as given (their full wire form). */
export interface PubAreaFields {
  readonly type?: number;
  readonly nameAlg?: number;
  readonly objectAttributes?: number;
  readonly authPolicy?: Uint8Array;
  /** TPMT_SYM_DEF_OBJECT wire bytes (default NULL). */
  readonly symmetric?: Uint8Array;
  /** TPMT_*_SCHEME wire bytes (default NULL). */
  readonly scheme?: Uint8Array;
  /** RSA: keyBits (default modulus bits). */
  readonly keyBits?: number;
  /** RSA: the exponent written (default: that of the key; `0` writes the TPM default marker). */
  readonly exponent?: number;
  /** RSA: the modulus written (default the key's). */
  readonly modulus?: Uint8Array;
  /** ECC: TPM_ECC_CURVE (default the key's). */
  readonly curveId?: number;
  /** ECC: TPMT_KDF_SCHEME wire bytes (default NULL). */
  readonly kdf?: Uint8Array;
  readonly x?: Uint8Array;
  readonly y?: Uint8Array;
}

const CURVE_IDS: Readonly<Record<number, number>> = { 1: 0x0003, 2: 0x0004, 3: 0x0005 };

/** TPMT_PUBLIC bytes of a credential key (RSA or EC2 COSE key), with overrides. */
export function buildPubArea(cose: Uint8Array, fields: PubAreaFields = {}): Uint8Array {
  const key = decodeCoseMap(cose);
  const rsa = key.get(1) === 3;
  const type = fields.type ?? (rsa ? TPM_ALG.RSA : TPM_ALG.ECC);
  const head = concat(
    u16(type),
    u16(fields.nameAlg ?? TPM_ALG.SHA256),
    u32(fields.objectAttributes ?? (rsa ? 0x00060472 : 0x00040472)),
    tpm2b(fields.authPolicy ?? new Uint8Array(0)),
    fields.symmetric ?? u16(TPM_ALG.NULL),
    fields.scheme ?? u16(TPM_ALG.NULL),
  );
  if (rsa) {
    const n = fields.modulus ?? (key.get(-1) as Uint8Array);
    const e = key.get(-2) as Uint8Array;
    const exponent = fields.exponent ?? e.reduce((v, b) => v * 256 + b, 0);
    return concat(head, u16(fields.keyBits ?? n.length * 8), u32(exponent), tpm2b(n));
  }
  return concat(
    head,
    u16(fields.curveId ?? CURVE_IDS[key.get(-1) as number] ?? 0),
    fields.kdf ?? u16(TPM_ALG.NULL),
    tpm2b(fields.x ?? (key.get(-2) as Uint8Array)),
    tpm2b(fields.y ?? (key.get(-3) as Uint8Array)),
  );
}

/** certInfo fields. */
export interface CertInfoFields {
  readonly magic?: number;
  readonly type?: number;
  readonly qualifiedSigner?: Uint8Array;
  readonly extraData?: Uint8Array;
  readonly name?: Uint8Array;
  readonly qualifiedName?: Uint8Array;
}

/** TPMS_ATTEST bytes. */
export function buildCertInfo(fields: Required<Pick<CertInfoFields, 'extraData' | 'name'>> & CertInfoFields): Uint8Array {
  return concat(
    u32(fields.magic ?? TPM_GENERATED_VALUE),
    u16(fields.type ?? TPM_ST_ATTEST_CERTIFY),
    tpm2b(fields.qualifiedSigner ?? concat(u16(TPM_ALG.SHA256), new Uint8Array(32).fill(0x51))),
    tpm2b(fields.extraData),
    new Uint8Array([0, 0, 0, 0, 0x12, 0x34, 0x56, 0x78]), // clock
    u32(7), // resetCount
    u32(3), // restartCount
    Uint8Array.of(1), // safe
    new Uint8Array([0x00, 0x07, 0x00, 0x02, 0x00, 0x00, 0x00, 0x00]), // firmwareVersion
    tpm2b(fields.name),
    tpm2b(fields.qualifiedName ?? concat(u16(TPM_ALG.SHA256), new Uint8Array(32).fill(0x71))),
  );
}

/** The Name of a pubArea: nameAlg ‖ H_nameAlg(pubArea). */
export function tpmName(pubArea: Uint8Array): Uint8Array {
  const nameAlg = ((pubArea[2] as number) << 8) | (pubArea[3] as number);
  return concat(u16(nameAlg), digest(HASH_NODE[nameAlg] ?? 'sha256', pubArea));
}

/** Options of {@link createTpmRegistration}. */
export interface TpmRegistrationOptions {
  /** Default `seededCredentialKey('RS256')`. */
  readonly credentialKey?: CredentialKey;
  /** attStmt.alg (default RS256, -257). */
  readonly alg?: number;
  /** The AIK key type (default an RSA-2048 key). */
  readonly aikKey?: 'RSA' | 'P-256';
  readonly pubArea?: PubAreaFields;
  /** Replaces the pubArea bytes (after they were built; certInfo's name follows unless overridden). */
  readonly pubAreaBytes?: (built: Uint8Array) => Uint8Array;
  readonly certInfo?: CertInfoFields;
  /** Replaces the certInfo bytes (the signature is made over the result). */
  readonly certInfoBytes?: (built: Uint8Array) => Uint8Array;
  /** Overrides of the AIK certificate (test-ca issue options; `subjectAltName: null` leaves it out). */
  readonly aik?: AikOverrides;
  /** Sign certInfo with one bit flipped. */
  readonly badSignature?: boolean;
  /** Edits the attStmt map (ver, alg, x5c, sig, certInfo, pubArea) before encoding. */
  readonly attStmt?: (attStmt: Map<unknown, unknown>) => void;
  /** Registration options (aaguid, rpId, …). */
  readonly registration?: RegistrationOptions;
}

/** test-ca issue options for the AIK; `subjectAltName: null` leaves the extension out. */
export type AikOverrides = Omit<Partial<IssueOptions>, 'subjectAltName'> & {
  readonly subjectAltName?: IssueOptions['subjectAltName'] | null;
};

/** The CA of the AIK certificates: root → intermediate → AIK leaf (§8.3.1 profile unless overridden). */
export async function tpmCa(options: Pick<TpmRegistrationOptions, 'aik' | 'aikKey'> & { aaguid?: Uint8Array } = {}): Promise<TestCa> {
  const leafKey = options.aikKey === 'P-256' ? 'P-256' : await seededRsaKeyPair('tpm-aik');
  const { subjectAltName, ...aik } = options.aik ?? {};
  const leaf: Partial<IssueOptions> = {
    subject: [],
    extKeyUsage: [OID_TCG_KP_AIK_CERTIFICATE],
    basicConstraints: { ca: false },
    aaguid: options.aaguid ?? DEFAULT_AAGUID,
    ...aik,
    ...(subjectAltName === null ? {} : { subjectAltName: subjectAltName ?? { directoryName: TPM_SAN, critical: true } }),
  };
  return attestationCa({ name: 'Synthetic TPM', leafKey, leaf });
}

/** A tpm registration with the expectations that accept it (valid unless the options break it). */
export async function createTpmRegistration(options: TpmRegistrationOptions = {}): Promise<SyntheticRegistration & { pubArea: Uint8Array; certInfo: Uint8Array }> {
  const credentialKey = options.credentialKey ?? seededCredentialKey('RS256');
  const alg = options.alg ?? -257;
  const ca = await tpmCa({ ...options, aaguid: options.registration?.aaguid ?? DEFAULT_AAGUID });
  const builtPubArea = buildPubArea(credentialKey.cose, options.pubArea);
  const pubArea = options.pubAreaBytes === undefined ? builtPubArea : options.pubAreaBytes(builtPubArea);
  let certInfo: Uint8Array = new Uint8Array(0);
  let sig: Uint8Array = new Uint8Array(0);
  const registration = await createRegistration({
    ...options.registration,
    format: 'packed',
    credentialKey,
    ca,
    signer: async ({ authenticatorData, clientDataHash }) => {
      const built = buildCertInfo({
        extraData: digest(HASH_OF_ALG[alg] ?? 'sha256', concat(authenticatorData, clientDataHash)),
        name: tpmName(pubArea),
        ...options.certInfo,
      });
      certInfo = options.certInfoBytes === undefined ? built : options.certInfoBytes(built);
      const signed = options.badSignature === true ? certInfo.slice() : certInfo;
      if (options.badSignature === true) signed[signed.length - 1] = (signed[signed.length - 1] as number) ^ 1;
      sig = await signWithKeyPair(ca.leaf.key, alg, signed);
      return sig;
    },
    attestationObject: (map) => {
      const attStmt = new Map<unknown, unknown>([
        ['ver', '2.0'],
        ['alg', alg],
        ['x5c', [...ca.x5c]],
        ['sig', sig],
        ['certInfo', certInfo],
        ['pubArea', pubArea],
      ]);
      options.attStmt?.(attStmt);
      return new Map<unknown, unknown>([
        ['fmt', 'tpm'],
        ['attStmt', attStmt],
        ['authData', map.get('authData')],
      ]);
    },
  });
  return { ...registration, pubArea, certInfo };
}
