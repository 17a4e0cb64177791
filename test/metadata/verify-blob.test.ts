/**
 * verifyMetadataBlob (MDS3 §3.2): BLOBs signed by a test CA chain, every rejection with its exact code.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { bytesToBase64Url } from '../../src/encoding/base64url.js';
import { isMetadataStale, loadVerifiedMetadata, verifyMetadataBlob } from '../../src/metadata/index.js';
import { expectRejection, rejection } from '../helpers/expect-code.js';
import { createBlobSigningCa, metadataEntry, metadataPayload, signMetadataBlob } from '../helpers/metadata-blob.js';
import { type TestCa, TEST_NOW, createTestCa, issueCertificate, issueCrl } from '../helpers/test-ca.js';

const AAGUID = 'ee882879-721c-4913-9775-3dfcce97072a';

let ca: TestCa;
let rsaCa: TestCa;
let payload: Record<string, unknown>;

beforeAll(async () => {
  ca = await createBlobSigningCa();
  rsaCa = await createBlobSigningCa({ name: 'MDS RSA', key: 'RSA-2048' });
  payload = metadataPayload([metadataEntry({ aaguid: AAGUID, description: 'Example Key' })]);
});

function sign(overrides: Partial<Parameters<typeof signMetadataBlob>[0]> = {}): Promise<string> {
  return signMetadataBlob({ payload, signer: ca.leaf, x5c: ca.x5c, ...overrides });
}

function verify(blob: string, options: Partial<Parameters<typeof verifyMetadataBlob>[1]> = {}) {
  return verifyMetadataBlob(blob, { trustAnchors: ca.trustAnchors, now: TEST_NOW, ...options });
}

/** Replaces one segment of a compact JWS. */
function withSegment(blob: string, index: number, value: string): string {
  const parts = blob.split('.');
  parts[index] = value;
  return parts.join('.');
}

const json = (value: unknown) => bytesToBase64Url(new TextEncoder().encode(JSON.stringify(value)));

describe('MDS3 §3.2: a valid BLOB', () => {
  it('ES256: returns a frozen snapshot with no, nextUpdate, the anchor and the entries', async () => {
    const metadata = await verify(await sign());
    expect(metadata.no).toBe(42);
    expect(metadata.nextUpdate).toBe('2030-07-01');
    expect(metadata.stale).toBe(false);
    expect(metadata.verifiedAt).toBe(TEST_NOW.toISOString());
    expect(metadata.unusedCertificates).toBe(0);
    expect(metadata.revocationChecked).toBe(false);
    expect(metadata.anchor.subject).toContain('MDS Test Root CA');
    expect(metadata.anchor.sha256).toMatch(/^[0-9a-f]{64}$/);
    expect(metadata.entries).toHaveLength(1);
    expect(metadata.entries[0]?.aaguid).toBe(AAGUID);
    expect(Object.isFrozen(metadata)).toBe(true);
    expect(Object.isFrozen(metadata.entries[0]?.metadataStatement)).toBe(true);
    expect(loadVerifiedMetadata(JSON.stringify(metadata))).toEqual(metadata);
  });

  it('RS256 with an RSA signing chain', async () => {
    const blob = await signMetadataBlob({ payload, signer: rsaCa.leaf, x5c: rsaCa.x5c });
    const metadata = await verifyMetadataBlob(blob, { trustAnchors: rsaCa.trustAnchors, now: TEST_NOW });
    expect(metadata.entries[0]?.metadataStatement?.description).toBe('Example Key');
  });

  it('tolerates unknown members (MDS 3.1.1 additions) and keeps them', async () => {
    const entry = metadataEntry({
      aaguid: AAGUID,
      extra: { futureEntryMember: { nested: [1, 2] } },
      statementExtra: {
        cxConfigURL: 'https://example.com/cx',
        authenticatorGetInfo: { versions: ['FIDO_2_2', 'FIDO_2_3'], encIdentifier: true, transportsForReset: ['usb'] },
      },
      statusReports: [{ status: 'A_STATUS_NOT_YET_DEFINED', effectiveDate: '2025-01-01', certificationProfiles: ['consumer'] }],
    });
    const blob = await sign({ payload: metadataPayload([entry], { futurePayloadMember: 'x' }), header: { kid: 'k1' } });
    const metadata = await verify(blob);
    const stored = metadata.entries[0]!;
    expect(stored.futureEntryMember).toEqual({ nested: [1, 2] });
    expect(stored.metadataStatement?.cxConfigURL).toBe('https://example.com/cx');
    expect(stored.statusReports[0]?.status).toBe('A_STATUS_NOT_YET_DEFINED');
  });
});

