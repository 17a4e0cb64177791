/**
 * verifyRegistrationResponse(…, { attestation: { metadata, policy } }): §7.1 steps 23–24 with a
 * verified FIDO metadata snapshot as the trust source (AAGUID-scoped), status policy, and the
 * facts in the result.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { reevaluateAttestation } from '../../src/ceremony/reevaluate-attestation.js';
import { verifyRegistrationResponse } from '../../src/ceremony/verify-registration.js';
import { type VerifiedMetadata, authenticatorName, verifyMetadataBlob } from '../../src/metadata/index.js';
import { expectRejection } from '../helpers/expect-code.js';
import { createBlobSigningCa, metadataEntry, metadataPayload, signMetadataBlob } from '../helpers/metadata-blob.js';
import {
  type SyntheticRegistration,
  attestationCa,
  createRegistration,
  seededCredentialKey,
  u2fCa,
  uuidBytes,
} from '../helpers/synthetic-registration.js';
import { TEST_NOW } from '../helpers/test-ca.js';
import { createHash } from 'node:crypto';

const LISTED = 'a1b2c3d4-0000-4000-8000-0000000000a1';
const OTHER = 'a1b2c3d4-0000-4000-8000-0000000000b2';
const COMPROMISED = 'a1b2c3d4-0000-4000-8000-0000000000c3';
const SELF_ONLY = 'a1b2c3d4-0000-4000-8000-0000000000d4';

let metadata: VerifiedMetadata;
/** The same BLOB a month later: LISTED reported compromised from 2030-05-15. */
let newer: VerifiedMetadata;
let listed: SyntheticRegistration;

async function packed(aaguid: string, caName = 'Metadata Vendor'): Promise<SyntheticRegistration> {
  return createRegistration({ format: 'packed', aaguid: uuidBytes(aaguid), ca: { name: caName } });
}

function expectations(registration: SyntheticRegistration, attestation: Record<string, unknown>) {
  return { ...registration.expected, attestation: { require: 'trusted', metadata, ...attestation } } as never;
}

beforeAll(async () => {
  const vendor = await attestationCa({ name: 'Metadata Vendor', leaf: { aaguid: uuidBytes(LISTED) } });
  const otherVendor = await attestationCa({ name: 'Other Vendor', leaf: { aaguid: uuidBytes(OTHER) } });
  const u2f = await u2fCa({ name: 'Metadata U2F' });
  const u2fKeyId = createHash('sha1').update(u2f.leaf.key.spki.subarray(-65)).digest('hex');
  const signer = await createBlobSigningCa();
  const entries = [
    metadataEntry({ aaguid: LISTED, description: 'Metadata Vendor Key', roots: [vendor.root.der], statusReports: [{ status: 'FIDO_CERTIFIED_L1', effectiveDate: '2024-02-01' }] }),
    metadataEntry({ aaguid: OTHER, description: 'Other Vendor Key', roots: [otherVendor.root.der] }),
    metadataEntry({
      aaguid: COMPROMISED,
      description: 'Compromised Key',
      roots: [vendor.root.der],
      statusReports: [{ status: 'USER_VERIFICATION_BYPASS', effectiveDate: '2029-01-01' }],
    }),
    metadataEntry({ keyIdentifiers: [u2fKeyId], description: 'Metadata U2F Key', roots: [u2f.root.der] }),
    metadataEntry({ aaguid: SELF_ONLY, description: 'Self Only Key', roots: [vendor.root.der], statementExtra: { attestationTypes: ['basic_surrogate'] } }),
  ];
  const blob = await signMetadataBlob({ payload: metadataPayload(entries), signer: signer.leaf, x5c: signer.x5c });
  metadata = await verifyMetadataBlob(blob, { trustAnchors: signer.trustAnchors, now: TEST_NOW });
  const compromisedLater = entries.map((entry) =>
    entry.aaguid === LISTED
      ? { ...entry, statusReports: [...(entry.statusReports as object[]), { status: 'ATTESTATION_KEY_COMPROMISE', effectiveDate: '2030-05-15' }] }
      : entry,
  );
  const newerBlob = await signMetadataBlob({ payload: metadataPayload(compromisedLater, { no: 43 }), signer: signer.leaf, x5c: signer.x5c });
  newer = await verifyMetadataBlob(newerBlob, { trustAnchors: signer.trustAnchors, now: TEST_NOW, previousNo: 42 });
  listed = await packed(LISTED);
});

