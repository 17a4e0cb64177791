import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { backend, hash, sha256 } from '../../src/crypto/backend.js';
import { createWebBackend } from '../../src/crypto/backend-web.js';
import { decodeCoseKey } from '../../src/crypto/validate-key.js';
import { WebAuthnError } from '../../src/errors.js';
import type { HashName } from '../../src/parse/cose-constants.js';
import { type AlgName, derSignature, derToRs, flipBit, testKey } from '../helpers/keys.js';

const DATA = new TextEncoder().encode('some signed bytes');

describe(`hash (${backend.name} backend)`, () => {
  const inputs = [new Uint8Array(0), new TextEncoder().encode('abc'), new Uint8Array(1000).fill(7)];
  const names: [HashName, string][] = [
    ['SHA-1', 'sha1'],
    ['SHA-256', 'sha256'],
    ['SHA-384', 'sha384'],
    ['SHA-512', 'sha512'],
  ];
  it.each(names)('%s matches node:crypto and returns a plain Uint8Array', (name, nodeName) => {
    for (const input of inputs) {
      const digest = hash(name, input);
      expect(digest.constructor).toBe(Uint8Array);
      expect(Buffer.from(digest).toString('hex')).toBe(createHash(nodeName).update(input).digest('hex'));
    }
  });
  it('sha256 is SHA-256', () => {
    expect(Buffer.from(sha256(new TextEncoder().encode('abc'))).toString('hex')).toBe(
      'ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad',
    );
    expect(['node', 'web']).toContain(backend.name);
  });
});

/** A SubtleCrypto that behaves like a platform without Ed25519 and Ed448, counting probes. */
function subtleWithoutEdwards(): { subtle: SubtleCrypto; edImports: number } {
  const real = globalThis.crypto.subtle;
  const state = { edImports: 0, subtle: undefined as unknown as SubtleCrypto };
  state.subtle = new Proxy(real, {
    get(target, property) {
      if (property === 'importKey') {
        return (...args: Parameters<SubtleCrypto['importKey']>) => {
          const algorithm = args[2] as { name?: string } | string;
          const name = typeof algorithm === 'string' ? algorithm : algorithm.name;
          if (name === 'Ed25519' || name === 'Ed448') {
            state.edImports++;
            return Promise.reject(new DOMException('Unrecognized name.', 'NotSupportedError'));
          }
          return target.importKey(...args);
        };
      }
      const value = Reflect.get(target, property, target);
      return typeof value === 'function' ? value.bind(target) : value;
    },
  });
  return state;
}

describe('web backend on a platform without Ed25519 / Ed448 (@noble fallback, RFC 8032 strict)', () => {
  const platform = subtleWithoutEdwards();
  const web = createWebBackend(platform.subtle);

  it.each(['EdDSA', 'Ed25519', 'Ed448'] as AlgName[])('%s verifies synchronously through @noble', async (name) => {
    const key = testKey(name);
    const prepared = await web.prepareKey(decodeCoseKey(key.cose));
    const signature = key.sign(DATA);
    expect(web.verify(prepared, DATA, signature)).toBe(true);
    expect(web.verify(prepared, flipBit(DATA, 3), signature)).toBe(false);
    expect(web.verify(prepared, DATA, flipBit(signature, 10))).toBe(false);
    expect(web.verify(prepared, DATA, flipBit(signature, signature.length - 1, 7))).toBe(false);
    expect(web.verify(prepared, DATA, signature.subarray(1))).toBe(false);
    expect(web.verify(prepared, DATA, new Uint8Array(signature.length))).toBe(false);
  });

  it('rejects S + L for Ed25519 (F.54)', async () => {
    const key = testKey('EdDSA');
    const prepared = await web.prepareKey(decodeCoseKey(key.cose));
    const sig = key.sign(DATA);
    const L = 2n ** 252n + 27742317777372353535851937790883648493n;
    const s = BigInt(`0x${Buffer.from(sig.subarray(32)).reverse().toString('hex')}`);
    const sPlusL = Buffer.from((s + L).toString(16).padStart(64, '0'), 'hex').reverse();
    expect(web.verify(prepared, DATA, Uint8Array.of(...sig.subarray(0, 32), ...sPlusL))).toBe(false);
  });

  it('asks the platform once per curve', async () => {
    for (let i = 0; i < 3; i++) await web.prepareKey(decodeCoseKey(testKey('EdDSA').cose));
    await web.prepareKey(decodeCoseKey(testKey('Ed448').cose));
    expect(platform.edImports).toBe(2);
  });
});

describe('web backend without WebCrypto at all', () => {
  const web = createWebBackend(undefined);

  it('still verifies the @noble algorithms (secp256k1, Ed25519, Ed448, ML-DSA)', async () => {
    for (const name of ['ES256K', 'EdDSA', 'Ed448', 'ML-DSA-44'] as AlgName[]) {
      const key = testKey(name);
      const prepared = await web.prepareKey(decodeCoseKey(key.cose));
      expect(web.verify(prepared, DATA, key.sign(DATA))).toBe(true);
      expect(web.verify(prepared, flipBit(DATA, 0), key.sign(DATA))).toBe(false);
    }
  });

  it('secp256k1 through @noble: high-S accepted, non-DER refused', async () => {
    const key = testKey('ES256K');
    const prepared = await web.prepareKey(decodeCoseKey(key.cose));
    const n = 0xfffffffffffffffffffffffffffffffebaaedce6af48a03bbfd25e8cd0364141n;
    for (let i = 0; i < 6; i++) {
      const data = Uint8Array.of(i, ...DATA);
      const sig = key.sign(data);
      expect(web.verify(prepared, data, sig)).toBe(true);
      const { r, s } = derToRs(sig);
      expect(web.verify(prepared, data, derSignature(r, n - s))).toBe(true);
      expect(web.verify(prepared, data, Uint8Array.of(...sig, 0))).toBe(false);
    }
  });

  it('reports the missing platform as ERR_ALG_UNSUPPORTED_RUNTIME for WebCrypto algorithms', async () => {
    const prepared = web.prepareKey(decodeCoseKey(testKey('ES256').cose));
    await expect(Promise.resolve(prepared)).rejects.toBeInstanceOf(WebAuthnError);
    await expect(Promise.resolve(prepared)).rejects.toMatchObject({ code: 'ERR_ALG_UNSUPPORTED_RUNTIME' });
  });
});