describe('MDS3 §3.2 step 6: the JWS signature and its algorithm', () => {
  it('MDS3 F-2 a payload changed after signing: ERR_METADATA_SIGNATURE_INVALID', async () => {
    const blob = await sign();
    const forged = withSegment(blob, 1, json(metadataPayload([metadataEntry({ aaguid: AAGUID })], { no: 43 })));
    await expectRejection(verify(forged), 'ERR_METADATA_SIGNATURE_INVALID', 'mds.3.2.6');
  });

  it('a signature by another key: ERR_METADATA_SIGNATURE_INVALID', async () => {
    const other = await createBlobSigningCa({ name: 'Other' });
    await expectRejection(verify(await sign({ signer: other.leaf })), 'ERR_METADATA_SIGNATURE_INVALID');
  });

  it('an ES256 signature that is not 64 bytes: ERR_METADATA_SIGNATURE_INVALID', async () => {
    const blob = await sign();
    await expectRejection(verify(withSegment(blob, 2, bytesToBase64Url(new Uint8Array(63)))), 'ERR_METADATA_SIGNATURE_INVALID');
  });

  it('alg none, with or without a signature: ERR_METADATA_ALG_NOT_ALLOWED', async () => {
    const blob = await sign({ alg: 'none' });
    await expectRejection(verify(blob), 'ERR_METADATA_ALG_NOT_ALLOWED');
    await expectRejection(verify(withSegment(blob, 2, '')), 'ERR_METADATA_ALG_NOT_ALLOWED');
  });

  it('HS256 (HMAC keyed with anything): ERR_METADATA_ALG_NOT_ALLOWED', async () => {
    await expectRejection(verify(await sign({ alg: 'HS256' })), 'ERR_METADATA_ALG_NOT_ALLOWED');
  });

  it('alg missing, not a string, or another case: ERR_METADATA_ALG_NOT_ALLOWED', async () => {
    for (const alg of [null, 7, 'es256', 'PS256', 'ES384']) {
      const error = await expectRejection(verify(await sign({ alg })), 'ERR_METADATA_ALG_NOT_ALLOWED');
      expect(error.details?.field).toBe('header.alg');
    }
  });

  it('a header alg that does not fit the certificate key (ES256 on RSA, RS256 on P-256): ERR_METADATA_ALG_NOT_ALLOWED', async () => {
    const rsaAsEs = await signMetadataBlob({ payload, signer: rsaCa.leaf, x5c: rsaCa.x5c, alg: 'ES256' });
    const error = await expectRejection(
      verifyMetadataBlob(rsaAsEs, { trustAnchors: rsaCa.trustAnchors, now: TEST_NOW }),
      'ERR_METADATA_ALG_NOT_ALLOWED',
    );
    expect(error.details?.reason).toBe('key-mismatch');
    await expectRejection(verify(await sign({ alg: 'RS256' })), 'ERR_METADATA_ALG_NOT_ALLOWED');
  });

  it('a crit header: ERR_METADATA_INVALID', async () => {
    await expectRejection(verify(await sign({ header: { crit: ['exp'] } })), 'ERR_METADATA_INVALID');
  });
});

