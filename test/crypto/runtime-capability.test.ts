/**
 * ERR_ALG_UNSUPPORTED_RUNTIME (issue 10): an algorithm this library supports but the runtime
 * cannot verify — no WebCrypto, WebCrypto without the algorithm and no loadable @noble fallback,
 * or a lazy import that fails — is reported with the runtime named, never as a foreign error or
 * ERR_INTERNAL. Missing capabilities are simulated: a backend without `crypto.subtle`, a
 * SubtleCrypto that refuses Ed25519/Ed448, @noble modules whose import rejects.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { createWebBackend, type NobleCurveModules } from '../../src/crypto/backend-web.js';
import { KeyCache } from '../../src/crypto/key-cache.js';
import { LazyModule } from '../../src/crypto/lazy-module.js';
import { loadMlDsa, mlDsaModule, verifyMlDsa } from '../../src/crypto/ml-dsa.js';
import { runtimeName, unsupportedOnRuntime } from '../../src/crypto/runtime.js';
import { decodeCoseKey } from '../../src/crypto/validate-key.js';
import { ERROR_CODES } from '../../src/errors.js';
import { expectCode, expectRejection } from '../helpers/expect-code.js';
import { type AlgName, ALG, testKey } from '../helpers/keys.js';

const DATA = new TextEncoder().encode('signed bytes');
const NODE_RUNTIME = `Node.js ${process.versions.node}`;

/** A SubtleCrypto that refuses Ed25519 and Ed448 the way platforms without them do. */
function subtleWithoutEdwards(): SubtleCrypto {
  const real = globalThis.crypto.subtle;
  return new Proxy(real, {
    get(target, property) {
      if (property === 'importKey') {
        return (...args: Parameters<SubtleCrypto['importKey']>) => {
          const algorithm = args[2] as { name?: string } | string;
          const name = typeof algorithm === 'string' ? algorithm : algorithm.name;
          if (name === 'Ed25519' || name === 'Ed448') return Promise.reject(new DOMException('Unrecognized name.', 'NotSupportedError'));
          return target.importKey(...args);
        };
      }
      const value = Reflect.get(target, property, target);
      return typeof value === 'function' ? value.bind(target) : value;
    },
  });
}

/** @noble modules whose dynamic import fails (a chunk that cannot be fetched, a stripped bundle). */
function failingNoble(): NobleCurveModules & { attempts: () => number } {
  let attempts = 0;
  const fail = () => {
    attempts++;
    return Promise.reject(new TypeError('Failed to fetch dynamically imported module'));
  };
  return {
    secp256k1: new LazyModule('the @noble/curves secp256k1 module', fail) as NobleCurveModules['secp256k1'],
    edwards: new LazyModule('WebCrypto EdDSA and the @noble/curves Edwards module', fail) as NobleCurveModules['edwards'],
    attempts: () => attempts,
  };
}

async function prepareRejection(web: ReturnType<typeof createWebBackend>, name: AlgName) {
  const error = await expectRejection(Promise.resolve().then(() => web.prepareKey(decodeCoseKey(testKey(name).cose))), 'ERR_ALG_UNSUPPORTED_RUNTIME');
  expect(error.details).toMatchObject({ alg: ALG[name], runtime: NODE_RUNTIME });
  expect(error.message).toContain(NODE_RUNTIME);
  return error;
}

