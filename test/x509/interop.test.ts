import { describe, expect, it } from 'vitest';
import { parseCertificate, parseTrustAnchors, validateCertificatePath } from '../../src/x509/index.js';
import { loadX5cVectors, parseAll } from './util.js';

const vectors = loadX5cVectors().filter((v) => v.verificationTime !== undefined);
const NOT_TRUSTED: Record<string, 'no-path'> = {
  'pyw-packed-yubico-es256-wrong-root': 'no-path',
};

function run(vector: (typeof vectors)[number]) {
  return validateCertificatePath({
    chain: parseAll(vector.x5c),
    trustAnchors: parseTrustAnchors(vector.trustAnchors),
    now: vector.verificationTime!,
  });
}

describe('§7.1 step 24 on the interop vectors', () => {
  const withAnchors = vectors.filter((v) => v.trustAnchors.length > 0 && NOT_TRUSTED[v.id] === undefined);
  const withoutAnchors = vectors.filter((v) => v.trustAnchors.length === 0);

  it('covers the packed vectors the brief names', () => {
    const ids = vectors.map((v) => v.id);
    for (const id of ['pyw-packed-yubico-es256', 'w3c-packed-es256', 'gow-packed-es256-feitian-biopass']) {
      expect(ids).toContain(id);
    }
    expect(withAnchors.length).toBeGreaterThanOrEqual(10);
  });

  it.each(withAnchors.map((v) => [v.id, v]))('%s: x5c is trusted by its own anchors at verificationTime', async (_id, vector) => {
    const result = await run(vector);
    expect(result.trusted).toBe(true);
    if (!result.trusted) return;
    const anchorFingerprints = parseTrustAnchors(vector.trustAnchors).map((a) => a.sha256Fingerprint);
    expect(anchorFingerprints).toContain(result.anchor.sha256Fingerprint);
    expect(result.path[0]!.der).toEqual(vector.x5c[0]);
    expect(result.path[result.path.length - 1]).toBe(result.anchor);
  });

  it.each(withoutAnchors.map((v) => [v.id, v]))('%s: without anchors the chain is valid but untrusted', async (_id, vector) => {
    expect(await run(vector)).toMatchObject({ trusted: false, reason: 'no-anchors' });
  });

  it('pyw-packed-yubico-es256-wrong-root: a Yubico leaf does not chain to GlobalSign R2', async () => {
    const vector = vectors.find((v) => v.id === 'pyw-packed-yubico-es256-wrong-root')!;
    expect(vector.outcome).toBe('invalid');
    expect(await run(vector)).toMatchObject({ trusted: false, reason: 'no-path' });
  });

  it('the Android key attestation chain, which ends with its root, is trusted once per anchor', async () => {
    const vector = vectors.find((v) => v.id === 'pyw-android-key-pixel-8a')!;
    const result = await run(vector);
    expect(result.trusted && result.path.length).toBe(vector.x5c.length);
  });

  it('a packed vector fails outside its validity (the leaf of w3c vectors begins in 2024)', async () => {
    const vector = vectors.find((v) => v.id === 'w3c-packed-es256')!;
    await expect(
      validateCertificatePath({
        chain: parseAll(vector.x5c),
        trustAnchors: parseTrustAnchors(vector.trustAnchors),
        now: new Date('2023-12-31T23:59:59Z'),
      }),
    ).rejects.toMatchObject({ code: 'ERR_CERT_NOT_YET_VALID' });
  });

  it('a W3C packed leaf is not trusted by the Apple root', async () => {
    const w3c = vectors.find((v) => v.id === 'w3c-packed-es256')!;
    const apple = vectors.find((v) => v.id === 'pyw-apple-passkey')!;
    const result = await validateCertificatePath({
      chain: [parseCertificate(w3c.x5c[0]!)],
      trustAnchors: parseTrustAnchors(apple.trustAnchors),
      now: w3c.verificationTime!,
    });
    expect(result).toMatchObject({ trusted: false, reason: 'no-path' });
  });
});