describe('MDS3 §3.2 step 6: the signing chain reaches the anchors', () => {
  it('MDS3 F-3 another root as anchor: ERR_METADATA_UNTRUSTED', async () => {
    const other = await createTestCa({ name: 'Unrelated' });
    await expectRejection(verify(await sign(), { trustAnchors: other.trustAnchors }), 'ERR_METADATA_UNTRUSTED', 'mds.3.2.6');
  });

  it('x5c carrying its own self-signed root that is not an anchor: ERR_METADATA_UNTRUSTED', async () => {
    const other = await createTestCa({ name: 'Unrelated' });
    const blob = await sign({ x5c: [...ca.x5c, ca.root.der] });
    await expectRejection(verify(blob, { trustAnchors: other.trustAnchors }), 'ERR_METADATA_UNTRUSTED');
  });

  it('x5c without the intermediate: ERR_METADATA_UNTRUSTED (no path)', async () => {
    await expectRejection(verify(await sign({ x5c: [ca.leaf.der] })), 'ERR_METADATA_UNTRUSTED');
  });

  it('x5c missing or with base64url entries: ERR_METADATA_INVALID', async () => {
    await expectRejection(verify(await sign({ header: { x5c: undefined } })), 'ERR_METADATA_INVALID');
    await expectRejection(verify(await sign({ header: { x5c: [bytesToBase64Url(ca.leaf.der)] } })), 'ERR_METADATA_INVALID');
    await expectRejection(verify(await sign({ header: { x5c: [] } })), 'ERR_METADATA_INVALID');
  });

  it('x5c of more than 8 certificates: ERR_METADATA_INVALID before any is parsed', async () => {
    const many = Array.from({ length: 9 }, () => ca.intermediate.der);
    const error = await expectRejection(verify(await sign({ x5c: [ca.leaf.der, ...many.slice(1)] })), 'ERR_METADATA_INVALID');
    expect(error.details?.field).toBe('header.x5c');
    // 8 certificates (the extra ones repeated) get past the bound and fail as a chain, not as metadata.
    await expectRejection(verify(await sign({ x5c: [ca.leaf.der, ...many.slice(2)] })), 'ERR_CERT_CHAIN_INVALID');
  });

  it('a signing certificate whose keyUsage lacks digitalSignature: ERR_METADATA_UNTRUSTED', async () => {
    const leaf = await issueCertificate({
      issuer: ca.intermediate,
      subject: { C: 'US', O: 'MDS Test Alliance', CN: 'no-sign.example' },
      keyUsage: ['keyEncipherment'],
      basicConstraints: { ca: false },
    });
    const error = await expectRejection(verify(await sign({ signer: leaf, x5c: [leaf.der, ca.intermediate.der] })), 'ERR_METADATA_UNTRUSTED');
    expect(error.details?.reason).toBe('leaf-key-usage');
  });

  it('an expired signing chain: ERR_CERT_EXPIRED', async () => {
    await expectRejection(verify(await sign(), { now: new Date('2045-01-01T00:00:00Z') }), 'ERR_CERT_EXPIRED');
  });

  describe('root rotation: an x5c that carries the new root cross-signed by the old one (R3 → R46)', () => {
    let oldRoot: Awaited<ReturnType<typeof issueCertificate>>;
    let newRoot: Awaited<ReturnType<typeof issueCertificate>>;
    let blob: string;
    beforeAll(async () => {
      oldRoot = await issueCertificate({
        subject: { C: 'BE', O: 'Rotating CA', CN: 'Rotating Root R3' },
        notAfter: new Date('2031-01-01T00:00:00Z'),
      });
      newRoot = await issueCertificate({ subject: { C: 'BE', O: 'Rotating CA', CN: 'Rotating Root R46' } });
      const crossSigned = await issueCertificate({
        issuer: oldRoot,
        subject: { C: 'BE', O: 'Rotating CA', CN: 'Rotating Root R46' },
        key: newRoot.key,
        basicConstraints: { ca: true },
        notAfter: new Date('2031-01-01T00:00:00Z'),
      });
      const intermediate = await issueCertificate({
        issuer: newRoot,
        subject: { C: 'BE', O: 'Rotating CA', CN: 'Rotating MDS CA' },
        basicConstraints: { ca: true },
      });
      const leaf = await issueCertificate({
        issuer: intermediate,
        subject: { C: 'US', O: 'Rotating MDS', CN: 'mds.rotating.example' },
        keyUsage: ['digitalSignature'],
        basicConstraints: { ca: false },
      });
      blob = await signMetadataBlob({ payload, signer: leaf, x5c: [leaf.der, intermediate.der, crossSigned.der] });
    });

    it('only the new root as anchor: trusted, the cross-signed certificate unused', async () => {
      const metadata = await verify(blob, { trustAnchors: [newRoot.der] });
      expect(metadata.anchor.subject).toContain('Rotating Root R46');
      expect(metadata.unusedCertificates).toBe(1);
    });

    it('only the old root as anchor: trusted through the cross-signed certificate', async () => {
      const metadata = await verify(blob, { trustAnchors: [oldRoot.der] });
      expect(metadata.anchor.subject).toContain('Rotating Root R3');
      expect(metadata.unusedCertificates).toBe(0);
    });

    it('both anchors after the old root and the cross certificate expired: trusted by the new root', async () => {
      const later = new Date('2032-01-01T00:00:00Z');
      const metadata = await verify(blob, { trustAnchors: [oldRoot.der, newRoot.der], now: later });
      expect(metadata.anchor.subject).toContain('Rotating Root R46');
    });

    it('only the old root, after it and the cross certificate expired: ERR_CERT_EXPIRED (the x5c certificate)', async () => {
      await expectRejection(verify(blob, { trustAnchors: [oldRoot.der], now: new Date('2032-01-01T00:00:00Z') }), 'ERR_CERT_EXPIRED');
    });

    it('only the old root, rotated out by its window: ERR_TRUST_ANCHOR_EXPIRED; the new root beside it: trusted', async () => {
      const rotatedOut = { certificate: oldRoot.der, validUntil: new Date('2030-01-01T00:00:00Z'), label: 'R3' };
      await expectRejection(verify(blob, { trustAnchors: [rotatedOut] }), 'ERR_TRUST_ANCHOR_EXPIRED');
      const metadata = await verify(blob, { trustAnchors: [rotatedOut, newRoot.der] });
      expect(metadata.anchor.subject).toContain('Rotating Root R46');
    });

    it('a rotation window on the new root that has not begun: ERR_TRUST_ANCHOR_NOT_YET_VALID', async () => {
      const early = new Date('2031-06-01T00:00:00Z');
      await expectRejection(
        verify(blob, { trustAnchors: [{ certificate: newRoot.der, validFrom: new Date('2031-07-01T00:00:00Z') }], now: early }),
        'ERR_TRUST_ANCHOR_NOT_YET_VALID',
      );
    });
  });
});