describe('ERR_ALG_UNSUPPORTED_RUNTIME', () => {
  it('is a documented code', () => {
    expect(ERROR_CODES.ERR_ALG_UNSUPPORTED_RUNTIME).toMatch(/runtime/);
  });

  it('no WebCrypto at all: ECDSA, RSA PKCS#1 and PSS name the runtime and what is missing', async () => {
    const web = createWebBackend(undefined);
    for (const name of ['ES256', 'ES384', 'ES512', 'RS256', 'PS256'] as AlgName[]) {
      const error = await prepareRejection(web, name);
      expect(error.details?.missing).toBe('WebCrypto (crypto.subtle)');
    }
  });

  it('no WebCrypto Ed25519/Ed448 and the @noble fallback cannot be imported', async () => {
    const noble = failingNoble();
    const web = createWebBackend(subtleWithoutEdwards(), noble);
    for (const name of ['EdDSA', 'Ed25519', 'Ed448'] as AlgName[]) {
      const error = await prepareRejection(web, name);
      expect(error.cause).toBeInstanceOf(TypeError);
      expect(error.details?.missing).toBe('WebCrypto EdDSA and the @noble/curves Edwards module');
    }
    // The other algorithms are unaffected.
    const es256 = testKey('ES256');
    const prepared = await web.prepareKey(decodeCoseKey(es256.cose));
    expect(await web.verify(prepared, DATA, es256.sign(DATA))).toBe(true);
  });

  it('secp256k1 whose @noble module cannot be imported, even with WebCrypto present', async () => {
    const web = createWebBackend(globalThis.crypto.subtle, failingNoble());
    const error = await prepareRejection(web, 'ES256K');
    expect(error.details?.missing).toBe('the @noble/curves secp256k1 module');
  });

  it('a failed import is not remembered: the next key tries again and then verifies', async () => {
    let calls = 0;
    const flaky = new LazyModule('the @noble/curves secp256k1 module', () => {
      calls++;
      return calls === 1 ? Promise.reject(new Error('offline')) : import('../../src/crypto/noble-secp256k1.js');
    });
    const web = createWebBackend(globalThis.crypto.subtle, { ...failingNoble(), secp256k1: flaky });
    await prepareRejection(web, 'ES256K');
    const key = testKey('ES256K');
    const prepared = await web.prepareKey(decodeCoseKey(key.cose));
    expect(web.verify(prepared, DATA, key.sign(DATA))).toBe(true);
    expect(calls).toBe(2);
  });

  it('a loader that throws synchronously or yields nothing is reported the same way', async () => {
    const throwing = new LazyModule<object>('a module', () => {
      throw new SyntaxError('bad chunk');
    });
    const empty = new LazyModule<object>('a module', () => Promise.resolve(undefined as unknown as object));
    for (const lazy of [throwing, empty]) {
      const error = await expectRejection(Promise.resolve(lazy.get(-47)), 'ERR_ALG_UNSUPPORTED_RUNTIME');
      expect(error.details).toMatchObject({ alg: -47, runtime: NODE_RUNTIME, missing: 'a module' });
      expect(lazy.loaded).toBeUndefined();
    }
  });

  it('goes through the key cache unchanged and is not cached', async () => {
    const cache = new KeyCache(8, createWebBackend(undefined));
    const cose = testKey('ES256').cose;
    await expectRejection(Promise.resolve().then(() => cache.get(cose)), 'ERR_ALG_UNSUPPORTED_RUNTIME');
    expect(cache.size).toBe(0);
  });
});

describe('lazy @noble modules: one await per module, then synchronous', () => {
  it('a second secp256k1 key is prepared synchronously once the module is loaded', async () => {
    const web = createWebBackend(undefined);
    const first = testKey('ES256K');
    await web.prepareKey(decodeCoseKey(first.cose));
    const again = web.prepareKey(decodeCoseKey(testKey('ES256K').cose));
    expect(again).not.toBeInstanceOf(Promise);
  });

  it('ML-DSA: loadMlDsa settles once, after which verifyMlDsa is synchronous on both backends', async () => {
    await loadMlDsa(ALG['ML-DSA-44']);
    expect(mlDsaModule.loaded).toBeDefined();
    expect(loadMlDsa(ALG['ML-DSA-44'])).toBeUndefined();
    const key = testKey('ML-DSA-44');
    const cose = decodeCoseKey(key.cose);
    expect(cose.kty).toBe('AKP');
    if (cose.kty !== 'AKP') return;
    expect(verifyMlDsa(cose.variant, cose.pub, DATA, key.sign(DATA))).toBe(true);
    expect(verifyMlDsa(cose.variant, cose.pub, DATA, key.sign(DATA).subarray(1))).toBe(false);
  });
});

describe('runtimeName', () => {
  const g = globalThis as { Deno?: unknown; Bun?: unknown };
  afterEach(() => {
    delete g.Deno;
    delete g.Bun;
  });

  it('names Node.js from process.versions', () => {
    expect(runtimeName()).toBe(NODE_RUNTIME);
  });

  it('names Deno and Bun from their globals (no permission needed)', () => {
    g.Bun = { version: '1.2.3' };
    expect(runtimeName()).toBe('Bun 1.2.3');
    g.Deno = { version: { deno: '2.1.4' } };
    expect(runtimeName()).toBe('Deno 2.1.4');
  });

  it('unsupportedOnRuntime throws the code with step, alg, runtime and cause', () => {
    const cause = new Error('x');
    const error = expectCode(() => unsupportedOnRuntime(-48, 'the thing', cause), 'ERR_ALG_UNSUPPORTED_RUNTIME');
    expect(error.step).toBe('6.5.5');
    expect(error.cause).toBe(cause);
    expect(error.details).toEqual({ alg: -48, runtime: NODE_RUNTIME, missing: 'the thing' });
  });
});
