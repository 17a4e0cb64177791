/**
 * §7.1 step 24 with path building (src/x509/path-search.ts, docs/trust.md): cross-signed roots,
 * order, duplicates, anchors anywhere on the path, extras, key identifiers, rotation, the length
 * bound and hostile x5c sets of many same-name certificates.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { evaluateTrust } from '../../src/policy/trust.js';
import {
  type ParsedCertificate,
  type PathValidationOptions,
  parseCertificate,
  parseTrustAnchorSet,
  type TrustAnchor,
  validateCertificatePath,
} from '../../src/x509/index.js';
import { expectRejection } from '../helpers/expect-code.js';
import {
  authorityKeyIdentifier,
  createCrossSignedSet,
  createSameNameCas,
  createSelfIssuedRing,
  type CrossSignedSet,
  leafSubject,
  subjectKeyIdentifier,
} from '../helpers/path-ca.js';
import { createTestCa, issueCertificate, TEST_NOW } from '../helpers/test-ca.js';

let set: CrossSignedSet;
let rootA: ParsedCertificate;
let rootB: ParsedCertificate;
let crossB: ParsedCertificate;
let intermediate: ParsedCertificate;
let leaf: ParsedCertificate;

beforeAll(async () => {
  set = await createCrossSignedSet('Build');
  [rootA, rootB, crossB, intermediate, leaf] = [set.rootA, set.rootB, set.crossB, set.intermediate, set.leaf].map((c) =>
    parseCertificate(c.der),
  ) as [ParsedCertificate, ParsedCertificate, ParsedCertificate, ParsedCertificate, ParsedCertificate];
});

function validate(
  chain: readonly ParsedCertificate[],
  trustAnchors: readonly (ParsedCertificate | TrustAnchor)[],
  extra: Partial<PathValidationOptions> = {},
) {
  return validateCertificatePath({ chain, trustAnchors, now: TEST_NOW, maxLength: 32, ...extra });
}

const indexes = (result: { readonly unused: readonly { readonly index: number }[] }) => result.unused.map((u) => u.index);

describe('§7.1 step 24: cross-signed roots (the R3 → R46 shape)', () => {
  it('x5c [leaf, intermediate, B cross-signed by A] is trusted with A as the only anchor, through the cross certificate', async () => {
    const result = await validate([leaf, intermediate, crossB], [rootA]);
    expect(result).toMatchObject({ trusted: true, anchor: rootA, path: [leaf, intermediate, crossB, rootA], unused: [] });
  });

  it('… and with B as the only anchor, stopping at B; the cross certificate is reported unused', async () => {
    const result = await validate([leaf, intermediate, crossB], [rootB]);
    expect(result).toMatchObject({ trusted: true, anchor: rootB, path: [leaf, intermediate, rootB] });
    expect(result.unused).toEqual([{ index: 2, sha256Fingerprint: crossB.sha256Fingerprint }]);
  });

  it('… and with both anchors, the shorter path through B (anchors are tried before x5c)', async () => {
    const result = await validate([leaf, intermediate, crossB], [rootA, rootB]);
    expect(result).toMatchObject({ trusted: true, anchor: rootB, path: [leaf, intermediate, rootB] });
  });

  it('a cross-signed copy of an anchor (same subject and key) is that anchor: the path ends with the listed certificate', async () => {
    // The intermediate pinned as the anchor is B's child, so only the name + key match reaches B here.
    const result = await validate([crossB], [rootB]);
    expect(result).toMatchObject({ trusted: true, anchor: rootB, path: [rootB] });
  });

  it('the cross certificate never makes the path trusted without an anchor', async () => {
    expect(await validate([leaf, intermediate, crossB], [])).toMatchObject({
      trusted: false,
      reason: 'no-anchors',
      path: [leaf, intermediate, crossB],
    });
    const other = parseCertificate((await createTestCa({ name: 'Build other' })).root.der);
    expect(await validate([leaf, intermediate, crossB], [other])).toMatchObject({ trusted: false, reason: 'no-path' });
  });
});

describe('§7.1 step 24: order, duplicates, extras', () => {
  it('x5c in the wrong order: refused in x5c order (Resp-5 F-11), built with allowUnorderedChain', async () => {
    const shuffled = [leaf, crossB, intermediate];
    const error = await expectRejection(validate(shuffled, [rootA]), 'ERR_CERT_CHAIN_INVALID', '7.1.24');
    expect(error.details).toMatchObject({ reason: 'issuer-mismatch', index: 0 });
    const built = await validate(shuffled, [rootA], { allowUnorderedChain: true });
    expect(built).toMatchObject({ trusted: true, anchor: rootA, path: [leaf, intermediate, crossB, rootA], unused: [] });
  });

  it('duplicate certificates are refused in either mode (checklist L.85, V1)', async () => {
    for (const allowUnorderedChain of [false, true]) {
      const error = await expectRejection(validate([leaf, intermediate, intermediate], [rootB], { allowUnorderedChain }), 'ERR_CERT_CHAIN_INVALID');
      expect(error.details).toMatchObject({ reason: 'duplicate', index: 2, expected: 1 });
      await expectRejection(validate([leaf, intermediate, leaf], [rootB], { allowUnorderedChain }), 'ERR_CERT_CHAIN_INVALID');
    }
  });

  it('an anchor as the leaf: path [leaf], the rest of x5c unused', async () => {
    const result = await validate([leaf, intermediate, crossB], [leaf]);
    expect(result).toMatchObject({ trusted: true, anchor: leaf, path: [leaf] });
    expect(indexes(result)).toEqual([1, 2]);
  });

  it('an anchor as the leaf by subject and key: a re-issued batch certificate with the pinned key', async () => {
    const reissued = parseCertificate(
      (
        await issueCertificate({
          issuer: set.intermediate,
          subject: leafSubject('Build Leaf'),
          key: set.leaf.key,
          basicConstraints: { ca: false },
          serialNumber: 77,
        })
      ).der,
    );
    expect(reissued.sha256Fingerprint).not.toBe(leaf.sha256Fingerprint);
    expect(await validate([reissued], [leaf])).toMatchObject({ trusted: true, anchor: leaf, path: [leaf] });
  });

  it('an anchor as an intermediate of x5c: the path stops there', async () => {
    const result = await validate([leaf, intermediate, crossB], [intermediate]);
    expect(result).toMatchObject({ trusted: true, anchor: intermediate, path: [leaf, intermediate] });
    expect(indexes(result)).toEqual([2]);
  });

  it('an extra unrelated certificate is tolerated and reported, never trusted by itself', async () => {
    const unrelated = parseCertificate((await createTestCa({ name: 'Build unrelated' })).root.der);
    const trailing = await validate([leaf, intermediate, unrelated], [rootB]);
    expect(trailing).toMatchObject({ trusted: true, anchor: rootB, path: [leaf, intermediate, rootB] });
    expect(indexes(trailing)).toEqual([2]);
    const inside = await validate([leaf, unrelated, intermediate], [rootB], { allowUnorderedChain: true });
    expect(inside).toMatchObject({ trusted: true, path: [leaf, intermediate, rootB] });
    expect(indexes(inside)).toEqual([1]);
    // Listing the unrelated self-signed root as x5c never makes it an anchor (V1).
    expect(await validate([unrelated], [rootB])).toMatchObject({ trusted: false, reason: 'no-path' });
  });
});

describe('§7.1 step 24: key identifiers (RFC 5280 §4.2.1.1–2)', () => {
  it('a candidate whose subjectKeyIdentifier differs from the child authorityKeyIdentifier is skipped', async () => {
    const subject = { C: 'BE', O: 'Build Trust', CN: 'Build Twin CA' };
    const [k1, k2] = [Uint8Array.of(1, 1, 1, 1), Uint8Array.of(2, 2, 2, 2)];
    const twin = (id: Uint8Array, seed: string) =>
      issueCertificate({ issuer: set.rootB, subject, keySeed: seed, basicConstraints: { ca: true }, extensions: [subjectKeyIdentifier(id)] });
    const [twin1, twin2] = await Promise.all([twin(k1, 'twin 1'), twin(k2, 'twin 2')]);
    const issued = (by: typeof twin1, aki: Uint8Array) =>
      issueCertificate({ issuer: by, subject: leafSubject('Twin Leaf'), basicConstraints: { ca: false }, extensions: [authorityKeyIdentifier(aki)] });
    const p = (c: { der: Uint8Array }) => parseCertificate(c.der);
    // Issued by twin 2 and saying so: twin 1 (same name, other SKI) is skipped, twin 2 used.
    const right = p(await issued(twin2, k2));
    const result = await validate([right, p(twin1), p(twin2)], [rootB], { allowUnorderedChain: true });
    expect(result).toMatchObject({ trusted: true, path: [right, p(twin2), rootB] });
    expect(indexes(result)).toEqual([1]);
    // Issued by twin 2 but naming twin 1's key: twin 2 is skipped, twin 1 does not verify.
    const lying = p(await issued(twin2, k1));
    const error = await expectRejection(validate([lying, p(twin2), p(twin1)], [rootB], { allowUnorderedChain: true }), 'ERR_CERT_CHAIN_INVALID');
    expect(error.details).toMatchObject({ reason: 'signature', index: 0 });
    // x5c order designates the next certificate whatever its identifiers (docs/quirks.md, gow-android-key-conformance-1).
    expect(await validate([lying, p(twin2)], [rootB])).toMatchObject({ trusted: true });
  });
});

describe('§7.1 step 24: anchor sets with rotation', () => {
  let oldRoot: ParsedCertificate;
  let newRoot: ParsedCertificate;
  let chain: ParsedCertificate[];

  beforeAll(async () => {
    // One name and key, re-issued with a later validity (the Android 2016 → 2019 roots).
    const subject = { C: 'US', O: 'Rotating Trust', CN: 'Rotating Root' };
    const old = await issueCertificate({ subject, notAfter: new Date('2029-01-01T00:00:00Z'), serialNumber: 2016 });
    const renewed = await issueCertificate({ subject, key: old.key, serialNumber: 2019 });
    const ca = await createTestCa({ name: 'Rotating', root: { subject, key: old.key } });
    [oldRoot, newRoot] = [parseCertificate(old.der), parseCertificate(renewed.der)];
    chain = ca.x5c.map((der) => parseCertificate(der));
  });

  it('old anchor expired, new one valid: trusted through the new one', async () => {
    const result = await validate(chain, [oldRoot, newRoot]);
    expect(result).toMatchObject({ trusted: true, anchor: newRoot });
  });

  it('only the old anchor: reported expired, naming it', async () => {
    expect(await validate(chain, [oldRoot])).toMatchObject({
      trusted: false,
      reason: 'anchor-expired',
      inactiveAnchor: { certificate: oldRoot, status: 'expired', validUntil: new Date('2029-01-01T00:00:00Z') },
    });
  });

  it('windows of the relying party narrow the certificate dates (never widen them), with labels in the report', async () => {
    const rotated = parseTrustAnchorSet([
      { certificate: newRoot.der, validUntil: new Date('2030-01-01T00:00:00Z'), label: 'root 2019, retired 2030' },
      { certificate: newRoot.der, validFrom: new Date('2031-01-01T00:00:00Z'), label: 'staged' },
    ]);
    expect(rotated).toHaveLength(2);
    expect(await validate(chain, rotated.slice(0, 1))).toMatchObject({
      trusted: false,
      reason: 'anchor-expired',
      inactiveAnchor: { label: 'root 2019, retired 2030', status: 'expired' },
    });
    expect(await validate(chain, rotated.slice(1))).toMatchObject({
      trusted: false,
      reason: 'anchor-not-yet-valid',
      inactiveAnchor: { label: 'staged', validFrom: new Date('2031-01-01T00:00:00Z') },
    });
    // A window past the root's notAfter ends at notAfter: an expired root is not revived.
    const extended = parseTrustAnchorSet([{ certificate: oldRoot.der, validUntil: new Date('2099-01-01T00:00:00Z'), label: 'kept' }]);
    expect(extended[0]?.validUntil).toEqual(oldRoot.notAfter);
    const early = parseTrustAnchorSet([{ certificate: oldRoot.der, validFrom: new Date('1990-01-01T00:00:00Z') }]);
    expect(early[0]?.validFrom).toEqual(oldRoot.notBefore);
    // Plain entries keep the certificate's own window.
    expect(await validate(chain, parseTrustAnchorSet([oldRoot.der, newRoot.der]))).toMatchObject({ trusted: true, anchor: newRoot });
  });

  it("registration trust: 'trusted' turns an expired anchor into ERR_TRUST_ANCHOR_EXPIRED, 'valid' reports it", async () => {
    const statement = { type: 'basic' as const, trustPath: chain };
    const entry = { certificate: newRoot.der, validUntil: new Date('2030-01-01T00:00:00Z'), label: 'retired' };
    const error = await expectRejection(
      evaluateTrust(statement, { trustAnchors: [entry], require: 'trusted', now: TEST_NOW }),
      'ERR_TRUST_ANCHOR_EXPIRED',
      '7.1.24',
    );
    expect(error.details).toMatchObject({ label: 'retired', expected: '2030-01-01T00:00:00.000Z', received: TEST_NOW.toISOString() });
    const staged = { certificate: newRoot.der, validFrom: new Date('2031-01-01T00:00:00Z') };
    await expectRejection(evaluateTrust(statement, { trustAnchors: [staged], require: 'trusted', now: TEST_NOW }), 'ERR_TRUST_ANCHOR_NOT_YET_VALID');
    const reported = await evaluateTrust(statement, { trustAnchors: [entry], require: 'valid', now: TEST_NOW });
    expect(reported).toMatchObject({ trusted: false, path: { reason: 'anchor-expired', inactiveAnchor: { label: 'retired', status: 'expired' } } });
    const trusted = await evaluateTrust(statement, { trustAnchors: [entry, newRoot.der], require: 'trusted', now: TEST_NOW });
    expect(trusted).toMatchObject({ trusted: true, path: { anchorLabel: undefined } });
  });

  it('misuse of an anchor entry is ERR_OPTIONS_INVALID naming the member', async () => {
    const field = async (list: unknown[]) =>
      (await expectRejection(Promise.resolve().then(() => parseTrustAnchorSet(list as never)), 'ERR_OPTIONS_INVALID')).details?.field;
    expect(await field([{ certificate: newRoot.der, validFrom: 'tomorrow' }])).toBe('trustAnchors[0].validFrom');
    expect(await field([{ certificate: newRoot.der, validUntil: new Date(Number.NaN) }])).toBe('trustAnchors[0].validUntil');
    expect(await field([{ certificate: 42 }])).toBe('trustAnchors[0].certificate');
    expect(await field([{ certificate: newRoot.der, label: 7 }])).toBe('trustAnchors[0].label');
    expect(await field([{ certificate: newRoot.der, pin: true }])).toBe('trustAnchors[0].pin');
    const reversed = { certificate: newRoot.der, validFrom: new Date('2031-01-01T00:00:00Z'), validUntil: new Date('2030-01-01T00:00:00Z') };
    expect(await field([reversed])).toBe('trustAnchors[0].validFrom');
    expect(await field([newRoot.der, null])).toBe('trustAnchors[1]');
    const bad = { certificate: newRoot, validFrom: 'x', validUntil: newRoot.notAfter, label: undefined } as unknown as TrustAnchor;
    expect((await expectRejection(validate(chain, [bad]), 'ERR_OPTIONS_INVALID')).details?.field).toBe('trustAnchors[0].validFrom');
    // A getter of the caller that throws is ERR_CALLBACK_FAILED with the cause, never a raw TypeError.
    const throwing = Object.defineProperty({}, 'certificate', { enumerable: true, get: () => { throw new TypeError('boom'); } });
    const fromSet = await expectRejection(Promise.resolve().then(() => parseTrustAnchorSet([throwing as never])), 'ERR_CALLBACK_FAILED');
    expect((fromSet.cause as Error).message).toBe('boom');
    const fromPath = await expectRejection(validate(chain, [throwing as never]), 'ERR_CALLBACK_FAILED');
    expect((fromPath.cause as Error).message).toBe('boom');
  });
});

describe('path building bounds (docs/security.md "Path building bounds")', () => {
  it('a path of 9 certificates is refused, 8 is accepted', async () => {
    const nine = await createTestCa({ name: 'Nine', intermediates: 7 });
    const x5c = nine.x5c.map((der) => parseCertificate(der));
    expect(x5c).toHaveLength(8);
    const error = await expectRejection(validate(x5c, [parseCertificate(nine.root.der)]), 'ERR_CERT_CHAIN_INVALID', '7.1.24');
    expect(error.details).toMatchObject({ reason: 'path-too-long', expected: 8 });
    const eight = await createTestCa({ name: 'Eight', intermediates: 6 });
    expect(await validate(eight.x5c.map((der) => parseCertificate(der)), [parseCertificate(eight.root.der)])).toMatchObject({ trusted: true });
  });

  it('a shared budget is charged per signature check and refuses past it (ERR_ATTESTATION_TOO_COSTLY)', async () => {
    const budget = { remainingSignatures: 3 };
    await validate([leaf, intermediate, crossB], [rootA], { budget });
    expect(budget.remainingSignatures).toBe(0);
    const error = await expectRejection(validate([leaf, intermediate], [rootB], { budget }), 'ERR_ATTESTATION_TOO_COSTLY', '7.1.24');
    expect(error.details).toMatchObject({ reason: 'signature-budget' });
  });

  describe('hostile x5c of 20 same-subject certificates', () => {
    const ROOT_NAME = { C: 'ZZ', O: 'Hostile', CN: 'Hostile Root' };
    let root: Awaited<ReturnType<typeof issueCertificate>>;
    let anchor: ParsedCertificate;
    const parsed = (set: { cas: readonly { der: Uint8Array }[]; leaf: { der: Uint8Array } }) =>
      [set.leaf, ...set.cas].map((c) => parseCertificate(c.der));

    beforeAll(async () => {
      root = await issueCertificate({ subject: ROOT_NAME });
      anchor = parseCertificate(root.der);
    });

    it('none real: refused after 16 candidate checks (candidate-limit); in x5c order at the first link', async () => {
      const x5c = parsed(await createSameNameCas({ name: 'Hostile', count: 19, realIssuer: root, issuerName: ROOT_NAME, realIndex: undefined }));
      expect(x5c).toHaveLength(20);
      const error = await expectRejection(validate(x5c, [anchor], { allowUnorderedChain: true }), 'ERR_CERT_CHAIN_INVALID', '7.1.24');
      expect(error.details).toMatchObject({ reason: 'candidate-limit', expected: 16 });
      const ordered = await expectRejection(validate(x5c, [anchor]), 'ERR_CERT_CHAIN_INVALID');
      expect(ordered.details).toMatchObject({ reason: 'signature', index: 0 });
    });

    it('one real among them: found when within the bound, refused past it', async () => {
      const first = parsed(await createSameNameCas({ name: 'Hostile first', count: 19, realIssuer: root, issuerName: ROOT_NAME, realIndex: 4 }));
      const result = await validate(first, [anchor], { allowUnorderedChain: true });
      expect(result).toMatchObject({ trusted: true, anchor, path: [first[0], first[5], anchor] });
      expect(result.unused).toHaveLength(18);
      const last = parsed(await createSameNameCas({ name: 'Hostile last', count: 19, realIssuer: root, issuerName: ROOT_NAME, realIndex: 18 }));
      const error = await expectRejection(validate(last, [anchor], { allowUnorderedChain: true }), 'ERR_CERT_CHAIN_INVALID');
      expect(error.details).toMatchObject({ reason: 'candidate-limit' });
    });

    it('a ring of 19 self-issued CAs that issue each other: no exponential search, refused', async () => {
      const x5c = parsed(await createSelfIssuedRing('Hostile ring', 19));
      const error = await expectRejection(validate(x5c, [anchor], { allowUnorderedChain: true }), 'ERR_CERT_CHAIN_INVALID', '7.1.24');
      expect(['candidate-limit', 'path-too-long']).toContain(error.details?.reason);
      // In x5c order the ring is a chain of valid links that ends without an anchor.
      const ordered = await validate(x5c.slice(0, 8), [anchor]);
      expect(ordered).toMatchObject({ trusted: false, reason: 'no-path' });
    });
  });
});
