/**
 * Lookup (AAGUID, fido-u2f key identifier), the status history at `now`, the metadata status
 * policy and AAGUID-scoped attestation trust.
 */
import { createHash } from 'node:crypto';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  type VerifiedMetadata,
  attestationKeyIdentifier,
  checkMetadataStatus,
  evaluateMetadataStatus,
  findMetadataByAaguid,
  findMetadataByKeyIdentifier,
  isMetadataStale,
  verifyMetadataBlob,
  verifyMetadataTrust,
} from '../../src/metadata/index.js';
import { parseCertificate } from '../../src/x509/index.js';
import { expectCode, expectRejection } from '../helpers/expect-code.js';
import { createBlobSigningCa, metadataEntry, metadataPayload, signMetadataBlob } from '../helpers/metadata-blob.js';
import { type TestCa, TEST_NOW, createTestCa, issueCertificate } from '../helpers/test-ca.js';

const AAGUID_A = 'aaaaaaaa-0000-4000-8000-00000000000a';
const AAGUID_B = 'bbbbbbbb-0000-4000-8000-00000000000b';
const AAGUID_C = 'cccccccc-0000-4000-8000-00000000000c';
const AAGUID_D = 'dddddddd-0000-4000-8000-00000000000d';
const ZERO = new Uint8Array(16);

let vendorA: TestCa;
let vendorB: TestCa;
let u2fLeaf: Awaited<ReturnType<typeof issueCertificate>>;
let u2fKeyId: string;
let metadata: VerifiedMetadata;

beforeAll(async () => {
  vendorA = await createTestCa({ name: 'Vendor A' });
  vendorB = await createTestCa({ name: 'Vendor B' });
  u2fLeaf = await issueCertificate({
    issuer: vendorA.intermediate,
    subject: { C: 'US', O: 'Vendor A', CN: 'U2F Batch' },
    basicConstraints: null,
    keyUsage: null,
  });
  // RFC 5280 §4.2.1.2 method 1: SHA-1 of the subjectPublicKey bits (a P-256 point is the last 65 bytes).
  u2fKeyId = createHash('sha1').update(u2fLeaf.key.spki.subarray(-65)).digest('hex');
  const signer = await createBlobSigningCa();
  const entries = [
    metadataEntry({ aaguid: AAGUID_A, description: 'Vendor A Key', roots: [vendorA.root.der], statementExtra: { icon: 'data:image/png;base64,AA==' } }),
    metadataEntry({ aaguid: AAGUID_B, description: 'Vendor B Key', roots: [vendorB.root.der] }),
    metadataEntry({
      aaguid: AAGUID_C,
      description: 'Compromised Key',
      roots: [vendorA.root.der],
      statusReports: [
        { status: 'FIDO_CERTIFIED_L2', effectiveDate: '2024-01-10' },
        { status: 'ATTESTATION_KEY_COMPROMISE', effectiveDate: '2029-05-01' },
      ],
    }),
    metadataEntry({
      aaguid: AAGUID_D,
      description: 'Future Trouble Key',
      roots: [vendorA.root.der],
      statusReports: [
        { status: 'FIDO_CERTIFIED_L1', effectiveDate: '2024-01-10' },
        { status: 'REVOKED', effectiveDate: '2031-01-01' },
      ],
    }),
    metadataEntry({ keyIdentifiers: [u2fKeyId], description: 'Vendor A U2F', roots: [vendorA.root.der] }),
  ];
  metadata = await verifyMetadataBlob(await signMetadataBlob({ payload: metadataPayload(entries), signer: signer.leaf, x5c: signer.x5c }), {
    trustAnchors: signer.trustAnchors,
    now: TEST_NOW,
  });
});

const chainOf = (ca: TestCa) => ca.x5c.map((der) => parseCertificate(der));