describe('MDS3 §3.2 step 2: revocation of the signing chain', () => {
  it('the intermediate revoked by the root CRL: ERR_CERT_REVOKED', async () => {
    const rootCrl = await issueCrl({ issuer: ca.root, revoked: [{ serialNumber: ca.intermediate.serialNumber }] });
    const intermediateCrl = await issueCrl({ issuer: ca.intermediate });
    await expectRejection(verify(await sign(), { crls: [rootCrl, intermediateCrl] }), 'ERR_CERT_REVOKED');
  });

  it('the signing certificate revoked: ERR_CERT_REVOKED', async () => {
    const rootCrl = await issueCrl({ issuer: ca.root });
    const intermediateCrl = await issueCrl({ issuer: ca.intermediate, revoked: [{ serialNumber: ca.leaf.serialNumber }] });
    await expectRejection(verify(await sign(), { crls: [rootCrl, intermediateCrl] }), 'ERR_CERT_REVOKED');
  });

  it('current CRLs for every issuer: accepted, revocationChecked', async () => {
    const crls = [await issueCrl({ issuer: ca.root }), await issueCrl({ issuer: ca.intermediate })];
    expect((await verify(await sign(), { crls })).revocationChecked).toBe(true);
  });

  it('CRLs given but one issuer not covered: ERR_CERT_REVOCATION_UNKNOWN (require is the default with CRLs)', async () => {
    await expectRejection(verify(await sign(), { crls: [await issueCrl({ issuer: ca.root })] }), 'ERR_CERT_REVOCATION_UNKNOWN');
  });

  it("'if-available' consults the CRLs given only", async () => {
    const metadata = await verify(await sign(), { crls: [await issueCrl({ issuer: ca.root })], revocation: 'if-available' });
    expect(metadata.revocationChecked).toBe(false);
  });

  it("'require' without CRLs: ERR_CERT_REVOCATION_UNKNOWN", async () => {
    await expectRejection(verify(await sign(), { revocation: 'require' }), 'ERR_CERT_REVOCATION_UNKNOWN');
  });

  it('a forged CRL: ERR_CERT_REVOCATION_UNKNOWN', async () => {
    const other = await createTestCa({ name: 'Forger' });
    const forged = await issueCrl({ issuer: ca.root, signingKey: other.root.privateKey });
    await expectRejection(verify(await sign(), { crls: [forged, await issueCrl({ issuer: ca.intermediate })] }), 'ERR_CERT_REVOCATION_UNKNOWN');
  });
});

