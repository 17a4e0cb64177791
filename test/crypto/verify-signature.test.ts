import { describe, expect, it } from 'vitest';
import { backend } from '../../src/crypto/backend.js';
import { ECDSA_CURVES } from '../../src/crypto/ecdsa-der.js';
import { getPreparedKey } from '../../src/crypto/key-cache.js';
import { decodeCoseKey } from '../../src/crypto/validate-key.js';
import { verifyPrepared, verifySignature } from '../../src/crypto/verify-signature.js';
import { bytesToBase64Url } from '../../src/encoding/base64url.js';
import { type WebAuthnErrorCode, WebAuthnError } from '../../src/errors.js';
import type { EcCurveName } from '../../src/parse/cose-constants.js';
import { ALG, ALG_NAMES, type AlgName, derSignature, derToRs, encodeCose, flipBit, testKey } from '../helpers/keys.js';

const ALL_ALGS = Object.values(ALG);
const DATA = new TextEncoder().encode('authenticatorData ‖ SHA-256(clientDataJSON): 37 bytes and a hash');

async function expectRejects(promise: Promise<unknown>, code: WebAuthnErrorCode, step?: string): Promise<WebAuthnError> {
  let caught: unknown;
  try {
    await promise;
  } catch (error) {
    caught = error;
  }
  expect(caught, `expected ${code}`).toBeInstanceOf(WebAuthnError);
  const error = caught as WebAuthnError;
  expect(error.code).toBe(code);
  if (step !== undefined) expect(error.step).toBe(step);
  return error;
}

const EC: Record<string, EcCurveName> = {
  ES256: 'P-256',
  ESP256: 'P-256',
  ES384: 'P-384',
  ESP384: 'P-384',
  ES512: 'P-521',
  ESP512: 'P-521',
  ES256K: 'secp256k1',
};
const EC_NAMES = Object.keys(EC) as AlgName[];

function unsigned(value: bigint): number[] {
  let hex = value.toString(16);
  if (hex.length % 2) hex = `0${hex}`;
  return [...Buffer.from(hex, 'hex')];
}

/** Minimal DER INTEGER content (sign byte added when the top bit is set). */
function minimal(value: bigint): number[] {
  const body = unsigned(value);
  return (body[0] as number) >= 0x80 ? [0x00, ...body] : body;
}

/** A DER SEQUENCE of INTEGERs with exactly the given contents (possibly non-minimal). */
function derOf(contents: number[][]): Uint8Array {
  const body = contents.flatMap((c) => [0x02, c.length, ...c]);
  return Uint8Array.of(0x30, ...(body.length < 0x80 ? [body.length] : [0x81, body.length]), ...body);
}
const RSA_NAMES: AlgName[] = ['RS256', 'RS384', 'RS512', 'PS256', 'PS384', 'PS512', 'RS1'];

