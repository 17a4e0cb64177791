/**
 * The Node backend verifies a lone request synchronously and overlapping ones on the thread pool
 * (callback `crypto.verify`). Both paths must give the same answer for every input, the counter
 * that chooses between them must come back to zero, and a sign-in must succeed or fail the same
 * way on either path. On the portable backend the same batches run (every verify is a promise
 * there) and the answers are checked alike.
 */
import { describe, expect, it } from 'vitest';
import { verifyAuthenticationResponse } from '../../src/ceremony/verify-authentication.js';
import { backend } from '../../src/crypto/backend.js';
import { getPreparedKey } from '../../src/crypto/key-cache.js';
import { verifyPrepared } from '../../src/crypto/verify-signature.js';
import { bytesToBase64Url } from '../../src/encoding/base64url.js';
import { type AlgName, flipBit, testKey } from '../helpers/keys.js';
import { expectRejection } from '../helpers/expect-code.js';
import { createAssertion } from '../helpers/synthetic-authenticator.js';

const DATA = new TextEncoder().encode('authenticatorData ‖ SHA-256(clientDataJSON), concurrently');
const NODE = backend.name === 'node';
const ALGS: readonly AlgName[] = ['ES256', 'ES384', 'RS256', 'PS256', 'EdDSA'];

interface Case {
  readonly name: AlgName;
  readonly signature: Uint8Array;
  readonly valid: boolean;
}

/** Valid and tampered signatures of several algorithms, interleaved. */
function cases(count: number): Case[] {
  const out: Case[] = [];
  for (let i = 0; i < count; i++) {
    const name = ALGS[i % ALGS.length] as AlgName;
    const signature = testKey(name).sign(DATA);
    const valid = i % 3 !== 1;
    // A flipped bit in the middle: the encoding stays strict, only the value is wrong.
    out.push({ name, signature: valid ? signature : flipBit(signature, signature.length >> 1), valid });
  }
  return out;
}

async function lone(name: AlgName): Promise<boolean | Promise<boolean>> {
  const prepared = await getPreparedKey(testKey(name).cose);
  // The await above ends the previous synchronous run: this verification is alone.
  return verifyPrepared(prepared, DATA, testKey(name).sign(DATA));
}

describe('node backend: lone and overlapping verifications', () => {
  it('a batch started in one turn: the first is synchronous, the others pooled, every answer right', async () => {
    const batch = cases(60);
    const prepared = await Promise.all(batch.map((c) => getPreparedKey(testKey(c.name).cose)));
    const results = batch.map((c, i) => verifyPrepared(prepared[i]!, DATA, c.signature));
    if (NODE) {
      expect(typeof results[0]).toBe('boolean');
      // A wrong first answer would also show below; here: the rest went to the pool.
      expect(results.slice(1).every((r) => r instanceof Promise)).toBe(true);
    }
    const answers = await Promise.all(results);
    expect(answers).toEqual(batch.map((c) => c.valid));
  });

  it('the counter returns to zero: after a batch settles, a lone verification is synchronous again', async () => {
    for (let round = 0; round < 3; round++) {
      const batch = cases(12);
      const prepared = await Promise.all(batch.map((c) => getPreparedKey(testKey(c.name).cose)));
      await Promise.all(batch.map((c, i) => verifyPrepared(prepared[i]!, DATA, c.signature)));
      for (const name of ALGS) {
        const result = await lone(name).then((r) => r);
        // `lone` awaits before verifying; its promise resolves with the synchronous boolean.
        expect(result).toBe(true);
      }
      const prepared0 = await getPreparedKey(testKey('ES256').cose);
      const alone = verifyPrepared(prepared0, DATA, testKey('ES256').sign(DATA));
      if (NODE) expect(alone).toBe(true);
      else expect(await alone).toBe(true);
    }
  });

  it('requests arriving while pooled verifications are pending also go to the pool', async () => {
    const prepared = await getPreparedKey(testKey('ES256').cose);
    const signature = testKey('ES256').sign(DATA);
    const first = [verifyPrepared(prepared, DATA, signature), verifyPrepared(prepared, DATA, signature)];
    // A later turn (a microtask hop, as another request handler would resume) while the second
    // is still on the pool.
    await Promise.resolve();
    const later = verifyPrepared(prepared, DATA, flipBit(signature, signature.length >> 1));
    if (NODE) expect(later).toBeInstanceOf(Promise);
    expect(await Promise.all([...first, later])).toEqual([true, true, false]);
  });

  it('100 concurrent sign-ins: each succeeds or fails exactly as it would alone', async () => {
    const attempts = Array.from({ length: 100 }, (_, i) => {
      const key = testKey(ALGS[i % ALGS.length] as AlgName);
      const assertion = createAssertion(key, { signCount: 5 });
      const forged = i % 4 === 3;
      const response = forged
        ? {
            ...assertion.response,
            response: { ...assertion.response.response, signature: bytesToBase64Url(flipBit(assertion.signature, assertion.signature.length >> 1)) },
          }
        : assertion.response;
      const promise = verifyAuthenticationResponse(response, assertion.record, assertion.expected);
      // Handlers attached at once: a forgery may reject before the ones ahead of it settle.
      return forged
        ? expectRejection(promise, 'ERR_SIGNATURE_INVALID', '7.2.21').then(() => 'rejected')
        : promise.then((result) => result.counter);
    });
    const outcomes = await Promise.all(attempts);
    expect(outcomes).toEqual(Array.from({ length: 100 }, (_, i) => (i % 4 === 3 ? 'rejected' : 'increased')));
  });
});