describe('MDS3 §3.2 step 7: freshness', () => {
  it('nextUpdate passed: reported as stale, rejected only with rejectStale', async () => {
    const blob = await sign({ payload: metadataPayload([metadataEntry({ aaguid: AAGUID })], { nextUpdate: '2030-05-01' }) });
    expect((await verify(blob)).stale).toBe(true);
    const error = await expectRejection(verify(blob, { rejectStale: true }), 'ERR_METADATA_STALE', 'mds.3.2.7');
    expect(error.details?.reason).toBe('next-update-passed');
  });

  it('stale from 00:00 UTC of the nextUpdate date, not a day before', async () => {
    const today = await sign({ payload: metadataPayload([metadataEntry({ aaguid: AAGUID })], { nextUpdate: '2030-06-01' }) });
    const tomorrow = await sign({ payload: metadataPayload([metadataEntry({ aaguid: AAGUID })], { nextUpdate: '2030-06-02' }) });
    await expectRejection(verify(today, { rejectStale: true }), 'ERR_METADATA_STALE');
    expect((await verify(tomorrow, { rejectStale: true })).stale).toBe(false);
    expect(isMetadataStale({ nextUpdate: '2030-06-02' }, new Date('2030-06-01T23:59:59Z'))).toBe(false);
    expect(isMetadataStale({ nextUpdate: '2030-06-02' }, new Date('2030-06-02T00:00:00Z'))).toBe(true);
  });

  it('a BLOB number not above previousNo (rollback): ERR_METADATA_STALE', async () => {
    const blob = await sign();
    const error = await expectRejection(verify(blob, { previousNo: 42 }), 'ERR_METADATA_STALE');
    expect(error.details?.reason).toBe('rollback');
    expect((await verify(blob, { previousNo: 41 })).no).toBe(42);
  });
});