describe('lookup', () => {
  it('by AAGUID: text in any case or 16 bytes; unknown and zero AAGUIDs find nothing', () => {
    expect(findMetadataByAaguid(metadata, AAGUID_A)?.metadataStatement?.description).toBe('Vendor A Key');
    expect(findMetadataByAaguid(metadata, AAGUID_A.toUpperCase())?.aaguid).toBe(AAGUID_A);
    const bytes = Uint8Array.from(Buffer.from(AAGUID_B.replace(/-/g, ''), 'hex'));
    expect(findMetadataByAaguid(metadata, bytes)?.aaguid).toBe(AAGUID_B);
    expect(findMetadataByAaguid(metadata, '12345678-1234-4234-8234-123456789abc')).toBeUndefined();
    expect(findMetadataByAaguid(metadata, ZERO)).toBeUndefined();
  });

  it('by attestation key identifier (fido-u2f): computed from the certificate, found in any case', () => {
    expect(attestationKeyIdentifier(parseCertificate(u2fLeaf.der))).toBe(u2fKeyId);
    expect(findMetadataByKeyIdentifier(metadata, u2fKeyId.toUpperCase())?.metadataStatement?.description).toBe('Vendor A U2F');
    expect(findMetadataByKeyIdentifier(metadata, '00'.repeat(20))).toBeUndefined();
  });

  it('low-level misuse: ERR_OPTIONS_INVALID, never a TypeError', async () => {
    expectCode(() => isMetadataStale(null as never, TEST_NOW), 'ERR_OPTIONS_INVALID');
    expectCode(() => checkMetadataStatus(null as never), 'ERR_OPTIONS_INVALID');
    expectCode(() => attestationKeyIdentifier({} as never), 'ERR_OPTIONS_INVALID');
    const fake = Object.freeze({ format: 'webauthn-verify/metadata@1', entries: Object.freeze([null]) });
    expectCode(() => findMetadataByAaguid(fake as never, AAGUID_A), 'ERR_OPTIONS_INVALID');
    await expectRejection(verifyMetadataTrust({ metadata, aaguid: ZERO, trustPath: [{} as never], now: TEST_NOW }), 'ERR_OPTIONS_INVALID');
    await expectRejection(verifyMetadataTrust(null as never), 'ERR_OPTIONS_INVALID');
    await expectRejection(verifyMetadataTrust({ metadata, aaguid: AAGUID_A, trustPath: chainOf(vendorA), now: 'x' as never }), 'ERR_OPTIONS_INVALID');
  });

  it('misuse: ERR_OPTIONS_INVALID naming the argument', () => {
    expect(expectCode(() => findMetadataByAaguid(metadata, 'not-a-uuid'), 'ERR_OPTIONS_INVALID').details?.field).toBe('aaguid');
    expect(expectCode(() => findMetadataByAaguid({ entries: [] } as never, AAGUID_A), 'ERR_OPTIONS_INVALID').details?.field).toBe('metadata');
    expect(expectCode(() => findMetadataByKeyIdentifier(metadata, 'xyz'), 'ERR_OPTIONS_INVALID').details?.field).toBe('keyIdentifier');
  });
});