describe('§7.1 step 24 under a metadata policy', () => {
  it("MDS3 P-1, Resp-5 P-2 an attestation its own entry vouches for: trusted without caller anchors, with the entry's facts", async () => {
    const result = await verifyRegistrationResponse(listed.response, expectations(listed, {}));
    expect(result.attestation.trusted).toBe(true);
    expect(result.attestation.metadata?.description).toBe('Metadata Vendor Key');
    expect(result.attestation.metadata?.matchedBy).toBe('aaguid');
    expect(result.attestation.metadata?.status?.status).toBe('FIDO_CERTIFIED_L1');
    expect(result.attestation.metadata?.certificationLevel).toBe('FIDO_CERTIFIED_L1');
    expect(result.attestation.metadata?.blobNo).toBe(42);
    expect(result.attestation.trustAnchor).toEqual(listed.ca?.root.der);
    expect(authenticatorName(result.attestation.aaguid, { metadata, attested: result.attestation.metadata !== undefined })).toEqual({
      name: 'Metadata Vendor Key',
      source: 'metadata',
      attested: true,
    });
  });

  it("a root listed for another authenticator does not vouch: ERR_METADATA_UNTRUSTED", async () => {
    // The Metadata Vendor CA (listed for LISTED) attesting an authenticator that claims OTHER.
    const claimsOther = await packed(OTHER);
    const error = await expectRejection(verifyRegistrationResponse(claimsOther.response, expectations(claimsOther, {})), 'ERR_METADATA_UNTRUSTED');
    expect(error.details?.reason).toBe('no-path');
  });

  it('packed self attestation and fmt none never satisfy metadata: ERR_METADATA_UNTRUSTED', async () => {
    const self = await createRegistration({ format: 'packed', self: true, aaguid: uuidBytes(LISTED) });
    const none = await createRegistration({ format: 'none', aaguid: uuidBytes(LISTED) });
    for (const registration of [self, none]) {
      const error = await expectRejection(
        verifyRegistrationResponse(registration.response, expectations(registration, { require: 'valid' })),
        'ERR_METADATA_UNTRUSTED',
      );
      expect(error.details?.reason).toBe('no-attestation');
    }
  });

  it('an unlisted AAGUID: ERR_METADATA_UNTRUSTED; with requireMetadata false: accepted on the caller anchors, no metadata facts', async () => {
    const unlisted = await packed('0badc0de-0000-4000-8000-000000000001', 'Unlisted Vendor');
    await expectRejection(verifyRegistrationResponse(unlisted.response, expectations(unlisted, {})), 'ERR_METADATA_UNTRUSTED');
    const result = await verifyRegistrationResponse(
      unlisted.response,
      expectations(unlisted, { trustAnchors: unlisted.expected.attestation?.trustAnchors, policy: { requireMetadata: false } }),
    );
    expect(result.attestation.trusted).toBe(true);
    expect(result.attestation.metadata).toBeUndefined();
  });

  it('MDS3 F-1 a compromise status in effect: ERR_METADATA_STATUS, also with requireMetadata false and an unattested claim', async () => {
    const compromised = await packed(COMPROMISED);
    await expectRejection(verifyRegistrationResponse(compromised.response, expectations(compromised, {})), 'ERR_METADATA_STATUS');
    const noneClaim = await createRegistration({ format: 'none', aaguid: uuidBytes(COMPROMISED) });
    await expectRejection(
      verifyRegistrationResponse(noneClaim.response, expectations(noneClaim, { require: 'valid', policy: { requireMetadata: false } })),
      'ERR_METADATA_STATUS',
    );
  });

  it('Resp-6 F-2 full (basic) attestation from an authenticator whose statement lists only basic_surrogate: ERR_METADATA_UNTRUSTED', async () => {
    const selfOnly = await packed(SELF_ONLY);
    const error = await expectRejection(verifyRegistrationResponse(selfOnly.response, expectations(selfOnly, {})), 'ERR_METADATA_UNTRUSTED');
    expect(error.details?.reason).toBe('attestation-type');
  });

  it('minimumCertification above the level in effect: ERR_METADATA_STATUS', async () => {
    await expectRejection(
      verifyRegistrationResponse(listed.response, expectations(listed, { policy: { minimumCertification: 'FIDO_CERTIFIED_L2' } })),
      'ERR_METADATA_STATUS',
    );
  });

  it('fido-u2f (zero AAGUID): vouched for by the attestation key identifier', async () => {
    const u2f = await createRegistration({ format: 'fido-u2f', ca: { name: 'Metadata U2F' } });
    const result = await verifyRegistrationResponse(u2f.response, expectations(u2f, {}));
    expect(result.attestation.metadata?.matchedBy).toBe('keyIdentifier');
    expect(result.attestation.metadata?.description).toBe('Metadata U2F Key');
  });
});

