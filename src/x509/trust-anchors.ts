/**
 * Trust anchors as a set with rotation (docs/trust.md): several roots per purpose, each with an
 * optional validity window of the relying party's own and a label for reports. A plain
 * certificate (PEM, base64 DER, DER bytes or a parsed certificate) is an anchor whose window is
 * the certificate's own notBefore/notAfter.
 */
import { fail, isWebAuthnError } from '../errors.js';
import { certificateInternals, type ParsedCertificate } from './certificate.js';
import { parseTrustAnchors } from './pem.js';

/**
 * An anchor with a window: `validFrom` / `validUntil` narrow the certificate's notBefore /
 * notAfter for the anchor (retire a root early, stage a new one), never widen them: a window past
 * the certificate's own dates ends at them, so listing an expired root never revives it. Either may
 * be left out: that side is then the certificate's own. `label` names the anchor in results and errors.
 */
export interface TrustAnchorEntry {
  /** PEM text (one or more CERTIFICATE blocks, each gets this window), bare base64 DER, or DER bytes. */
  readonly certificate: string | Uint8Array;
  /** The anchor is trusted from this time on (never before the certificate's notBefore, the default). */
  readonly validFrom?: Date | undefined;
  /** The anchor is trusted up to this time (never after the certificate's notAfter, the default). */
  readonly validUntil?: Date | undefined;
  /** A name for reports, e.g. `'GlobalSign Root R46'` (at most 128 characters). */
  readonly label?: string | undefined;
}

/** What a caller may list as a trust anchor. */
export type TrustAnchorInput = string | Uint8Array | TrustAnchorEntry;

/** A parsed trust anchor with its effective window (inclusive at both ends). */
export interface TrustAnchor {
  readonly certificate: ParsedCertificate;
  readonly validFrom: Date;
  readonly validUntil: Date;
  readonly label: string | undefined;
}

const MAX_LABEL = 128;
const ENTRY_KEYS = new Set(['certificate', 'validFrom', 'validUntil', 'label']);

function misuse(field: string, message: string): never {
  fail('ERR_OPTIONS_INVALID', `${field}: ${message}`, { details: { field } });
}

function dateOf(value: unknown, field: string): Date | undefined {
  if (value === undefined) return undefined;
  let time = Number.NaN;
  try {
    // The internal time value, not a (possibly overridden) method of the caller's object.
    time = Date.prototype.getTime.call(value);
  } catch {
    // not a Date
  }
  if (Number.isNaN(time)) misuse(field, 'must be a valid Date');
  return new Date(time);
}

/**
 * Checks one anchor entry object and returns the library's own copy (bytes copied, dates
 * re-created), so that later changes by the caller cannot change what is verified.
 *
 * @throws WebAuthnError `ERR_OPTIONS_INVALID` naming `field` (or its member) when the entry is
 *   not `{ certificate, validFrom?, validUntil?, label? }` with the right types, has another
 *   member, or has `validFrom` after `validUntil`.
 */
export function readTrustAnchorEntry(members: Readonly<Record<string, unknown>>, field: string): TrustAnchorEntry {
  for (const key of Object.keys(members)) if (!ENTRY_KEYS.has(key)) misuse(`${field}.${key}`, 'is not a member of a trust anchor entry');
  const { certificate, validFrom, validUntil, label } = members;
  let copy: string | Uint8Array;
  if (certificate instanceof Uint8Array && certificate.length > 0) copy = new Uint8Array(certificate);
  else if (typeof certificate === 'string' && certificate.length > 0) copy = certificate;
  else misuse(`${field}.certificate`, 'must be PEM or base64 text, or DER bytes');
  const from = dateOf(validFrom, `${field}.validFrom`);
  const until = dateOf(validUntil, `${field}.validUntil`);
  if (from !== undefined && until !== undefined && from.getTime() > until.getTime()) {
    misuse(`${field}.validFrom`, 'must not be after validUntil');
  }
  if (label !== undefined && (typeof label !== 'string' || label.length > MAX_LABEL)) {
    misuse(`${field}.label`, `must be a string of at most ${MAX_LABEL} characters`);
  }
  return Object.freeze({ certificate: copy, validFrom: from, validUntil: until, label: label as string | undefined });
}

