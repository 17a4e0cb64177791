/**
 * `authenticatorName`: a display name for an AAGUID, saying where it came from and whether
 * attestation backs it. A FIDO metadata description wins when the registration's attestation was
 * verified against that metadata; otherwise the bundled passkey-provider list names synced-passkey
 * providers as an unattested hint.
 */
import { fail } from '../errors.js';
import { findMetadataByAaguid, normalizeAaguid } from './lookup.js';
import { PASSKEY_PROVIDERS } from './passkey-providers.js';
import type { VerifiedMetadata } from './types.js';

/** Options of {@link authenticatorName}. */
export interface AuthenticatorNameOptions {
  /** A verified snapshot to take `metadataStatement.description` from. */
  readonly metadata?: VerifiedMetadata | undefined;
  /**
   * The registration's attestation was verified against `metadata` (e.g. the result of
   * `verifyMetadataTrust` or a registration under a metadata policy). Default false.
   */
  readonly attested?: boolean | undefined;
  /** AAGUID (lower-case) → name; default the bundled {@link PASSKEY_PROVIDERS} snapshot. */
  readonly providers?: Readonly<Record<string, string>> | undefined;
}

/** A name and its provenance. */
export interface AuthenticatorName {
  readonly name: string;
  readonly source: 'metadata' | 'provider-list';
  /** True only for a metadata name whose attestation verified against that metadata. */
  readonly attested: boolean;
}

function misuse(field: string, message: string): never {
  fail('ERR_OPTIONS_INVALID', `authenticatorName: ${message}`, { details: { field } });
}

function lookupProvider(providers: Readonly<Record<string, string>>, aaguid: string): string | undefined {
  if (!Object.hasOwn(providers, aaguid)) return undefined;
  const name = providers[aaguid];
  return typeof name === 'string' && name.length > 0 ? name : undefined;
}

/**
 * The name of the authenticator with `aaguid`, or undefined (also for the zero AAGUID):
 * 1. attested and listed in `metadata` with a description → `{ source: 'metadata', attested: true }`;
 * 2. in the provider list → `{ source: 'provider-list', attested: false }`;
 * 3. listed in `metadata` without attestation → `{ source: 'metadata', attested: false }`.
 *
 * Provider names are hints: any client can claim an AAGUID, and a passkey moved between providers
 * (credential exchange) keeps its original AAGUID.
 */
export function authenticatorName(aaguid: string | Uint8Array, options: AuthenticatorNameOptions = {}): AuthenticatorName | undefined {
  if (typeof options !== 'object' || options === null) misuse('options', 'options must be an object');
  const { metadata, attested = false, providers = PASSKEY_PROVIDERS } = options;
  if (typeof attested !== 'boolean') misuse('attested', 'attested must be a boolean');
  if (typeof providers !== 'object' || providers === null) misuse('providers', 'providers must be an object of AAGUID → name');
  const key = normalizeAaguid(aaguid);
  if (key === undefined) return undefined;
  const description = metadata === undefined ? undefined : findMetadataByAaguid(metadata, key)?.metadataStatement?.description;
  const fromMetadata = typeof description === 'string' && description.length > 0 ? description : undefined;
  if (fromMetadata !== undefined && attested) return Object.freeze({ name: fromMetadata, source: 'metadata', attested: true });
  const provider = lookupProvider(providers, key);
  if (provider !== undefined) return Object.freeze({ name: provider, source: 'provider-list', attested: false });
  if (fromMetadata !== undefined) return Object.freeze({ name: fromMetadata, source: 'metadata', attested: false });
  return undefined;
}
