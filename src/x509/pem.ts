/**
 * Certificate input forms relying parties configure trust anchors in: PEM (RFC 7468), bare
 * base64 DER (as in FIDO MDS `attestationRootCertificates`) or DER bytes. Parsed anchors are
 * cached by their text or fingerprint, since the same anchors come with every registration.
 */
import { fail } from '../errors.js';
import { base64UrlToBytes } from '../encoding/base64url.js';
import { BoundedCache, sha256Hex } from './bounded-cache.js';
import { type ParsedCertificate, parseCertificate } from './certificate.js';
import { CERT_LIMITS } from './der.js';

const PEM_BLOCK = /-----BEGIN ([A-Z0-9 ]+)-----([^-]*)-----END ([A-Z0-9 ]+)-----/g;
const MAX_TEXT = 1 << 20;
/** Longer texts are parsed every time rather than kept as cache keys. */
const MAX_CACHED_TEXT = 32 * 1024;
const STEP = '7.1.23';
const ANCHOR_CACHE_SIZE = 256;
const anchorCache = new BoundedCache<string, readonly ParsedCertificate[]>(ANCHOR_CACHE_SIZE);

function base64ToDer(text: string): Uint8Array {
  const compact = text.replace(/\s+/g, '');
  if (!/^[A-Za-z0-9+/]*={0,2}$/.test(compact) || compact.length % 4 !== 0 || compact.length === 0) {
    fail('ERR_CERT_MALFORMED', 'Certificate text is not PEM or base64', { step: STEP });
  }
  // Reuse the strict decoder: standard and URL alphabets differ only in two characters.
  const url = compact.replace(/=+$/, '').replace(/\+/g, '-').replace(/\//g, '_');
  try {
    return base64UrlToBytes(url, Math.ceil((CERT_LIMITS.maxBytes * 4) / 3) + 4);
  } catch (error) {
    fail('ERR_CERT_MALFORMED', 'Certificate base64 is not canonical or too long', { step: STEP, cause: error });
  }
}

/** The DER of every certificate in `text` (PEM blocks, or one bare base64 certificate). */
function textToDers(text: string): Uint8Array[] {
  if (text.length > MAX_TEXT) fail('ERR_CERT_MALFORMED', 'Certificate text is too long', { step: STEP });
  if (!text.includes('-----BEGIN')) return [base64ToDer(text)];
  const ders: Uint8Array[] = [];
  for (const match of text.matchAll(PEM_BLOCK)) {
    const [, label, body, endLabel] = match;
    if (label !== 'CERTIFICATE' || endLabel !== 'CERTIFICATE') {
      fail('ERR_CERT_MALFORMED', `PEM block "${label}" is not a CERTIFICATE`, { step: STEP });
    }
    ders.push(base64ToDer(body ?? ''));
  }
  if (ders.length === 0 || ders.length !== text.split('-----BEGIN').length - 1) {
    fail('ERR_CERT_MALFORMED', 'PEM text holds an incomplete block or no CERTIFICATE block', { step: STEP });
  }
  return ders;
}

/** Empties the trust anchor cache. */
export function clearTrustAnchorCache(): void {
  anchorCache.clear();
}

function parseInputCached(input: string | Uint8Array, field: string): readonly ParsedCertificate[] {
  if (typeof input !== 'string' && !(input instanceof Uint8Array)) {
    fail('ERR_OPTIONS_INVALID', `${field} must be PEM or base64 text, or DER bytes`, { step: STEP, details: { field } });
  }
  const key =
    typeof input === 'string' ? (input.length <= MAX_CACHED_TEXT ? `t:${input}` : undefined) : `d:${sha256Hex(input)}`;
  const cached = key === undefined ? undefined : anchorCache.get(key);
  if (cached !== undefined) return cached;
  const certificates = Object.freeze(
    typeof input === 'string' ? textToDers(input).map((der) => parseCertificate(der)) : [parseCertificate(input)],
  );
  if (key !== undefined) anchorCache.set(key, certificates);
  return certificates;
}

/**
 * Parses one certificate given as PEM text (exactly one CERTIFICATE block), bare base64 DER or
 * DER bytes. Results are cached (bounded) by the input, so repeated calls are cheap.
 *
 * @throws WebAuthnError `ERR_CERT_MALFORMED` for undecodable input or several certificates;
 *   `ERR_OPTIONS_INVALID` when `input` is neither text nor bytes.
 */
export function parseCertificateInput(input: string | Uint8Array): ParsedCertificate {
  const certificates = parseInputCached(input, 'input');
  if (certificates.length !== 1) {
    fail('ERR_CERT_MALFORMED', `Expected one certificate, found ${certificates.length} (use parseTrustAnchors)`, { step: STEP });
  }
  return certificates[0] as ParsedCertificate;
}

/**
 * Parses a list of trust anchors; each entry may be PEM text with any number of CERTIFICATE
 * blocks, bare base64 DER or DER bytes. Duplicates (same DER) are dropped; order is kept.
 *
 * @throws WebAuthnError `ERR_CERT_MALFORMED` when an entry is not a certificate;
 *   `ERR_OPTIONS_INVALID` naming `trustAnchors[i]` when an entry is neither text nor bytes.
 */
export function parseTrustAnchors(list: readonly (string | Uint8Array)[]): ParsedCertificate[] {
  if (!Array.isArray(list)) fail('ERR_OPTIONS_INVALID', 'trustAnchors must be an array', { step: STEP, details: { field: 'trustAnchors' } });
  const seen = new Set<string>();
  const anchors: ParsedCertificate[] = [];
  for (const [index, entry] of list.entries()) {
    for (const certificate of parseInputCached(entry, `trustAnchors[${index}]`)) {
      if (seen.has(certificate.sha256Fingerprint)) continue;
      seen.add(certificate.sha256Fingerprint);
      anchors.push(certificate);
    }
  }
  return anchors;
}