describe('metadata expectations: misuse is ERR_OPTIONS_INVALID naming the member', () => {
  const cases: [string, Record<string, unknown>, string][] = [
    ['require none with metadata', { require: 'none' }, 'attestation.metadata'],
    ['metadata that is not a snapshot', { metadata: { entries: [] } }, 'attestation.metadata'],
    ['policy without metadata', { metadata: undefined, policy: {} }, 'attestation.policy'],
    ['an unknown policy member', { policy: { requireMetadta: true } }, 'attestation.policy.requireMetadta'],
    ['requireMetadata not a boolean', { policy: { requireMetadata: 'yes' } }, 'attestation.policy.requireMetadata'],
    ['an unknown certification level', { policy: { minimumCertification: 'L2' } }, 'attestation.policy.minimumCertification'],
  ];
  it('a policy getter that throws: ERR_CALLBACK_FAILED with the cause', async () => {
    const policy = Object.defineProperty({}, 'requireMetadata', { enumerable: true, get: () => { throw new Error('boom'); } });
    const error = await expectRejection(verifyRegistrationResponse(listed.response, expectations(listed, { policy })), 'ERR_CALLBACK_FAILED');
    expect(error.cause).toBeInstanceOf(Error);
  });

  for (const [name, attestation, field] of cases) {
    it(name, async () => {
      const error = await expectRejection(verifyRegistrationResponse(listed.response, expectations(listed, attestation)), 'ERR_OPTIONS_INVALID');
      expect(error.details?.field).toBe(field);
    });
  }
});

describe('re-evaluation of a stored registration against a newer snapshot', () => {
  it('a compromise reported after the registration is found, without the challenge: ERR_METADATA_STATUS', async () => {
    const { credential } = await verifyRegistrationResponse(listed.response, expectations(listed, {}));
    const stored = JSON.parse(JSON.stringify(credential));
    const again = await reevaluateAttestation(stored, { metadata, now: TEST_NOW });
    expect(again.metadata?.description).toBe('Metadata Vendor Key');
    expect(again.type).toBe('basic');
    const error = await expectRejection(reevaluateAttestation(stored, { metadata: newer, now: TEST_NOW }), 'ERR_METADATA_STATUS');
    expect(error.details?.received).toBe('ATTESTATION_KEY_COMPROMISE');
    // Before the compromise date the newer snapshot still accepts it.
    expect((await reevaluateAttestation(stored, { metadata: newer, now: new Date('2030-05-14T00:00:00Z') })).metadata?.blobNo).toBe(43);
  });

  it('a record without the stored attestation, or with another credential\'s: ERR_CREDENTIAL_RECORD_INVALID', async () => {
    const { credential } = await verifyRegistrationResponse(listed.response, expectations(listed, {}));
    const { attestationObject: _drop, ...withoutObject } = credential;
    const error = await expectRejection(reevaluateAttestation(withoutObject, { metadata }), 'ERR_CREDENTIAL_RECORD_INVALID');
    expect(error.details?.field).toBe('attestationObject');
    const second = await createRegistration({
      format: 'packed',
      aaguid: uuidBytes(LISTED),
      ca: { name: 'Metadata Vendor' },
      credentialId: new Uint8Array(16).fill(7),
      credentialKey: seededCredentialKey('ES256', 'second credential'),
    });
    const foreign = await verifyRegistrationResponse(second.response, expectations(second, {}));
    expect(foreign.credential.id).not.toBe(credential.id);
    const swapped = { ...credential, attestationObject: foreign.credential.attestationObject };
    const mismatch = await expectRejection(reevaluateAttestation(swapped, { metadata }), 'ERR_CREDENTIAL_RECORD_INVALID');
    expect(mismatch.details?.field).toBe('attestationObject');
  });

  it('a stored clientDataJSON changed since: the statement no longer verifies (ERR_ATTESTATION_SIGNATURE_INVALID)', async () => {
    const { credential } = await verifyRegistrationResponse(listed.response, expectations(listed, {}));
    const clientData = JSON.parse(Buffer.from(credential.attestationClientDataJSON as string, 'base64url').toString());
    const changed = Buffer.from(JSON.stringify({ ...clientData, challenge: 'AAAA' })).toString('base64url');
    await expectRejection(reevaluateAttestation({ ...credential, attestationClientDataJSON: changed }, { metadata }), 'ERR_ATTESTATION_SIGNATURE_INVALID');
  });

  it('misuse: ERR_OPTIONS_INVALID', async () => {
    const { credential } = await verifyRegistrationResponse(listed.response, expectations(listed, {}));
    await expectRejection(reevaluateAttestation(credential, { metadata: undefined as never }), 'ERR_OPTIONS_INVALID');
    await expectRejection(reevaluateAttestation(credential, { metadata, now: 'today' as never }), 'ERR_OPTIONS_INVALID');
  });
});
