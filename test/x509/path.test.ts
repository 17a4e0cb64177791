import { afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import {
  clearX509Caches,
  getNameValue,
  type ParsedCertificate,
  type PathValidationOptions,
  parseCertificate,
  validateCertificatePath,
} from '../../src/x509/index.js';
import { expectRejection } from '../helpers/expect-code.js';
import {
  createTestCa,
  issueCertificate,
  PACKED_SUBJECT,
  type TestCa,
  TEST_NOW,
} from '../helpers/test-ca.js';
import { parseAll } from './util.js';

const OID_NAME_CONSTRAINTS = '2.5.29.30';
const OID_CERTIFICATE_POLICIES = '2.5.29.32';
const ANY_POLICY = Uint8Array.of(0x30, 0x06, 0x30, 0x04, 0x06, 0x02, 0x55, 0x1d);
const EMPTY_SEQUENCE = Uint8Array.of(0x30, 0x00);

let ca: TestCa;
let chain: ParsedCertificate[];
let root: ParsedCertificate;
let intermediate: ParsedCertificate;
let leaf: ParsedCertificate;

beforeAll(async () => {
  ca = await createTestCa({ name: 'Path' });
  chain = parseAll(ca.x5c);
  [leaf, intermediate] = chain as [ParsedCertificate, ParsedCertificate];
  root = parseCertificate(ca.root.der);
});

afterEach(() => {
  vi.restoreAllMocks();
});

function validate(x5c: readonly ParsedCertificate[], trustAnchors: readonly ParsedCertificate[], extra = {}) {
  return validateCertificatePath({ chain: x5c, trustAnchors, now: TEST_NOW, ...extra });
}

describe('§7.1 step 24: trusted paths', () => {
  it('trusts leaf → intermediate → anchor, and reports the path ending with the anchor', async () => {
    const result = await validate(chain, [root]);
    expect(result).toEqual({ trusted: true, anchor: root, anchorLabel: undefined, path: [leaf, intermediate, root], unused: [] });
  });

  it('trusts a leaf issued directly by the anchor', async () => {
    const direct = await createTestCa({ name: 'Direct', intermediates: 0 });
    const anchor = parseCertificate(direct.root.der);
    const result = await validate(parseAll(direct.x5c), [anchor]);
    expect(result.trusted).toBe(true);
    expect(result.trusted && result.path.length).toBe(2);
  });

  it('trusts an x5c that ends with the anchor itself, listing it once', async () => {
    const result = await validate([leaf, intermediate, root], [root]);
    expect(result).toMatchObject({ trusted: true, anchor: root, path: [leaf, intermediate, root], unused: [] });
  });

  it('trusts a batch certificate that is itself the anchor (conformance Resp-5 P-3)', async () => {
    const result = await validate([leaf], [leaf]);
    expect(result).toMatchObject({ trusted: true, anchor: leaf, path: [leaf], unused: [] });
  });

  it('trusts an intermediate configured as the anchor', async () => {
    const result = await validate([leaf], [intermediate]);
    expect(result).toMatchObject({ trusted: true, anchor: intermediate, path: [leaf, intermediate], unused: [] });
  });

  it('picks the issuing anchor among several', async () => {
    const other = await createTestCa({ name: 'Other' });
    const result = await validate(chain, [parseCertificate(other.root.der), root]);
    expect(result.trusted && result.anchor).toBe(root);
  });

  it('trusts chains of RSA and P-384 CAs', async () => {
    const mixed = await createTestCa({ name: 'Mixed', rootKey: 'RSA-2048', intermediateKey: 'P-384', leafKey: 'P-256' });
    expect((await validate(parseAll(mixed.x5c), [parseCertificate(mixed.root.der)])).trusted).toBe(true);
  });

  it('accepts a v1 root without extensions as anchor', async () => {
    const v1 = await createTestCa({ name: 'V1', root: { version: 1 } });
    expect((await validate(parseAll(v1.x5c), [parseCertificate(v1.root.der)])).trusted).toBe(true);
  });

  it('accepts a v1 root at the end of x5c when it is the anchor', async () => {
    const v1 = await createTestCa({ name: 'V1 in x5c', root: { version: 1 } });
    const anchor = parseCertificate(v1.root.der);
    const result = await validate(parseAll([...v1.x5c, v1.root.der]), [anchor]);
    expect(result.trusted && result.path.length).toBe(3);
    // Not an anchor: a v1 certificate may not issue inside x5c.
    await expect(validate(parseAll([...v1.x5c, v1.root.der]), [])).rejects.toMatchObject({
      code: 'ERR_CERT_CHAIN_INVALID',
      details: { reason: 'not-ca', index: 2 },
    });
  });

  it('accepts a root with critical basicConstraints and a critical certificatePolicies (Resp-5 P-4)', async () => {
    const policies = await createTestCa({
      name: 'Policies',
      leaf: { extensions: [{ oid: OID_CERTIFICATE_POLICIES, critical: true, value: ANY_POLICY }] },
    });
    expect((await validate(parseAll(policies.x5c), [parseCertificate(policies.root.der)])).trusted).toBe(true);
  });

  it('is valid at exactly notBefore and exactly notAfter', async () => {
    const at = async (now: Date) => (await validateCertificatePath({ chain: [leaf], trustAnchors: [leaf], now })).trusted;
    expect(await at(leaf.notBefore)).toBe(true);
    expect(await at(leaf.notAfter)).toBe(true);
  });
});

describe('§7.1 step 24: untrusted but valid chains', () => {
  it('returns no-anchors without anchors, after checking the chain (L.89)', async () => {
    expect(await validate(chain, [])).toEqual({ trusted: false, reason: 'no-anchors', path: chain, unused: [] });
  });

  it('still rejects an internally invalid chain without anchors', async () => {
    await expect(validate([leaf, root], [])).rejects.toMatchObject({ code: 'ERR_CERT_CHAIN_INVALID' });
    await expect(
      validateCertificatePath({ chain, trustAnchors: [], now: new Date('2050-01-01T00:00:00Z') }),
    ).rejects.toMatchObject({ code: 'ERR_CERT_EXPIRED' });
  });

  it('returns no-path when the chain reaches none of the anchors', async () => {
    const other = await createTestCa({ name: 'Unrelated' });
    expect(await validate(chain, [parseCertificate(other.root.der)])).toMatchObject({ trusted: false, reason: 'no-path' });
  });

  it('V1: an x5c carrying its own self-signed root is never trusted', async () => {
    const evil = await createTestCa({ name: 'Evil' });
    const evilChain = parseAll([...evil.x5c, evil.root.der]);
    expect(await validate(evilChain, [root])).toMatchObject({ trusted: false, reason: 'no-path', path: evilChain });
    expect(await validate(evilChain, [])).toMatchObject({ trusted: false, reason: 'no-anchors' });
  });

  it('V1: a self-signed root named like the anchor, with another key, is not trusted', async () => {
    const rootSubject = { C: 'US', O: 'Path CA Org', CN: 'Path Root CA' };
    const impostor = await createTestCa({ name: 'Path', root: { subject: rootSubject, keySeed: 'impostor' } });
    const fake = parseAll([...impostor.x5c, impostor.root.der]);
    expect(getNameValue(fake[2]!.subject, 'CN')).toBe(getNameValue(root.subject, 'CN'));
    expect(fake[2]!.sha256Fingerprint).not.toBe(root.sha256Fingerprint);
    expect(await validate(fake, [root])).toMatchObject({ trusted: false, reason: 'no-path' });
    // Without the fake root, its intermediate names the anchor as issuer but is not signed by it.
    expect(await validate(fake.slice(0, 2), [root])).toMatchObject({ trusted: false, reason: 'no-path' });
    // Any order: the fake root is still no anchor.
    expect(await validate(fake, [root], { allowUnorderedChain: true })).toMatchObject({ trusted: false, reason: 'no-path' });
  });

  it('V1: a self-signed leaf is not trusted unless it is an anchor', async () => {
    const self = parseCertificate((await issueCertificate({ subject: PACKED_SUBJECT, basicConstraints: { ca: false } })).der);
    expect(await validate([self], [root])).toMatchObject({ trusted: false, reason: 'no-path' });
    expect((await validate([self], [self])).trusted).toBe(true);
  });
});

describe('§7.1 step 24: invalid chains (L.84–86)', () => {
  it('rejects an empty x5c', async () => {
    await expect(validate([], [root])).rejects.toMatchObject({ code: 'ERR_CERT_CHAIN_INVALID', step: '7.1.24' });
  });

  it('rejects an x5c longer than maxLength', async () => {
    const long = await createTestCa({ name: 'Long', intermediates: 5 });
    const x5c = parseAll(long.x5c);
    expect(x5c).toHaveLength(6);
    await expect(validate(x5c, [])).rejects.toMatchObject({ code: 'ERR_CERT_CHAIN_INVALID', details: { reason: 'too-long' } });
    expect((await validate(x5c, [parseCertificate(long.root.der)], { maxLength: 6 })).trusted).toBe(true);
    await expect(validate(chain, [root], { maxLength: 1 })).rejects.toMatchObject({ code: 'ERR_CERT_CHAIN_INVALID' });
  });

  it('rejects a mis-ordered x5c (Resp-5 F-11)', async () => {
    await expect(validate([intermediate, leaf], [])).rejects.toMatchObject({
      code: 'ERR_CERT_CHAIN_INVALID',
      details: { reason: 'issuer-mismatch' },
    });
    await expect(validate([leaf, root, intermediate], [root])).rejects.toMatchObject({ code: 'ERR_CERT_CHAIN_INVALID' });
  });

  it('rejects repeated certificates', async () => {
    await expect(validate([leaf, leaf], [root])).rejects.toMatchObject({
      code: 'ERR_CERT_CHAIN_INVALID',
      details: { reason: 'duplicate' },
    });
    await expect(validate([leaf, intermediate, intermediate], [root])).rejects.toMatchObject({
      code: 'ERR_CERT_CHAIN_INVALID',
      details: { reason: 'duplicate' },
    });
    await expect(validate([leaf, intermediate, root, root], [root])).rejects.toMatchObject({ code: 'ERR_CERT_CHAIN_INVALID' });
  });

  it('rejects the same tbsCertificate under another signature encoding as a repeat', async () => {
    // Re-sign the intermediate's TBS: a different DER, the same certificate.
    const again = await issueCertificate({
      issuer: ca.root,
      subject: { C: 'US', O: 'Path CA Org', CN: 'Path Intermediate CA 1' },
      basicConstraints: { ca: true },
    });
    const twin = parseCertificate(again.der);
    expect(twin.sha256Fingerprint).not.toBe(intermediate.sha256Fingerprint); // ECDSA signatures differ
    await expect(validate([leaf, intermediate, twin], [root])).rejects.toMatchObject({
      code: 'ERR_CERT_CHAIN_INVALID',
      details: { reason: 'duplicate' },
    });
  });

  it('rejects a signature that does not verify (Resp-5 F-9)', async () => {
    const forged = await issueCertificate({
      issuer: { ...ca.intermediate, privateKey: ca.root.privateKey },
      subject: PACKED_SUBJECT,
      basicConstraints: { ca: false },
    });
    await expect(validate([parseCertificate(forged.der), intermediate], [root])).rejects.toMatchObject({
      code: 'ERR_CERT_CHAIN_INVALID',
      details: { reason: 'signature' },
    });
  });

  it('rejects a leaf whose signature bytes were altered', async () => {
    const tampered = ca.leaf.der.slice();
    tampered[tampered.length - 3] = (tampered[tampered.length - 3] as number) ^ 0x01;
    await expect(validate([parseCertificate(tampered), intermediate], [])).rejects.toMatchObject({
      code: 'ERR_CERT_CHAIN_INVALID',
    });
  });

  it('rejects an expired leaf (Resp-5 F-6)', async () => {
    const expired = await createTestCa({ name: 'Expired leaf', leaf: { notAfter: new Date('2029-01-01T00:00:00Z') } });
    await expect(validate(parseAll(expired.x5c), [parseCertificate(expired.root.der)])).rejects.toMatchObject({
      code: 'ERR_CERT_EXPIRED',
      details: { index: 0 },
    });
  });

  it('rejects a leaf not yet valid (Resp-5 F-7)', async () => {
    const early = await createTestCa({ name: 'Early leaf', leaf: { notBefore: new Date('2031-01-01T00:00:00Z') } });
    await expect(validate(parseAll(early.x5c), [parseCertificate(early.root.der)])).rejects.toMatchObject({
      code: 'ERR_CERT_NOT_YET_VALID',
      details: { index: 0 },
    });
  });

  it('rejects an expired intermediate (Resp-5 F-12)', async () => {
    const expired = await createTestCa({ name: 'Expired int', intermediate: { notAfter: new Date('2029-01-01T00:00:00Z') } });
    await expect(validate(parseAll(expired.x5c), [parseCertificate(expired.root.der)])).rejects.toMatchObject({
      code: 'ERR_CERT_EXPIRED',
      details: { index: 1 },
    });
  });

  it('rejects an intermediate not yet valid', async () => {
    const early = await createTestCa({ name: 'Early int', intermediate: { notBefore: new Date('2031-01-01T00:00:00Z') } });
    await expect(validate(parseAll(early.x5c), [])).rejects.toMatchObject({ code: 'ERR_CERT_NOT_YET_VALID', details: { index: 1 } });
  });

  it('reports an expired or not yet valid anchor (its own validity), never trusts through it', async () => {
    const expired = await createTestCa({ name: 'Expired root', root: { notAfter: new Date('2029-01-01T00:00:00Z') } });
    const expiredRoot = parseCertificate(expired.root.der);
    expect(await validate(parseAll(expired.x5c), [expiredRoot])).toMatchObject({
      trusted: false,
      reason: 'anchor-expired',
      inactiveAnchor: { certificate: expiredRoot, status: 'expired', validUntil: expiredRoot.notAfter },
    });
    const early = await createTestCa({ name: 'Early root', root: { notBefore: new Date('2031-01-01T00:00:00Z') } });
    expect(await validate(parseAll(early.x5c), [parseCertificate(early.root.der)])).toMatchObject({
      trusted: false,
      reason: 'anchor-not-yet-valid',
      inactiveAnchor: { status: 'not-yet-valid' },
    });
  });

  it('rejects an intermediate with CA = false', async () => {
    const notCa = await createTestCa({ name: 'Not CA', intermediate: { basicConstraints: { ca: false } } });
    await expect(validate(parseAll(notCa.x5c), [parseCertificate(notCa.root.der)])).rejects.toMatchObject({
      code: 'ERR_CERT_CHAIN_INVALID',
      details: { reason: 'not-ca', index: 1 },
    });
  });

  it('rejects an intermediate without basicConstraints', async () => {
    const noBc = await createTestCa({ name: 'No BC', intermediate: { basicConstraints: null } });
    await expect(validate(parseAll(noBc.x5c), [])).rejects.toMatchObject({
      code: 'ERR_CERT_CHAIN_INVALID',
      details: { reason: 'not-ca' },
    });
  });

  it('rejects an intermediate whose keyUsage lacks keyCertSign', async () => {
    const noSign = await createTestCa({ name: 'No certsign', intermediate: { keyUsage: ['digitalSignature', 'cRLSign'] } });
    await expect(validate(parseAll(noSign.x5c), [])).rejects.toMatchObject({
      code: 'ERR_CERT_CHAIN_INVALID',
      details: { reason: 'no-key-cert-sign' },
    });
  });

  it('rejects an anchor with CA = false that issued the chain', async () => {
    const leafAnchor = await createTestCa({ name: 'Leaf anchor', root: { basicConstraints: { ca: false } } });
    await expect(validate(parseAll(leafAnchor.x5c), [parseCertificate(leafAnchor.root.der)])).rejects.toMatchObject({
      code: 'ERR_CERT_CHAIN_INVALID',
      details: { reason: 'not-ca', index: 'anchor' },
    });
  });

  it('enforces the anchor pathLenConstraint', async () => {
    const tight = await createTestCa({ name: 'Root pathlen', intermediates: 2, root: { basicConstraints: { ca: true, pathLenConstraint: 1 } } });
    await expect(validate(parseAll(tight.x5c), [parseCertificate(tight.root.der)])).rejects.toMatchObject({
      code: 'ERR_CERT_CHAIN_INVALID',
      details: { reason: 'path-length', index: 'anchor', expected: 1, received: 2 },
    });
    const ok = await createTestCa({ name: 'Root pathlen ok', intermediates: 1, root: { basicConstraints: { ca: true, pathLenConstraint: 1 } } });
    expect((await validate(parseAll(ok.x5c), [parseCertificate(ok.root.der)])).trusted).toBe(true);
  });

  it('enforces an intermediate pathLenConstraint', async () => {
    const tight = await createTestCa({
      name: 'Int pathlen',
      intermediates: 2,
      intermediate: { basicConstraints: { ca: true, pathLenConstraint: 0 } },
    });
    // x5c = [leaf, intermediate 2, intermediate 1]; intermediate 1 allows no CA below it.
    await expect(validate(parseAll(tight.x5c), [])).rejects.toMatchObject({
      code: 'ERR_CERT_CHAIN_INVALID',
      details: { reason: 'path-length', index: 2 },
    });
    const ok = await createTestCa({
      name: 'Int pathlen ok',
      intermediates: 1,
      intermediate: { basicConstraints: { ca: true, pathLenConstraint: 0 } },
    });
    expect((await validate(parseAll(ok.x5c), [parseCertificate(ok.root.der)])).trusted).toBe(true);
  });

  it.each([
    ['leaf', 'leaf' as const],
    ['intermediate', 'intermediate' as const],
    ['root', 'root' as const],
  ])('rejects an unknown critical extension on the %s', async (_name, where) => {
    const extension = { extensions: [{ oid: '1.3.6.1.4.1.99999.1', critical: true, value: Uint8Array.of(0x05, 0x00) }] };
    const bad = await createTestCa({ name: `Critical ${where}`, [where]: extension });
    await expect(validate(parseAll(bad.x5c), [parseCertificate(bad.root.der)])).rejects.toMatchObject({
      code: 'ERR_CERT_EXTENSION_INVALID',
      details: { field: '1.3.6.1.4.1.99999.1' },
    });
  });

  it('accepts an unknown non-critical extension', async () => {
    const extension = { extensions: [{ oid: '1.3.6.1.4.1.99999.1', critical: false, value: Uint8Array.of(0x05, 0x00) }] };
    const fine = await createTestCa({ name: 'Noncritical', leaf: extension });
    expect((await validate(parseAll(fine.x5c), [parseCertificate(fine.root.der)])).trusted).toBe(true);
  });

  it('rejects a critical nameConstraints as unsupported', async () => {
    const constrained = await createTestCa({
      name: 'Name constraints',
      intermediate: { extensions: [{ oid: OID_NAME_CONSTRAINTS, critical: true, value: EMPTY_SEQUENCE }] },
    });
    await expect(validate(parseAll(constrained.x5c), [])).rejects.toMatchObject({ code: 'ERR_CERT_EXTENSION_INVALID' });
  });

  it('refuses SHA-1 certificate signatures unless allowed', async () => {
    const sha1 = await createTestCa({ name: 'SHA1', leaf: { hash: 'SHA-1' } });
    const x5c = parseAll(sha1.x5c);
    const anchors = [parseCertificate(sha1.root.der)];
    await expect(validate(x5c, anchors)).rejects.toMatchObject({ code: 'ERR_CERT_SIGNATURE_ALG_UNSUPPORTED' });
    expect((await validate(x5c, anchors, { allowSha1Signatures: true })).trusted).toBe(true);
    // A cached verification does not bypass the policy of a later call.
    await expect(validate(x5c, anchors)).rejects.toMatchObject({ code: 'ERR_CERT_SIGNATURE_ALG_UNSUPPORTED' });
  });
});

describe('path validation: caching, misuse, no network', () => {
  it('gives the same answers from the signature cache and after clearing it', async () => {
    const first = await validate(chain, [root]);
    const second = await validate(chain, [root]);
    clearX509Caches();
    const third = await validate(chain, [root]);
    expect(second).toEqual(first);
    expect(third).toEqual(first);
  });

  it('a cached valid pair does not validate a different certificate', async () => {
    await validate(chain, [root]);
    const tampered = ca.leaf.der.slice();
    tampered[tampered.length - 3] = (tampered[tampered.length - 3] as number) ^ 0x01;
    await expect(validate([parseCertificate(tampered), intermediate], [root])).rejects.toMatchObject({
      code: 'ERR_CERT_CHAIN_INVALID',
    });
  });

  it('issue 14: misuse is ERR_OPTIONS_INVALID naming the argument, never a TypeError or ERR_INTERNAL', async () => {
    const lookalike = { ...leaf } as ParsedCertificate;
    const field = async (promise: Promise<unknown>) => (await expectRejection(promise, 'ERR_OPTIONS_INVALID')).details?.field;
    expect(await field(validate([lookalike], [root]))).toBe('chain[0]');
    expect(await field(validate(chain, [{ ...root }]))).toBe('trustAnchors[0]');
    expect(await field(validate(chain, [123 as unknown as ParsedCertificate]))).toBe('trustAnchors[0]');
    expect(await field(validate(chain, [null as unknown as ParsedCertificate]))).toBe('trustAnchors[0]');
    expect(await field(validateCertificatePath({ chain, trustAnchors: 'x' as unknown as ParsedCertificate[], now: TEST_NOW }))).toBe('trustAnchors');
    expect(await field(validateCertificatePath({ chain: undefined as unknown as ParsedCertificate[], trustAnchors: [], now: TEST_NOW }))).toBe('chain');
    expect(await field(validateCertificatePath(undefined as unknown as PathValidationOptions))).toBe('options');
    expect(await field(validateCertificatePath({ chain, trustAnchors: [root], now: new Date(Number.NaN) }))).toBe('now');
    expect(await field(validate(chain, [root], { maxLength: 0 }))).toBe('maxLength');
    expect(await field(validate(chain, [root], { allowSha1Signatures: 'yes' as unknown as boolean }))).toBe('allowSha1Signatures');
    expect(await field(validate(chain, [root], { revocation: { crls: ['MIIB' as unknown as Uint8Array], mode: 'require' } }))).toBe(
      'revocation.crls',
    );
    expect(await field(validate(chain, [root], { revocation: { crls: [], mode: 'always' as 'require' } }))).toBe('revocation.mode');
  });

  it('never fetches AIA or CRL distribution point URLs (L.88, V39)', async () => {
    const url = new TextEncoder().encode('http://127.0.0.1:9/ca.crt');
    const uri = Uint8Array.of(0x86, url.length, ...url);
    const accessDescription = Uint8Array.of(0x30, 10 + uri.length, 0x06, 0x08, 0x2b, 0x06, 0x01, 0x05, 0x05, 0x07, 0x30, 0x02, ...uri);
    const aia = Uint8Array.of(0x30, accessDescription.length, ...accessDescription);
    const fullName = Uint8Array.of(0xa0, uri.length + 2, 0xa0, uri.length, ...uri);
    const crlDp = Uint8Array.of(0x30, fullName.length + 2, 0x30, fullName.length, ...fullName);
    const withUrls = await createTestCa({
      name: 'URLs',
      leaf: {
        extensions: [
          { oid: '1.3.6.1.5.5.7.1.1', value: aia },
          { oid: '2.5.29.31', value: crlDp },
        ],
      },
    });
    const fetchSpy = vi.spyOn(globalThis, 'fetch');
    // Only the leaf: its issuer is absent, and still nothing is fetched.
    const result = await validate(parseAll(withUrls.x5c.slice(0, 1)), [parseCertificate(withUrls.root.der)]);
    expect(result).toMatchObject({ trusted: false, reason: 'no-path' });
    expect((await validate(parseAll(withUrls.x5c), [parseCertificate(withUrls.root.der)])).trusted).toBe(true);
    expect(fetchSpy).not.toHaveBeenCalled();
  });
});
