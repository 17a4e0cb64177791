/**
 * Test FIDO metadata BLOBs: a signing chain from the test CA (root → intermediate → signing
 * certificate, EC P-256 or RSA-2048), payloads with entries, and compact JWS signing with full
 * control over the header (alg, x5c, extra members) for negative tests.
 */
import { webcrypto } from 'node:crypto';
import { bytesToBase64Url } from '../../src/encoding/base64url.js';
import { type TestCa, type TestCertificate, type TestKeyType, createTestCa } from './test-ca.js';

const subtle = webcrypto.subtle as unknown as SubtleCrypto;

/** A BLOB signing CA: `ca.leaf` signs, `ca.x5c` = [leaf, intermediate], `ca.trustAnchors` = [root]. */
export async function createBlobSigningCa(options: { readonly name?: string; readonly key?: 'P-256' | 'RSA-2048' } = {}): Promise<TestCa> {
  const key: TestKeyType = options.key ?? 'P-256';
  const name = options.name ?? 'MDS Test';
  return createTestCa({
    name,
    rootKey: key,
    intermediateKey: key,
    leafKey: key,
    leaf: {
      subject: { C: 'US', O: `${name} Alliance`, CN: `${name.toLowerCase().replace(/\s+/g, '-')}.example` },
      keyUsage: ['digitalSignature'],
    },
  });
}

/** Standard base64 (x5c and attestationRootCertificates use it, not base64url). */
export function standardBase64(bytes: Uint8Array): string {
  return Buffer.from(bytes).toString('base64');
}

function segment(value: unknown): string {
  return bytesToBase64Url(new TextEncoder().encode(typeof value === 'string' ? value : JSON.stringify(value)));
}

/** Options of {@link signMetadataBlob}. */
export interface SignBlobOptions {
  readonly payload: unknown;
  /** The key that signs (default `ca.leaf`). */
  readonly signer: TestCertificate;
  /** The header x5c as DER (default [signer]). */
  readonly x5c?: readonly Uint8Array[];
  /** The header alg (default from the signer key: ES256 or RS256). */
  readonly alg?: unknown;
  /** Members added to (or replacing) the header. `header: null` replaces the whole header text. */
  readonly header?: Readonly<Record<string, unknown>>;
  /** The algorithm actually used to sign (default matches the key). */
  readonly signWith?: 'ES256' | 'RS256';
}

/** Signs a BLOB as compact JWS. */
export async function signMetadataBlob(options: SignBlobOptions): Promise<string> {
  const rsa = options.signer.key.type === 'RSA-2048';
  const header = {
    alg: 'alg' in options ? options.alg : rsa ? 'RS256' : 'ES256',
    typ: 'JWT',
    x5c: (options.x5c ?? [options.signer.der]).map(standardBase64),
    ...options.header,
  };
  const input = `${segment(header)}.${segment(options.payload)}`;
  const algorithm = (options.signWith ?? (rsa ? 'RS256' : 'ES256')) === 'RS256' ? { name: 'RSASSA-PKCS1-v1_5' } : { name: 'ECDSA', hash: 'SHA-256' };
  const signature = new Uint8Array(await subtle.sign(algorithm, options.signer.privateKey, new TextEncoder().encode(input)));
  return `${input}.${bytesToBase64Url(signature)}`;
}

/** Options of {@link metadataEntry}. */
export interface EntryOptions {
  readonly aaguid?: string;
  readonly keyIdentifiers?: readonly string[];
  readonly description?: string;
  /** DER roots for attestationRootCertificates. */
  readonly roots?: readonly Uint8Array[];
  readonly statusReports?: readonly Readonly<Record<string, unknown>>[];
  /** Members merged into the entry / the statement (e.g. MDS 3.1.1 additions). */
  readonly extra?: Readonly<Record<string, unknown>>;
  readonly statementExtra?: Readonly<Record<string, unknown>>;
}

/** One MetadataBLOBPayloadEntry. */
export function metadataEntry(options: EntryOptions): Record<string, unknown> {
  const identifiers =
    options.aaguid !== undefined ? { aaguid: options.aaguid } : { attestationCertificateKeyIdentifiers: options.keyIdentifiers ?? [] };
  return {
    ...identifiers,
    metadataStatement: {
      legalHeader: 'https://fidoalliance.org/metadata/metadata-statement-legal-header/',
      ...identifiers,
      description: options.description ?? 'Test Authenticator',
      authenticatorVersion: 1,
      protocolFamily: options.aaguid !== undefined ? 'fido2' : 'u2f',
      schema: 3,
      attestationTypes: ['basic_full'],
      attestationRootCertificates: (options.roots ?? []).map(standardBase64),
      ...options.statementExtra,
    },
    statusReports: options.statusReports ?? [{ status: 'FIDO_CERTIFIED_L1', effectiveDate: '2024-03-01' }],
    timeOfLastStatusChange: '2024-03-01',
    ...options.extra,
  };
}

/** A MetadataBLOBPayload. */
export function metadataPayload(entries: readonly unknown[], overrides: Readonly<Record<string, unknown>> = {}): Record<string, unknown> {
  return {
    legalHeader: 'Retrieval and use of this BLOB indicates acceptance of the appropriate agreement.',
    no: 42,
    nextUpdate: '2030-07-01',
    entries,
    ...overrides,
  };
}
