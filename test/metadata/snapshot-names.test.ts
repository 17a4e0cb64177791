/**
 * loadVerifiedMetadata (the serverless path: verify at build time, load at start-up),
 * authenticatorName, and the shipped FIDO MDS anchors.
 */
import { existsSync, readFileSync } from 'node:fs';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  FIDO_MDS_TRUST_ANCHORS,
  FIDO_MDS_TRUST_ANCHOR_INFO,
  PASSKEY_PROVIDERS,
  PASSKEY_PROVIDERS_DATE,
  type VerifiedMetadata,
  authenticatorName,
  findMetadataByAaguid,
  loadVerifiedMetadata,
  verifyMetadataBlob,
} from '../../src/metadata/index.js';
import { parseCertificateInput } from '../../src/x509/index.js';
import { expectCode } from '../helpers/expect-code.js';
import { createBlobSigningCa, metadataEntry, metadataPayload, signMetadataBlob } from '../helpers/metadata-blob.js';
import { TEST_NOW } from '../helpers/test-ca.js';

const AAGUID = 'ee882879-721c-4913-9775-3dfcce97072a';
const BITWARDEN = 'd548826e-79b4-db40-a3d8-11116f7e8349';

let metadata: VerifiedMetadata;
let text: string;

beforeAll(async () => {
  const signer = await createBlobSigningCa();
  const entries = [
    metadataEntry({ aaguid: AAGUID, description: 'YubiKey-like Key', extra: { unknownMember: [1] } }),
    metadataEntry({ aaguid: BITWARDEN, description: 'Listed Provider' }),
  ];
  const blob = await signMetadataBlob({ payload: metadataPayload(entries), signer: signer.leaf, x5c: signer.x5c });
  metadata = await verifyMetadataBlob(blob, { trustAnchors: signer.trustAnchors, now: TEST_NOW });
  text = JSON.stringify(metadata);
});

// biome-ignore lint/suspicious/noExplicitAny: tests edit arbitrary members of the parsed snapshot
type Loose = Record<string, any>;

/** The snapshot JSON with one member changed by `edit`. */
function edited(edit: (snapshot: Loose) => void): string {
  const snapshot = JSON.parse(text);
  edit(snapshot);
  return JSON.stringify(snapshot);
}

describe('loadVerifiedMetadata', () => {
  it('restores text or a parsed object to an equal, deep-frozen snapshot that lookups accept', () => {
    for (const input of [text, JSON.parse(text)]) {
      const loaded = loadVerifiedMetadata(input);
      expect(loaded).toEqual(metadata);
      expect(Object.isFrozen(loaded.entries[0]?.statusReports[0])).toBe(true);
      expect(findMetadataByAaguid(loaded, AAGUID)?.unknownMember).toEqual([1]);
    }
  });

  it('the result does not share the input object', () => {
    const input = JSON.parse(text);
    const loaded = loadVerifiedMetadata(input);
    input.entries[0].metadataStatement.description = 'changed';
    expect(loaded.entries[0]?.metadataStatement?.description).toBe('YubiKey-like Key');
  });

  const cases: [string, (s: Loose) => void, string][] = [
    ['another format tag', (s) => (s.format = 'other@1'), 'snapshot.format'],
    ['no negative', (s) => (s.no = -1), 'snapshot.no'],
    ['nextUpdate not a date', (s) => (s.nextUpdate = 'tomorrow'), 'snapshot.nextUpdate'],
    ['verifiedAt not ISO', (s) => (s.verifiedAt = 'June'), 'snapshot.verifiedAt'],
    ['stale not a boolean', (s) => (s.stale = 'no'), 'snapshot.stale'],
    ['revocationChecked missing', (s) => delete s.revocationChecked, 'snapshot.revocationChecked'],
    ['anchor missing', (s) => delete s.anchor, 'snapshot.anchor'],
    ['anchor fingerprint not hex', (s) => (s.anchor.sha256 = 'AB'), 'snapshot.anchor.sha256'],
    ['unusedCertificates fractional', (s) => (s.unusedCertificates = 0.5), 'snapshot.unusedCertificates'],
    ['an entry AAGUID malformed', (s) => (s.entries[0].aaguid = 'x'), 'snapshot.entries[0].aaguid'],
    ['statusReports missing', (s) => delete s.entries[1].statusReports, 'snapshot.entries[1].statusReports'],
  ];
  for (const [name, edit, field] of cases) {
    it(`${name}: ERR_METADATA_INVALID naming ${field}`, () => {
      expect(expectCode(() => loadVerifiedMetadata(edited(edit)), 'ERR_METADATA_INVALID').details?.field).toBe(field);
    });
  }

  it('not JSON, nested too deep (text or object), or a non-JSON value: ERR_METADATA_INVALID', () => {
    expectCode(() => loadVerifiedMetadata('{'), 'ERR_METADATA_INVALID');
    expectCode(() => loadVerifiedMetadata(`{"x":${'['.repeat(50_000)}${']'.repeat(50_000)}}`), 'ERR_METADATA_INVALID');
    let deep: unknown = [];
    for (let i = 0; i < 50_000; i++) deep = [deep];
    expectCode(() => loadVerifiedMetadata({ ...JSON.parse(text), extra: deep }), 'ERR_METADATA_INVALID');
    expectCode(() => loadVerifiedMetadata({ ...JSON.parse(text), extra: () => 1 }), 'ERR_METADATA_INVALID');
    expectCode(() => loadVerifiedMetadata({ ...JSON.parse(text), no: Number.NaN }), 'ERR_METADATA_INVALID');
  });

  it('a throwing getter in an object input: ERR_METADATA_INVALID with the cause', () => {
    const input = JSON.parse(text);
    Object.defineProperty(input, 'legalHeader', { enumerable: true, get: () => { throw new Error('boom'); } });
    expect(expectCode(() => loadVerifiedMetadata(input), 'ERR_METADATA_INVALID').cause).toBeInstanceOf(Error);
  });

  it('a member named __proto__ in an object input stays a member (never a prototype)', () => {
    const input = JSON.parse(text.replace('"unknownMember"', '"__proto__"'));
    const loaded = loadVerifiedMetadata(input);
    const entry = loaded.entries[0]!;
    expect(Object.getPrototypeOf(entry)).toBe(Object.prototype);
    expect(Object.hasOwn(entry, '__proto__')).toBe(true);
  });

  it('neither text nor an object: ERR_OPTIONS_INVALID', () => {
    expectCode(() => loadVerifiedMetadata(42 as never), 'ERR_OPTIONS_INVALID');
    expectCode(() => loadVerifiedMetadata(null as never), 'ERR_OPTIONS_INVALID');
  });
});

