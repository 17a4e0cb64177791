/**
 * The Android key attestation extension (OID 1.3.6.1.4.1.11129.2.1.17, "KeyDescription"), read as
 * far as WebAuthn §8.4 needs it: the attestation challenge and, per authorization list, purpose,
 * allApplications and origin. Schema: https://source.android.com/docs/security/features/keystore/attestation
 *
 * ```
 * KeyDescription ::= SEQUENCE {
 *   attestationVersion INTEGER, attestationSecurityLevel ENUMERATED,
 *   keymasterVersion INTEGER, keymasterSecurityLevel ENUMERATED,
 *   attestationChallenge OCTET STRING, uniqueId OCTET STRING,
 *   softwareEnforced AuthorizationList, teeEnforced AuthorizationList }
 * AuthorizationList ::= SEQUENCE { purpose [1] EXPLICIT SET OF INTEGER OPTIONAL, …,
 *   allApplications [600] EXPLICIT NULL OPTIONAL, …, origin [702] EXPLICIT INTEGER OPTIONAL, … }
 * ```
 */
import * as asn1js from 'asn1js';
import { fail } from '../errors.js';
import type { ParsedCertificate } from './certificate.js';
import { decodeDer, EXTENSION_LIMITS, primitiveBytes, sequenceItems } from './der.js';

/** OID of the Android key attestation extension. */
export const OID_ANDROID_KEY_DESCRIPTION = '1.3.6.1.4.1.11129.2.1.17';

const STEP = '8.4';
const TAG_PURPOSE = 1;
const TAG_ALL_APPLICATIONS = 600;
const TAG_ORIGIN = 702;
/** Authorization lists carry a few dozen tags; more is not a KeyDescription. */
const MAX_AUTHORIZATIONS = 128;
/** purpose holds a handful of KM_PURPOSE values. */
const MAX_PURPOSES = 16;

/** The §8.4-relevant entries of one AuthorizationList. */
export interface AndroidAuthorizationList {
  /** KM_PURPOSE values; `undefined` when the tag is absent. Values beyond 2^31 are dropped. */
  readonly purpose: readonly number[] | undefined;
  readonly allApplications: boolean;
  /** KM_ORIGIN value; `undefined` when absent, -1 when it does not fit a small non-negative integer. */
  readonly origin: number | undefined;
}

/** The parsed KeyDescription. */
export interface AndroidKeyDescription {
  readonly attestationVersion: number;
  readonly attestationChallenge: Uint8Array;
  readonly softwareEnforced: AndroidAuthorizationList;
  readonly teeEnforced: AndroidAuthorizationList;
}

function invalid(reason: string): never {
  fail('ERR_ANDROID_KEY_DESCRIPTION_INVALID', `Android key attestation extension: ${reason}`, { step: STEP, details: { reason } });
}

/** A non-negative INTEGER (or ENUMERATED) below 2^31, or -1 when it is negative or larger. */
function smallInteger(node: asn1js.AsnType | undefined, what: string): number {
  if (!(node instanceof asn1js.Integer) && !(node instanceof asn1js.Enumerated)) invalid(`${what} is not an INTEGER`);
  const bytes = primitiveBytes(node);
  if (bytes.length === 0) invalid(`${what} is an empty INTEGER`);
  if (((bytes[0] as number) & 0x80) !== 0) return -1;
  let start = 0;
  while (start < bytes.length - 1 && bytes[start] === 0) start++;
  if (bytes.length - start > 4) return -1;
  let value = 0;
  for (let i = start; i < bytes.length; i++) value = value * 256 + (bytes[i] as number);
  return value > 0x7fffffff ? -1 : value;
}

function octets(node: asn1js.AsnType | undefined, what: string): Uint8Array {
  if (!(node instanceof asn1js.OctetString)) invalid(`${what} is not an OCTET STRING`);
  return primitiveBytes(node);
}

/** The single item inside an EXPLICIT context tag. */
function explicitInner(node: asn1js.Constructed, tag: number): asn1js.AsnType {
  const inner = node.valueBlock.value;
  if (inner.length !== 1) invalid(`tag [${tag}] does not hold exactly one item`);
  return inner[0] as asn1js.AsnType;
}