describe('MDS3 §3.1.3: the status history at now', () => {
  it('a compromise effective before now applies and is the current status', () => {
    const facts = evaluateMetadataStatus(findMetadataByAaguid(metadata, AAGUID_C)!, TEST_NOW);
    expect(facts.current?.status).toBe('ATTESTATION_KEY_COMPROMISE');
    expect(facts.certificationLevel).toBe('FIDO_CERTIFIED_L2');
    const error = expectCode(() => checkMetadataStatus(facts), 'ERR_METADATA_STATUS');
    expect(error.details?.received).toBe('ATTESTATION_KEY_COMPROMISE');
  });

  it('the same compromise before its effective date does not apply yet', () => {
    const facts = evaluateMetadataStatus(findMetadataByAaguid(metadata, AAGUID_C)!, new Date('2029-04-30T23:59:59Z'));
    expect(facts.current?.status).toBe('FIDO_CERTIFIED_L2');
    expect(facts.future.map((r) => r.status)).toEqual(['ATTESTATION_KEY_COMPROMISE']);
    checkMetadataStatus(facts);
  });

  it('a revocation dated in the future: not in effect; in effect from 00:00 UTC of its date', () => {
    const entry = findMetadataByAaguid(metadata, AAGUID_D)!;
    checkMetadataStatus(evaluateMetadataStatus(entry, TEST_NOW));
    expectCode(() => checkMetadataStatus(evaluateMetadataStatus(entry, new Date('2031-01-01T00:00:00Z'))), 'ERR_METADATA_STATUS');
  });

  it('reports are ordered by effective date, not BLOB order; undated reports always apply', () => {
    const facts = evaluateMetadataStatus(
      {
        aaguid: AAGUID_A,
        statusReports: [{ status: 'UPDATE_AVAILABLE', effectiveDate: '2026-01-01' }, { status: 'FIDO_CERTIFIED_L1', effectiveDate: '2025-01-01' }, { status: 'NOT_FIDO_CERTIFIED' }],
      },
      TEST_NOW,
    );
    expect(facts.inEffect.map((r) => r.status)).toEqual(['NOT_FIDO_CERTIFIED', 'FIDO_CERTIFIED_L1', 'UPDATE_AVAILABLE']);
    expect(facts.current?.status).toBe('UPDATE_AVAILABLE');
  });

  it('each default undesired status rejects; a custom list replaces the default', () => {
    for (const status of ['REVOKED', 'ATTESTATION_KEY_COMPROMISE', 'USER_VERIFICATION_BYPASS', 'USER_KEY_REMOTE_COMPROMISE', 'USER_KEY_PHYSICAL_COMPROMISE']) {
      const facts = evaluateMetadataStatus({ aaguid: AAGUID_A, statusReports: [{ status, effectiveDate: '2025-01-01' }] }, TEST_NOW);
      expectCode(() => checkMetadataStatus(facts), 'ERR_METADATA_STATUS');
      checkMetadataStatus(facts, { undesiredStatuses: [] });
    }
    const update = evaluateMetadataStatus({ aaguid: AAGUID_A, statusReports: [{ status: 'UPDATE_AVAILABLE' }] }, TEST_NOW);
    checkMetadataStatus(update);
    expectCode(() => checkMetadataStatus(update, { undesiredStatuses: ['UPDATE_AVAILABLE'] }), 'ERR_METADATA_STATUS');
  });

  it('minimumCertification: L1 is below L2; L2plus reaches L2; a future L2 does not count; FIDO_CERTIFIED is L1', () => {
    const at = (reports: { status: string; effectiveDate?: string }[]) => evaluateMetadataStatus({ aaguid: AAGUID_A, statusReports: reports }, TEST_NOW);
    const policy = { minimumCertification: 'FIDO_CERTIFIED_L2' } as const;
    const error = expectCode(() => checkMetadataStatus(at([{ status: 'FIDO_CERTIFIED_L1' }]), policy), 'ERR_METADATA_STATUS');
    expect(error.details?.reason).toBe('certification');
    checkMetadataStatus(at([{ status: 'FIDO_CERTIFIED_L2plus', effectiveDate: '2025-02-02' }]), policy);
    expectCode(() => checkMetadataStatus(at([{ status: 'FIDO_CERTIFIED_L2', effectiveDate: '2031-01-01' }]), policy), 'ERR_METADATA_STATUS');
    expectCode(() => checkMetadataStatus(at([]), policy), 'ERR_METADATA_STATUS');
    expect(at([{ status: 'FIDO_CERTIFIED' }]).certificationLevel).toBe('FIDO_CERTIFIED_L1');
  });

  it('policy misuse: ERR_OPTIONS_INVALID', () => {
    const facts = evaluateMetadataStatus({ aaguid: AAGUID_A, statusReports: [] }, TEST_NOW);
    expectCode(() => checkMetadataStatus(facts, { minimumCertification: 'L2' as never }), 'ERR_OPTIONS_INVALID');
    expectCode(() => checkMetadataStatus(facts, { undesiredStatuses: 'REVOKED' as never }), 'ERR_OPTIONS_INVALID');
    expectCode(() => evaluateMetadataStatus({} as never, TEST_NOW), 'ERR_OPTIONS_INVALID');
  });
});

