/**
 * The sign-in contenders of `npm run bench`, on the same inputs (bench/inputs.ts):
 *   ours  verifyAuthenticationResponse of the built package (`webauthn-verify`);
 *   (a)   node:crypto verify of the same signature with a ready KeyObject: the warm limit;
 *   (a0)  node:crypto JWK import + verify: the limit for a credential seen for the first time;
 *   (b)   @simplewebauthn/server 14 verifyAuthenticationResponse.
 */
import { createPublicKey, verify as nodeVerify, webcrypto } from 'node:crypto';
import { verifyAuthenticationResponse as simpleVerify } from '@simplewebauthn/server';
import { verifyAuthenticationResponse } from 'webauthn-verify';
import { type BenchCredential, CHALLENGE, ORIGIN, RP_ID } from './inputs.js';

const expected = { challenge: CHALLENGE, origin: ORIGIN, rpId: RP_ID } as const;

/** Ours: one awaited-able sign-in. */
export function ours(c: BenchCredential) {
  return verifyAuthenticationResponse(c.response, { id: c.id, publicKey: c.coseBase64Url, algorithm: c.coseAlg, signCount: 0 }, expected);
}

/** (a): the bare synchronous verify with an imported key. */
export function raw(c: BenchCredential): boolean {
  const hash = c.alg === 'Ed25519' ? null : 'sha256';
  return nodeVerify(hash, c.signedData, { key: c.keyObject, dsaEncoding: 'der' }, c.signature);
}

/** (a0): JWK import, then the bare verify. */
export function rawCold(c: BenchCredential): boolean {
  const key = createPublicKey({ key: c.jwk, format: 'jwk' });
  const hash = c.alg === 'Ed25519' ? null : 'sha256';
  return nodeVerify(hash, c.signedData, { key, dsaEncoding: 'der' }, c.signature);
}

/** The bare verify in its callback form (libuv's thread pool), as a promise. */
export function rawPooled(c: BenchCredential): Promise<boolean> {
  const hash = c.alg === 'Ed25519' ? null : 'sha256';
  return new Promise((resolve, reject) =>
    nodeVerify(hash, c.signedData, { key: c.keyObject, dsaEncoding: 'der' }, c.signature, (error, ok) => (error ? reject(error) : resolve(ok))),
  );
}

const webKeys = new WeakMap<BenchCredential, CryptoKey>();

/** Imports the WebCrypto key of an ES256 credential once (for {@link rawWebCrypto}). */
export async function prepareWebCrypto(c: BenchCredential): Promise<void> {
  webKeys.set(c, await webcrypto.subtle.importKey('jwk', c.jwk as JsonWebKey, { name: 'ECDSA', namedCurve: 'P-256' }, false, ['verify']));
}

/** Bare WebCrypto ECDSA verify of the same assertion (the signature as P1363 r‖s). */
export function rawWebCrypto(c: BenchCredential, p1363: Uint8Array): Promise<boolean> {
  return webcrypto.subtle.verify({ name: 'ECDSA', hash: 'SHA-256' }, webKeys.get(c) as CryptoKey, p1363, c.signedData);
}

/** (b): @simplewebauthn/server on the same response. */
export function simple(c: BenchCredential) {
  return simpleVerify({
    response: c.response,
    expectedChallenge: CHALLENGE,
    expectedOrigin: ORIGIN,
    expectedRPID: RP_ID,
    credential: { id: c.id, publicKey: c.cose as Uint8Array<ArrayBuffer>, counter: 0 },
    requireUserVerification: false,
  });
}

/** Checks that every contender accepts the credential's assertion before it is timed. */
export async function sanityCheck(c: BenchCredential): Promise<void> {
  const [a, b, s] = [raw(c), await ours(c), await simple(c)];
  if (!a || b.counter !== 'increased' || !s.verified) throw new Error(`bench inputs for ${c.alg} do not verify`);
}

/** A function that calls `fn` on the next item of `items` each time (cold scenarios). */
export function cycling<T>(items: readonly T[], fn: (item: T) => unknown): () => unknown {
  let i = 0;
  return () => fn(items[i++ % items.length] as T);
}

/** DER ECDSA signature → P1363 r‖s of `size`-byte integers (for WebCrypto). */
export function derToP1363(der: Uint8Array, size = 32): Uint8Array {
  const out = new Uint8Array(2 * size);
  let offset = 2;
  for (let part = 0; part < 2; part++) {
    const length = der[offset + 1] as number;
    let value = der.subarray(offset + 2, offset + 2 + length);
    while (value.length > size && value[0] === 0) value = value.subarray(1);
    out.set(value, part * size + size - value.length);
    offset += 2 + length;
  }
  return out;
}