function parseAuthorizationList(node: asn1js.AsnType | undefined, name: string): AndroidAuthorizationList {
  const items = node instanceof asn1js.Sequence ? node.valueBlock.value : undefined;
  if (items === undefined) invalid(`${name} is not a SEQUENCE`);
  if (items.length > MAX_AUTHORIZATIONS) invalid(`${name} has more than ${MAX_AUTHORIZATIONS} entries`);
  const seen = new Set<number>();
  let purpose: number[] | undefined;
  let allApplications = false;
  let origin: number | undefined;
  for (const item of items) {
    // Every AuthorizationList member is an EXPLICIT context-specific tag.
    if (!(item instanceof asn1js.Constructed) || item.idBlock.tagClass !== 3) invalid(`${name} has a member that is not a [tag]`);
    const tag = item.idBlock.tagNumber;
    // A repeated tag could say "generated" once and "imported" once: refuse the ambiguity.
    if (seen.has(tag)) invalid(`${name} repeats tag [${tag}]`);
    seen.add(tag);
    if (tag === TAG_PURPOSE) {
      const set = explicitInner(item, tag);
      if (!(set instanceof asn1js.Set)) invalid(`${name}.purpose is not a SET OF INTEGER`);
      const values = set.valueBlock.value;
      if (values.length > MAX_PURPOSES) invalid(`${name}.purpose has more than ${MAX_PURPOSES} values`);
      purpose = values.map((value) => smallInteger(value, `${name}.purpose`));
    } else if (tag === TAG_ALL_APPLICATIONS) {
      allApplications = true;
    } else if (tag === TAG_ORIGIN) {
      origin = smallInteger(explicitInner(item, tag), `${name}.origin`);
    }
  }
  return Object.freeze({
    purpose: purpose === undefined ? undefined : Object.freeze(purpose),
    allApplications,
    origin,
  });
}

/**
 * Parses a KeyDescription (the extnValue content of the Android key attestation extension).
 *
 * @throws WebAuthnError `ERR_ANDROID_KEY_DESCRIPTION_INVALID` when it is not bounded DER of the
 *   KeyDescription shape (eight members; authorization lists of EXPLICIT tags without repeats).
 */
export function parseAndroidKeyDescription(value: Uint8Array): AndroidKeyDescription {
  const root = decodeDer(value, 'KeyDescription', EXTENSION_LIMITS, 'ERR_ANDROID_KEY_DESCRIPTION_INVALID', STEP);
  const items = sequenceItems(root);
  if (!(root instanceof asn1js.Sequence) || items === undefined) invalid('KeyDescription is not a SEQUENCE');
  // Every attestation version so far (1–4, 100–400) has exactly these eight members.
  if (items.length !== 8) invalid(`KeyDescription has ${items.length} members, expected 8`);
  const attestationVersion = smallInteger(items[0], 'attestationVersion');
  smallInteger(items[1], 'attestationSecurityLevel');
  smallInteger(items[2], 'keymasterVersion');
  smallInteger(items[3], 'keymasterSecurityLevel');
  const attestationChallenge = octets(items[4], 'attestationChallenge');
  octets(items[5], 'uniqueId');
  return Object.freeze({
    attestationVersion,
    attestationChallenge,
    softwareEnforced: parseAuthorizationList(items[6], 'softwareEnforced'),
    teeEnforced: parseAuthorizationList(items[7], 'teeEnforced'),
  });
}

/**
 * The KeyDescription of `cert`.
 *
 * @throws WebAuthnError `ERR_ANDROID_KEY_DESCRIPTION_INVALID` when the extension is absent,
 *   repeated or malformed.
 */
export function getAndroidKeyDescription(cert: ParsedCertificate): AndroidKeyDescription {
  const found = cert.extensions.filter((extension) => extension.oid === OID_ANDROID_KEY_DESCRIPTION);
  if (found.length === 0) invalid('the attestation certificate does not carry it');
  if (found.length > 1) invalid('the attestation certificate carries it more than once');
  return parseAndroidKeyDescription((found[0] as { value: Uint8Array }).value);
}