describe('§7.1 step 24 with metadata: AAGUID-scoped trust', () => {
  it("an authenticator chaining to its own entry's root: trusted, with the entry's name, icon and anchor", async () => {
    const trust = await verifyMetadataTrust({ metadata, aaguid: AAGUID_A, trustPath: chainOf(vendorA), now: TEST_NOW });
    expect(trust.matchedBy).toBe('aaguid');
    expect(trust.description).toBe('Vendor A Key');
    expect(trust.icon).toBe('data:image/png;base64,AA==');
    expect(trust.anchor.subject).toContain('Vendor A Root CA');
    expect(trust.status.current?.status).toBe('FIDO_CERTIFIED_L1');
  });

  it("a root listed for authenticator A does not make authenticator B trusted: ERR_METADATA_UNTRUSTED", async () => {
    // Vendor A's chain (its root is in the BLOB, for AAGUID A) claiming AAGUID B.
    const error = await expectRejection(
      verifyMetadataTrust({ metadata, aaguid: AAGUID_B, trustPath: chainOf(vendorA), now: TEST_NOW }),
      'ERR_METADATA_UNTRUSTED',
    );
    expect(error.details?.reason).toBe('no-path');
    // And B's own chain verifies for B.
    expect((await verifyMetadataTrust({ metadata, aaguid: AAGUID_B, trustPath: chainOf(vendorB), now: TEST_NOW })).description).toBe('Vendor B Key');
  });

  it('none or self attestation (no trust path) never satisfies metadata: ERR_METADATA_UNTRUSTED', async () => {
    const error = await expectRejection(verifyMetadataTrust({ metadata, aaguid: AAGUID_A, trustPath: [], now: TEST_NOW }), 'ERR_METADATA_UNTRUSTED');
    expect(error.details?.reason).toBe('no-attestation');
  });

  it('an AAGUID the BLOB does not list: ERR_METADATA_UNTRUSTED', async () => {
    const error = await expectRejection(
      verifyMetadataTrust({ metadata, aaguid: '12345678-1234-4234-8234-123456789abc', trustPath: chainOf(vendorA), now: TEST_NOW }),
      'ERR_METADATA_UNTRUSTED',
    );
    expect(error.details?.reason).toBe('not-listed');
  });

  it('fido-u2f (zero AAGUID): matched by the attestation key identifier', async () => {
    const trust = await verifyMetadataTrust({ metadata, aaguid: ZERO, trustPath: [u2fLeaf.der, vendorA.intermediate.der], now: TEST_NOW });
    expect(trust.matchedBy).toBe('keyIdentifier');
    expect(trust.description).toBe('Vendor A U2F');
    // Another certificate of the same CA has another key identifier: not listed.
    await expectRejection(verifyMetadataTrust({ metadata, aaguid: ZERO, trustPath: chainOf(vendorA), now: TEST_NOW }), 'ERR_METADATA_UNTRUSTED');
  });

  it('a compromised authenticator with a valid chain: ERR_METADATA_STATUS; before the compromise date: trusted', async () => {
    await expectRejection(verifyMetadataTrust({ metadata, aaguid: AAGUID_C, trustPath: chainOf(vendorA), now: TEST_NOW }), 'ERR_METADATA_STATUS');
    const before = new Date('2029-01-01T00:00:00Z');
    expect((await verifyMetadataTrust({ metadata, aaguid: AAGUID_C, trustPath: chainOf(vendorA), now: before })).description).toBe('Compromised Key');
  });

  it('an attestation type the statement does not list: ERR_METADATA_UNTRUSTED; basic is accepted for basic_full', async () => {
    const input = { metadata, aaguid: AAGUID_A, trustPath: chainOf(vendorA), now: TEST_NOW };
    const error = await expectRejection(verifyMetadataTrust({ ...input, attestationType: 'anonca' }), 'ERR_METADATA_UNTRUSTED');
    expect(error.details?.reason).toBe('attestation-type');
    expect((await verifyMetadataTrust({ ...input, attestationType: 'basic' })).description).toBe('Vendor A Key');
  });

  it('the certification minimum applies through the policy argument', async () => {
    await expectRejection(
      verifyMetadataTrust({ metadata, aaguid: AAGUID_A, trustPath: chainOf(vendorA), now: TEST_NOW }, { minimumCertification: 'FIDO_CERTIFIED_L2' }),
      'ERR_METADATA_STATUS',
    );
  });
});