function anchorOf(certificate: ParsedCertificate, entry?: TrustAnchorEntry): TrustAnchor {
  return Object.freeze({
    certificate,
    // The window only narrows the certificate's own validity (max of the starts, min of the ends).
    validFrom: new Date(Math.max(entry?.validFrom?.getTime() ?? -Infinity, certificate.notBefore.getTime())),
    validUntil: new Date(Math.min(entry?.validUntil?.getTime() ?? Infinity, certificate.notAfter.getTime())),
    label: entry?.label,
  });
}

function isEntryObject(value: unknown): value is Readonly<Record<string, unknown>> {
  return typeof value === 'object' && value !== null && !Array.isArray(value) && !(value instanceof Uint8Array);
}

/**
 * Parses a trust anchor set: plain certificates (PEM with any number of CERTIFICATE blocks, bare
 * base64 DER, DER bytes) and {@link TrustAnchorEntry} objects, in order. The same certificate
 * listed twice with the same window is kept once.
 *
 * @throws WebAuthnError `ERR_OPTIONS_INVALID` naming `trustAnchors[i]` (or its member) for an
 *   entry of the wrong shape; `ERR_CERT_MALFORMED` when a certificate does not parse.
 */
export function parseTrustAnchorSet(list: readonly TrustAnchorInput[], field = 'trustAnchors'): readonly TrustAnchor[] {
  try {
    return parseSet(list, field);
  } catch (error) {
    if (isWebAuthnError(error)) throw error;
    // A getter or proxy of the caller's entries threw.
    return fail('ERR_CALLBACK_FAILED', `${field}: reading an entry threw`, { details: { field }, cause: error });
  }
}

function parseSet(list: readonly TrustAnchorInput[], field: string): readonly TrustAnchor[] {
  if (!Array.isArray(list)) misuse(field, 'must be an array');
  const anchors: TrustAnchor[] = [];
  const seen = new Set<string>();
  list.forEach((input: unknown, index) => {
    const entryField = `${field}[${index}]`;
    const entry = isEntryObject(input) ? readTrustAnchorEntry({ ...input }, entryField) : undefined;
    const source = entry === undefined ? input : entry.certificate;
    if (typeof source !== 'string' && !(source instanceof Uint8Array)) misuse(entryField, 'must be PEM or base64 text, DER bytes, or a trust anchor entry');
    for (const certificate of parseTrustAnchors([source])) {
      const anchor = anchorOf(certificate, entry);
      const key = `${certificate.sha256Fingerprint}|${anchor.validFrom.getTime()}|${anchor.validUntil.getTime()}|${anchor.label ?? ''}`;
      if (seen.has(key)) continue;
      seen.add(key);
      anchors.push(anchor);
    }
  });
  return Object.freeze(anchors);
}

/**
 * The anchors of a path validation: parsed certificates (their own window) or {@link TrustAnchor}
 * objects (their given window), normalized to {@link TrustAnchor}.
 *
 * @throws WebAuthnError `ERR_OPTIONS_INVALID` naming `trustAnchors[i]` for anything else.
 */
export function normalizeTrustAnchors(list: readonly (ParsedCertificate | TrustAnchor)[]): readonly TrustAnchor[] {
  return list.map((item, index) => {
    const field = `trustAnchors[${index}]`;
    if (typeof item !== 'object' || item === null || !('certificate' in item)) {
      certificateInternals(item as ParsedCertificate, field);
      return anchorOf(item as ParsedCertificate);
    }
    const { certificate, validFrom, validUntil, label } = item;
    certificateInternals(certificate, `${field}.certificate`);
    const from = dateOf(validFrom, `${field}.validFrom`) ?? misuse(`${field}.validFrom`, 'must be a valid Date');
    const until = dateOf(validUntil, `${field}.validUntil`) ?? misuse(`${field}.validUntil`, 'must be a valid Date');
    if (label !== undefined && typeof label !== 'string') misuse(`${field}.label`, 'must be a string');
    return Object.freeze({ certificate, validFrom: from, validUntil: until, label });
  });
}

/** Where `now` lies with respect to the anchor's window. */
export function anchorStatusAt(anchor: TrustAnchor, now: Date): 'active' | 'expired' | 'not-yet-valid' {
  const time = now.getTime();
  if (time < anchor.validFrom.getTime()) return 'not-yet-valid';
  if (time > anchor.validUntil.getTime()) return 'expired';
  return 'active';
}