describe('MDS3 §3.1.6: payload validation (after the signature)', () => {
  const cases: [string, () => Record<string, unknown>, string][] = [
    ['legalHeader missing', () => metadataPayload([], { legalHeader: undefined }), 'payload.legalHeader'],
    ['no not an integer', () => metadataPayload([], { no: '42' }), 'payload.no'],
    ['nextUpdate not a date', () => metadataPayload([], { nextUpdate: '2030-02-30' }), 'payload.nextUpdate'],
    ['nextUpdate a timestamp', () => metadataPayload([], { nextUpdate: '2030-07-01T00:00:00Z' }), 'payload.nextUpdate'],
    ['entries not an array', () => metadataPayload([], { entries: {} }), 'payload.entries'],
    ['an entry naming no authenticator', () => metadataPayload([{ statusReports: [] }]), 'payload.entries[0]'],
    ['an upper-case AAGUID', () => metadataPayload([metadataEntry({ aaguid: AAGUID.toUpperCase() })]), 'payload.entries[0].aaguid'],
    [
      'a key identifier that is not hex',
      () => metadataPayload([metadataEntry({ keyIdentifiers: ['zz'] })]),
      'payload.entries[0].attestationCertificateKeyIdentifiers[0]',
    ],
    [
      'statusReports missing',
      () => metadataPayload([{ ...metadataEntry({ aaguid: AAGUID }), statusReports: undefined }]),
      'payload.entries[0].statusReports',
    ],
    [
      'a status report without status',
      () => metadataPayload([metadataEntry({ aaguid: AAGUID, statusReports: [{ effectiveDate: '2024-01-01' }] })]),
      'payload.entries[0].statusReports[0].status',
    ],
    [
      'an effectiveDate that is not a date',
      () => metadataPayload([metadataEntry({ aaguid: AAGUID, statusReports: [{ status: 'REVOKED', effectiveDate: 'soon' }] })]),
      'payload.entries[0].statusReports[0].effectiveDate',
    ],
    [
      'a statement AAGUID other than the entry AAGUID',
      () => metadataPayload([metadataEntry({ aaguid: AAGUID, statementExtra: { aaguid: '00000000-0000-0000-0000-000000000001' } })]),
      'payload.entries[0].metadataStatement.aaguid',
    ],
    [
      'an attestation root that is not base64',
      () => metadataPayload([metadataEntry({ aaguid: AAGUID, statementExtra: { attestationRootCertificates: ['not base64!'] } })]),
      'payload.entries[0].metadataStatement.attestationRootCertificates[0]',
    ],
  ];
  for (const [name, make, field] of cases) {
    it(`${name}: ERR_METADATA_INVALID naming ${field}`, async () => {
      const error = await expectRejection(verify(await sign({ payload: make() })), 'ERR_METADATA_INVALID');
      expect(error.details?.field).toBe(field);
    });
  }

  it('a payload that is not JSON, or JSON but not an object: ERR_METADATA_INVALID', async () => {
    await expectRejection(verify(await sign({ payload: '{"legalHeader":' })), 'ERR_METADATA_INVALID');
    await expectRejection(verify(await sign({ payload: '[1]' })), 'ERR_METADATA_INVALID');
  });

  it('an unsigned malformed payload is refused for its signature first', async () => {
    const blob = await sign();
    await expectRejection(verify(withSegment(blob, 1, json('not an object'))), 'ERR_METADATA_SIGNATURE_INVALID');
  });
});