describe(`verifySignature (${backend.name} backend)`, () => {
  describe.each(ALG_NAMES)('%s', (name) => {
    const key = testKey(name);
    const signature = key.sign(DATA);
    const options = { allowedAlgorithms: ALL_ALGS };

    it('accepts a valid signature given COSE bytes, base64url, a CosePublicKey and a PreparedKey', async () => {
      await verifySignature(key.cose, DATA, signature, options);
      await verifySignature(bytesToBase64Url(key.cose), DATA, signature, options);
      await verifySignature(decodeCoseKey(key.cose), DATA, signature, options);
      const prepared = await getPreparedKey(key.cose);
      await verifySignature(prepared, DATA, signature, options);
      expect(await verifyPrepared(prepared, DATA, signature)).toBe(true);
    });

    it('F.53: one-bit changes of the data or the signature are ERR_SIGNATURE_INVALID', async () => {
      const positions = [0, 1, 17, DATA.length - 1];
      for (const i of positions) {
        for (const bit of [0, 7]) {
          await expectRejects(verifySignature(key.cose, flipBit(DATA, i, bit), signature, options), 'ERR_SIGNATURE_INVALID', '6.5.5');
        }
      }
      const sigPositions = [0, 1, 2, Math.floor(signature.length / 2), signature.length - 2, signature.length - 1];
      for (const i of sigPositions) {
        for (const bit of [0, 3, 7]) {
          await expectRejects(verifySignature(key.cose, DATA, flipBit(signature, i, bit), options), 'ERR_SIGNATURE_INVALID');
        }
      }
    });

    it('rejects truncated, extended and empty signatures, and another signature', async () => {
      await expectRejects(verifySignature(key.cose, DATA, signature.subarray(0, signature.length - 1), options), 'ERR_SIGNATURE_INVALID');
      const longer = new Uint8Array(signature.length + 1);
      longer.set(signature);
      await expectRejects(verifySignature(key.cose, DATA, longer, options), 'ERR_SIGNATURE_INVALID');
      await expectRejects(verifySignature(key.cose, DATA, new Uint8Array(0), options), 'ERR_SIGNATURE_INVALID');
      const other = key.sign(Uint8Array.of(1, 2, 3));
      await expectRejects(verifySignature(key.cose, DATA, other, options), 'ERR_SIGNATURE_INVALID');
    });

    it('ERR_ALG_NOT_ALLOWED when the algorithm is not in the allow-list', async () => {
      const others = ALL_ALGS.filter((alg) => alg !== key.alg);
      const error = await expectRejects(
        verifySignature(key.cose, DATA, signature, { allowedAlgorithms: others }),
        'ERR_ALG_NOT_ALLOWED',
        '6.5.5',
      );
      expect(error.details?.received).toBe(key.alg);
    });
  });

  it('RS1 is refused unless listed explicitly (E.49)', async () => {
    const key = testKey('RS1');
    const signature = key.sign(DATA);
    await expectRejects(verifySignature(key.cose, DATA, signature), 'ERR_ALG_NOT_ALLOWED');
    await verifySignature(key.cose, DATA, signature, { allowedAlgorithms: [ALG.RS1] });
  });

  it('callers can name the spec step', async () => {
    const key = testKey('ES256');
    await expectRejects(verifySignature(key.cose, flipBit(DATA, 0), key.sign(DATA), { step: '7.2.21' }), 'ERR_SIGNATURE_INVALID', '7.2.21');
  });

  it('verifyPrepared is synchronous on the node backend, for every algorithm', async () => {
    for (const name of ALG_NAMES) {
      const key = testKey(name);
      const prepared = await getPreparedKey(key.cose);
      const result = verifyPrepared(prepared, DATA, key.sign(DATA));
      if (backend.name === 'node') expect(result).toBe(true);
      else expect(await result).toBe(true);
    }
  });

  describe('wrong algorithm for the signature', () => {
    it('a PKCS#1 v1.5 signature under a PSS key, and the reverse, are rejected', async () => {
      const pairs: [AlgName, AlgName][] = [
        ['RS256', 'PS256'],
        ['PS256', 'RS256'],
        ['RS384', 'PS384'],
        ['PS512', 'RS512'],
        ['RS256', 'RS384'],
        ['RS512', 'RS256'],
        ['RS1', 'RS256'],
        ['PS256', 'PS384'],
      ];
      for (const [signer, verifier] of pairs) {
        const signature = testKey(signer).sign(DATA);
        await expectRejects(
          verifySignature(testKey(verifier).cose, DATA, signature, { allowedAlgorithms: ALL_ALGS }),
          'ERR_SIGNATURE_INVALID',
        );
      }
    });

    it('a signature of one curve is rejected under a key of another', async () => {
      const es256 = testKey('ES256').sign(DATA);
      for (const name of ['ES384', 'ES512', 'ES256K'] as const) {
        await expectRejects(verifySignature(testKey(name).cose, DATA, es256), 'ERR_SIGNATURE_INVALID');
      }
      await expectRejects(verifySignature(testKey('Ed448').cose, DATA, testKey('EdDSA').sign(DATA)), 'ERR_SIGNATURE_INVALID');
      await expectRejects(verifySignature(testKey('EdDSA').cose, DATA, testKey('Ed25519').sign(DATA)), 'ERR_SIGNATURE_INVALID');
    });

    it('ML-DSA signatures of one variant are rejected under another', async () => {
      const sig44 = testKey('ML-DSA-44').sign(DATA);
      await expectRejects(verifySignature(testKey('ML-DSA-65').cose, DATA, sig44), 'ERR_SIGNATURE_INVALID');
      await expectRejects(verifySignature(testKey('ML-DSA-87').cose, DATA, sig44), 'ERR_SIGNATURE_INVALID');
    });
  });

  describe.each(EC_NAMES)('ECDSA %s signature encoding (F.50–F.52)', (name) => {
    const key = testKey(name);
    const curve = EC[name] as EcCurveName;
    const n = BigInt(`0x${Buffer.from(ECDSA_CURVES[curve].order).toString('hex')}`);
    const size = ECDSA_CURVES[curve].size;

    it('F.52: the high-S twin (r, n − s) of a valid signature is accepted', async () => {
      for (let i = 0; i < 4; i++) {
        const data = Uint8Array.of(i, ...DATA);
        const { r, s } = derToRs(key.sign(data));
        await verifySignature(key.cose, data, derSignature(r, s));
        await verifySignature(key.cose, data, derSignature(r, n - s));
      }
    });

    it('F.50: the raw r‖s (P1363) form of a valid signature is rejected', async () => {
      const { r, s } = derToRs(key.sign(DATA));
      const raw = new Uint8Array(2 * size);
      raw.set(Buffer.from(r.toString(16).padStart(2 * size, '0'), 'hex'), 0);
      raw.set(Buffer.from(s.toString(16).padStart(2 * size, '0'), 'hex'), size);
      await expectRejects(verifySignature(key.cose, DATA, raw), 'ERR_SIGNATURE_INVALID', '6.5.5');
    });

    it('F.51: trailing bytes, an extra INTEGER, non-minimal or negative INTEGERs, r/s = 0 or ≥ n', async () => {
      const der = key.sign(DATA);
      const { r, s } = derToRs(der);
      const rMin = minimal(r);
      const sMin = minimal(s);
      const bad: Uint8Array[] = [
        Uint8Array.of(...der, 0x00),
        derOf([rMin, sMin, [0x01]]),
        derOf([[0x00, ...rMin], sMin]),
        derOf([rMin, [0x00, ...sMin]]),
        derSignature(0n, s),
        derSignature(r, 0n),
        derSignature(n, s),
        derSignature(r, n),
        derSignature(r, n + s),
      ];
      // Negative s (MissingZero): a high-bit s without its sign byte.
      const high = unsigned(n - 1n);
      if ((high[0] as number) >= 0x80) bad.push(derOf([rMin, high]));
      for (const sig of bad) await expectRejects(verifySignature(key.cose, DATA, sig), 'ERR_SIGNATURE_INVALID');
    });
  });

  describe.each(RSA_NAMES)('RSA %s', (name) => {
    it('F.55: a signature whose length differs from the modulus length is rejected', async () => {
      const key = testKey(name);
      const sig = key.sign(DATA);
      const withZero = new Uint8Array(sig.length + 1);
      withZero.set(sig, 1);
      await expectRejects(verifySignature(key.cose, DATA, withZero, { allowedAlgorithms: ALL_ALGS }), 'ERR_SIGNATURE_INVALID');
      await expectRejects(
        verifySignature(key.cose, DATA, new Uint8Array(sig.length - 1), { allowedAlgorithms: ALL_ALGS }),
        'ERR_SIGNATURE_INVALID',
      );
    });
  });

  describe('Ed25519 (F.54)', () => {
    const L = 2n ** 252n + 27742317777372353535851937790883648493n;
    it('rejects 63/65-byte signatures and S + L (malleability)', async () => {
      const key = testKey('EdDSA');
      const sig = key.sign(DATA);
      await expectRejects(verifySignature(key.cose, DATA, sig.subarray(0, 63)), 'ERR_SIGNATURE_INVALID');
      await expectRejects(verifySignature(key.cose, DATA, Uint8Array.of(...sig, 0)), 'ERR_SIGNATURE_INVALID');
      const s = BigInt(`0x${Buffer.from(sig.subarray(32)).reverse().toString('hex')}`);
      const sPlusL = Buffer.from((s + L).toString(16).padStart(64, '0'), 'hex').reverse();
      await expectRejects(verifySignature(key.cose, DATA, Uint8Array.of(...sig.subarray(0, 32), ...sPlusL)), 'ERR_SIGNATURE_INVALID');
    });
    it('Ed448: rejects 113/115-byte signatures', async () => {
      const key = testKey('Ed448');
      const sig = key.sign(DATA);
      await expectRejects(verifySignature(key.cose, DATA, sig.subarray(0, 113)), 'ERR_SIGNATURE_INVALID');
      await expectRejects(verifySignature(key.cose, DATA, Uint8Array.of(...sig, 0)), 'ERR_SIGNATURE_INVALID');
    });
  });

  describe('keys refused before any verification', () => {
    it('E.47: off-curve EC2 keys are ERR_COSE_KEY_INVALID, as bytes and as objects', async () => {
      for (const name of EC_NAMES) {
        const key = testKey(name);
        const entries = key.entries();
        const y = new Uint8Array(entries.get(-3) as Uint8Array);
        y[0] = (y[0] as number) ^ 0x01;
        entries.set(-3, y);
        const cose = encodeCose(entries);
        await expectRejects(verifySignature(cose, DATA, key.sign(DATA)), 'ERR_COSE_KEY_INVALID', '5.8.5');
        const object = { kty: 'EC2', alg: key.alg, crv: EC[name], x: entries.get(-2), y } as never;
        await expectRejects(verifySignature(object, DATA, key.sign(DATA)), 'ERR_COSE_KEY_INVALID', '5.8.5');
      }
    });

    it('malformed and unsupported keys keep their codes', async () => {
      await expectRejects(verifySignature(Uint8Array.of(0xa0), DATA, new Uint8Array(64)), 'ERR_COSE_KEY_INVALID');
      const entries = testKey('ES256').entries();
      entries.set(3, -42);
      await expectRejects(verifySignature(encodeCose(entries), DATA, new Uint8Array(64)), 'ERR_ALG_UNSUPPORTED');
      await expectRejects(verifySignature('not+base64url', DATA, new Uint8Array(64)), 'ERR_BASE64URL_INVALID');
    });
  });
});

describe('verifySignature misuse: ERR_OPTIONS_INVALID naming the argument, never a TypeError', () => {
  const key = testKey('ES256');
  const signature = key.sign(DATA);

  it.each([
    ['key', () => verifySignature(42 as unknown as string, DATA, signature)],
    ['key', () => verifySignature(null as unknown as string, DATA, signature)],
    ['data', () => verifySignature(key.cose, 'data' as unknown as Uint8Array, signature)],
    ['signature', () => verifySignature(key.cose, DATA, [1, 2] as unknown as Uint8Array)],
    ['options', () => verifySignature(key.cose, DATA, signature, null as unknown as undefined)],
  ] as const)('%s', async (field, call) => {
    const error = await expectRejects(call(), 'ERR_OPTIONS_INVALID');
    expect(error.details?.field).toBe(field);
  });

  it('the same arguments, well typed, verify (the checks above are about types only)', async () => {
    await expect(verifySignature(key.cose, DATA, signature, {})).resolves.toBeUndefined();
  });
});