describe('authenticatorName', () => {
  it('a metadata description, attested: source metadata, attested true', () => {
    expect(authenticatorName(AAGUID, { metadata, attested: true })).toEqual({ name: 'YubiKey-like Key', source: 'metadata', attested: true });
  });

  it('a passkey provider without attestation: the provider list, unattested', () => {
    expect(authenticatorName(BITWARDEN)).toEqual({ name: 'Bitwarden', source: 'provider-list', attested: false });
    // Unattested, the provider list wins over a metadata claim; attested, metadata wins.
    expect(authenticatorName(BITWARDEN, { metadata })?.source).toBe('provider-list');
    expect(authenticatorName(BITWARDEN, { metadata, attested: true })?.name).toBe('Listed Provider');
  });

  it('listed in metadata only, without attestation: metadata, attested false', () => {
    expect(authenticatorName(AAGUID.toUpperCase(), { metadata })).toEqual({ name: 'YubiKey-like Key', source: 'metadata', attested: false });
  });

  it('unknown, the zero AAGUID, or a replaced provider list: undefined or the caller list', () => {
    expect(authenticatorName('12345678-1234-4234-8234-123456789abc')).toBeUndefined();
    expect(authenticatorName(new Uint8Array(16))).toBeUndefined();
    expect(authenticatorName(BITWARDEN, { providers: {} })).toBeUndefined();
    expect(authenticatorName(BITWARDEN, { providers: { [BITWARDEN]: 'Vault' } })?.name).toBe('Vault');
    expect(authenticatorName('00000000-0000-0000-0000-00000000000f', { providers: { constructor: 'x' } })).toBeUndefined();
  });

  it('misuse: ERR_OPTIONS_INVALID', () => {
    expectCode(() => authenticatorName('nope'), 'ERR_OPTIONS_INVALID');
    expectCode(() => authenticatorName(BITWARDEN, { attested: 'yes' as never }), 'ERR_OPTIONS_INVALID');
    expectCode(() => authenticatorName(BITWARDEN, { providers: null as never }), 'ERR_OPTIONS_INVALID');
  });

  it('the bundled list: dated, lower-case AAGUIDs, names, frozen; the major providers present', () => {
    expect(PASSKEY_PROVIDERS_DATE).toMatch(/^\d{4}-\d{2}-\d{2}$/);
    expect(Object.isFrozen(PASSKEY_PROVIDERS)).toBe(true);
    for (const [aaguid, name] of Object.entries(PASSKEY_PROVIDERS)) {
      expect(aaguid).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/);
      expect(name.length).toBeGreaterThan(0);
    }
    const names = new Set(Object.values(PASSKEY_PROVIDERS));
    for (const name of ['Google Password Manager', 'Apple Passwords', '1Password', 'Bitwarden', 'Windows Hello']) expect(names.has(name)).toBe(true);
  });
});

describe('FIDO_MDS_TRUST_ANCHORS', () => {
  it('GlobalSign Root R3 and Root R46 with the documented SHA-256 fingerprints and validity', () => {
    expect(FIDO_MDS_TRUST_ANCHORS).toHaveLength(2);
    for (const info of FIDO_MDS_TRUST_ANCHOR_INFO) {
      const cert = parseCertificateInput(info.pem);
      expect(cert.sha256Fingerprint).toBe(info.sha256);
      expect(cert.notBefore.toISOString()).toBe(info.notBefore);
      expect(cert.notAfter.toISOString()).toBe(info.notAfter);
      expect(cert.isSelfIssued).toBe(true);
    }
    expect(FIDO_MDS_TRUST_ANCHOR_INFO.map((a) => a.sha256)).toEqual([
      'cbb522d7b7f127ad6a0113865bdf1cd4102e7d0759af635a7cf4720dc963c53b',
      '4fa3126d8d3a11d1c4855a4f807cbad6cf919d3a5a88b03bea2c6372d93c40c9',
    ]);
  });

  const debian = '/usr/share/ca-certificates/mozilla';
  it.skipIf(!existsSync(`${debian}/GlobalSign_Root_R46.crt`))('are byte for byte the certificates of Debian ca-certificates', () => {
    const files = ['GlobalSign_Root_CA_-_R3.crt', 'GlobalSign_Root_R46.crt'];
    files.forEach((file, index) => {
      const fromDebian = parseCertificateInput(readFileSync(`${debian}/${file}`, 'utf8'));
      expect(fromDebian.sha256Fingerprint).toBe(FIDO_MDS_TRUST_ANCHOR_INFO[index]?.sha256);
    });
  });
});