describe('bounds: size, entries, nesting', () => {
  it('BLOB text longer than 16 MiB: ERR_METADATA_INVALID before any decoding', async () => {
    const error = await expectRejection(verify('a'.repeat(16 * 1024 * 1024 + 1)), 'ERR_METADATA_INVALID');
    expect(error.details?.reason).toBe('too-large');
  });

  it('more than 10 000 entries: ERR_METADATA_INVALID', async () => {
    const entries = Array.from({ length: 10_001 }, () => ({ aaid: 'FFFF#0001', statusReports: [] }));
    const error = await expectRejection(verify(await sign({ payload: metadataPayload(entries) })), 'ERR_METADATA_INVALID');
    expect(error.details?.reason).toBe('too-large');
  });

  it('10 000 entries: accepted', async () => {
    const entries = Array.from({ length: 10_000 }, () => ({ aaid: 'FFFF#0001', statusReports: [] }));
    expect((await verify(await sign({ payload: metadataPayload(entries) }))).entries).toHaveLength(10_000);
  });

  it('a signed payload nested 100 000 deep: ERR_METADATA_INVALID (no RangeError)', async () => {
    const deep = `{"legalHeader":"x","no":1,"nextUpdate":"2030-07-01","entries":[],"x":${'['.repeat(100_000)}${']'.repeat(100_000)}}`;
    const error = await expectRejection(verify(await sign({ payload: deep })), 'ERR_METADATA_INVALID');
    expect(error.details?.reason).toBe('too-deep');
  });

  it('nesting 32 deep counts brackets outside strings only', async () => {
    const nested = `${'['.repeat(26)}"]]]]][[[[["${']'.repeat(26)}`;
    const text = `{"legalHeader":"x","no":1,"nextUpdate":"2030-07-01","entries":[],"x":${nested}}`;
    expect((await verify(await sign({ payload: text }))).no).toBe(1);
  });
});

describe('JWS compact serialization: strict segments', () => {
  it('not three segments, an empty header or payload: ERR_METADATA_INVALID', async () => {
    const blob = await sign();
    const [h, p, s] = blob.split('.');
    for (const text of [`${h}.${p}`, `${h}.${p}.${s}.x`, `.${p}.${s}`, `${h}..${s}`, '']) {
      await expectRejection(verify(text), 'ERR_METADATA_INVALID');
    }
  });

  it('padding, standard-base64 characters or whitespace in a segment: ERR_METADATA_INVALID', async () => {
    const blob = await sign();
    const [h, p, s] = blob.split('.') as [string, string, string];
    for (const text of [`${h}=.${p}.${s}`, `${h}.${p}.${s.replace(/-/g, '+')}x`, `${h}.${p} .${s}`, `${h}.${p}.${s}=`]) {
      if (text === blob) continue;
      await expectRejection(verify(text), 'ERR_METADATA_INVALID');
    }
  });

  it('a header that is not a JSON object: ERR_METADATA_INVALID', async () => {
    const blob = await sign();
    await expectRejection(verify(withSegment(blob, 0, json(['ES256']))), 'ERR_METADATA_INVALID');
    await expectRejection(verify(withSegment(blob, 0, bytesToBase64Url(new Uint8Array([0xff, 0xfe])))), 'ERR_METADATA_INVALID');
  });
});

describe('caller misuse: ERR_OPTIONS_INVALID naming the option', () => {
  it('each wrongly typed option', async () => {
    const blob = await sign();
    const cases: [unknown, unknown, string][] = [
      [42, { trustAnchors: ca.trustAnchors, now: TEST_NOW }, 'blob'],
      [blob, null, 'options'],
      [blob, { trustAnchors: [], now: TEST_NOW }, 'trustAnchors'],
      [blob, { trustAnchors: ca.trustAnchors, now: 'today' }, 'now'],
      [blob, { trustAnchors: ca.trustAnchors, now: TEST_NOW, crls: 'x' }, 'crls'],
      [blob, { trustAnchors: ca.trustAnchors, now: TEST_NOW, revocation: 'sometimes' }, 'revocation'],
      [blob, { trustAnchors: ca.trustAnchors, now: TEST_NOW, rejectStale: 1 }, 'rejectStale'],
      [blob, { trustAnchors: ca.trustAnchors, now: TEST_NOW, previousNo: -1 }, 'previousNo'],
      [blob, { trustAnchors: ['not a certificate'], now: TEST_NOW }, 'trustAnchors'],
    ];
    for (const [text, options, field] of cases) {
      const error = await rejection(verifyMetadataBlob(text as string, options as never));
      expect(error.code, field).toBe('ERR_OPTIONS_INVALID');
      expect(String(error.details?.field)).toContain(field);
    }
  });
});
