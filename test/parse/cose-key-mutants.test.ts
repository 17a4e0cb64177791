/**
 * §5.8.5 COSE_Key structure: every rejection of parseCoseKey, getCoseAlgorithm and
 * assertCosePublicKey with its exact message and details (field, expected, received — the
 * received value described by kind: "undefined", "string", "3-byte string", "map", "array",
 * "null"), label 0 as a non-negative label, and the RSA modulus and exponent bounds named in
 * docs/security.md. The CBOR is written byte by byte here. Written against the survivors of a
 * mutation run (docs/security.md, "Mutation score").
 */
import { describe, expect, it } from 'vitest';
import type { CosePublicKey } from '../../src/parse/cose-constants.js';
import { assertCosePublicKey, getCoseAlgorithm, isAlgorithmAllowed, parseCoseKey } from '../../src/parse/cose-key.js';
import { expectCode } from '../helpers/expect-code.js';

type Item = number | string | boolean | null | Uint8Array | Item[] | Map<Item, Item>;

function head(major: number, n: number): number[] {
  const m = major << 5;
  if (n < 24) return [m | n];
  if (n < 0x100) return [m | 24, n];
  if (n < 0x10000) return [m | 25, n >> 8, n & 0xff];
  return [m | 26, (n >>> 24) & 0xff, (n >>> 16) & 0xff, (n >>> 8) & 0xff, n & 0xff];
}

function cbor(item: Item): number[] {
  if (item === null) return [0xf6];
  if (item === true) return [0xf5];
  if (item === false) return [0xf4];
  if (typeof item === 'number') return item < 0 ? head(1, -1 - item) : head(0, item);
  if (typeof item === 'string') {
    const utf8 = [...new TextEncoder().encode(item)];
    return [...head(3, utf8.length), ...utf8];
  }
  if (item instanceof Uint8Array) return [...head(2, item.length), ...item];
  if (Array.isArray(item)) return [...head(4, item.length), ...item.flatMap(cbor)];
  return [...head(5, item.size), ...[...item].flatMap(([k, v]) => [...cbor(k), ...cbor(v)])];
}

const encode = (item: Item) => new Uint8Array(cbor(item));
const key = (entries: [Item, Item][]) => encode(new Map(entries));
const X = new Uint8Array(32).fill(1);
const Y = new Uint8Array(32).fill(2);

/** A valid-shaped ES256 key, with entries replaced (undefined removes). */
function es256(changes: [Item, Item | undefined][] = []): Uint8Array {
  const map = new Map<Item, Item>([
    [1, 2],
    [3, -7],
    [-1, 1],
    [-2, X],
    [-3, Y],
  ]);
  for (const [label, value] of changes) {
    if (value === undefined) map.delete(label);
    else map.set(label, value);
  }
  return encode(map);
}

/** An odd RSA modulus of exactly `bits` bits. */
function modulus(bits: number): Uint8Array {
  const n = new Uint8Array(Math.ceil(bits / 8)).fill(0xa5);
  n[0] = 1 << ((bits - 1) % 8);
  n[n.length - 1] = 0x01;
  return n;
}

const rsa = (n: Item | undefined, e: Item | undefined) => {
  const map = new Map<Item, Item>([
    [1, 3],
    [3, -257],
  ]);
  if (n !== undefined) map.set(-1, n);
  if (e !== undefined) map.set(-2, e);
  return encode(map);
};

function invalid(fn: () => unknown, message: string, details: Record<string, unknown>) {
  const error = expectCode(fn, 'ERR_COSE_KEY_INVALID');
  expect(error.step).toBe('5.8.5');
  expect(error.message).toBe(`COSE_Key: ${message}`);
  expect(error.details).toEqual(details);
}

describe('getCoseAlgorithm: alg described by kind', () => {
  it.each([
    [undefined, 'alg (3) is missing', 'undefined'],
    ['ES256', 'alg (3) is not an integer', 'string'],
    [new Uint8Array(3), 'alg (3) is not an integer', '3-byte string'],
    [new Map(), 'alg (3) is not an integer', 'map'],
    [[], 'alg (3) is not an integer', 'array'],
    [null, 'alg (3) is not an integer', 'null'],
    [true, 'alg (3) is not an integer', 'boolean'],
    [-7.5, 'alg (3) is not an integer', 'number'],
    [2 ** 60, 'alg (3) is not an integer', 'number'],
  ])('%o → %s (%s)', (alg, message, received) => {
    invalid(() => getCoseAlgorithm(alg), message, { field: 'alg', received });
  });

  it('an integer nobody supports is ERR_ALG_UNSUPPORTED with the number', () => {
    const error = expectCode(() => getCoseAlgorithm(12345), 'ERR_ALG_UNSUPPORTED');
    expect(error.step).toBe('5.8.5');
    expect(error.message).toBe('COSE algorithm 12345 is not supported');
    expect(error.details).toEqual({ field: 'alg', received: 12345 });
    expect(getCoseAlgorithm(-7).name).toBe('ES256');
  });

  it('isAlgorithmAllowed needs a list', () => {
    const error = expectCode(() => isAlgorithmAllowed(-7, 'ES256' as unknown as number[]), 'ERR_OPTIONS_INVALID');
    expect(error.details).toEqual({ field: 'allowed' });
    expect(error.message).toBe('isAlgorithmAllowed: allowed must be a list of COSE algorithm identifiers');
    expect(isAlgorithmAllowed(-7, [-7])).toBe(true);
    expect(isAlgorithmAllowed(-8, [-7])).toBe(false);
  });
});

describe('parseCoseKey: arguments', () => {
  it('bytes that are not a Uint8Array, options that are not an object, a non-boolean leniency', () => {
    const bytes = expectCode(() => parseCoseKey('pQECAyYgASFYIA' as unknown as Uint8Array), 'ERR_OPTIONS_INVALID');
    expect(bytes.details).toEqual({ field: 'bytes' });
    expect(bytes.message).toBe('parseCoseKey expects the COSE_Key bytes as a Uint8Array');
    for (const options of [null, 'lenient', 1]) {
      const error = expectCode(() => parseCoseKey(es256(), options as never), 'ERR_OPTIONS_INVALID');
      expect(error.details).toEqual({ field: 'options' });
      expect(error.message).toBe('COSE key options must be an object');
    }
    const allow = expectCode(() => parseCoseKey(es256(), { allowLegacyKeyWithoutCurve: 'yes' as never }), 'ERR_OPTIONS_INVALID');
    expect(allow.details).toEqual({ field: 'allowLegacyKeyWithoutCurve' });
    expect(allow.message).toBe('options.allowLegacyKeyWithoutCurve must be a boolean');
  });

  it('CBOR errors carry step 5.8.5', () => {
    const error = expectCode(() => parseCoseKey(new Uint8Array([...es256(), 0x00])), 'ERR_CBOR_TRAILING_DATA');
    expect(error.step).toBe('5.8.5');
  });
});

describe('parseCoseKey: the map and its labels', () => {
  it('a top level that is not a map names its kind', () => {
    invalid(() => parseCoseKey(encode([1, 2])), 'top level is a array, not a map', { field: 'COSE_Key', received: 'array' });
    invalid(() => parseCoseKey(encode(new Uint8Array(4))), 'top level is a 4-byte string, not a map', {
      field: 'COSE_Key',
      received: '4-byte string',
    });
  });

  it('kty missing, not an integer, or not the algorithm’s', () => {
    invalid(() => parseCoseKey(es256([[1, undefined]])), 'kty (1) is missing', { field: 'kty' });
    invalid(() => parseCoseKey(es256([[1, 'EC2']])), 'kty is not an integer', { field: 'kty', received: 'string' });
    invalid(() => parseCoseKey(es256([[1, 3]])), 'kty 3 does not match algorithm ES256', { field: 'kty', expected: 2, received: 3 });
  });

  it('labels: text and bytes refused by kind; 0 and other non-negative labels ignored', () => {
    invalid(() => parseCoseKey(es256([['x', 1]])), 'labels must be integers', { field: 'label', received: 'string' });
    invalid(() => parseCoseKey(es256([[new Uint8Array(2), 1]])), 'labels must be integers', { field: 'label', received: '2-byte string' });
    const parsed = parseCoseKey(es256([[0, 'zero'], [2, new Uint8Array([9])], [4, [1]]]));
    expect(parsed.kty).toBe('EC2');
  });

  it('a private parameter is named; an unknown negative label is "label N"', () => {
    invalid(() => parseCoseKey(es256([[-4, new Uint8Array(32)]])), 'private-key parameter d (-4) is present', { field: 'd', received: -4 });
    invalid(() => parseCoseKey(es256([[-5, 1]])), 'unknown EC2 parameter -5', { field: 'label -5', received: -5 });
    invalid(() => parseCoseKey(rsaWithLabel(-3)), 'private-key parameter d (-3) is present', { field: 'd', received: -3 });
    invalid(() => parseCoseKey(rsaWithLabel(-13)), 'unknown RSA parameter -13', { field: 'label -13', received: -13 });
  });
});

function rsaWithLabel(label: number): Uint8Array {
  return key([
    [1, 3],
    [3, -257],
    [-1, modulus(2048)],
    [-2, new Uint8Array([1, 0, 1])],
    [label, new Uint8Array(8)],
  ]);
}

describe('parseCoseKey: EC2 fields', () => {
  it('crv missing, of the wrong curve, or not a number', () => {
    invalid(() => parseCoseKey(es256([[-1, undefined]])), 'crv (-1) is missing', { field: 'crv', expected: 1, received: 'undefined' });
    invalid(() => parseCoseKey(es256([[-1, 2]])), 'crv does not match the algorithm', { field: 'crv', expected: 1, received: 2 });
    invalid(() => parseCoseKey(es256([[-1, 'P-256']])), 'crv does not match the algorithm', { field: 'crv', expected: 1, received: 'string' });
  });

  it('a boolean y (point compression) is refused as such', () => {
    invalid(() => parseCoseKey(es256([[-3, true]])), 'compressed points (boolean y) are not allowed', { field: 'y', received: 'boolean' });
    invalid(() => parseCoseKey(es256([[-3, false]])), 'compressed points (boolean y) are not allowed', { field: 'y', received: 'boolean' });
  });

  it('x and y: missing, not bytes, or of the wrong size', () => {
    invalid(() => parseCoseKey(es256([[-2, undefined]])), 'x is missing', { field: 'x', expected: '32-byte string', received: 'undefined' });
    invalid(() => parseCoseKey(es256([[-2, 'xx']])), 'x is not a byte string', { field: 'x', expected: '32-byte string', received: 'string' });
    invalid(() => parseCoseKey(es256([[-2, new Uint8Array(31)]])), 'x is 31 bytes, not 32', { field: 'x', expected: 32, received: 31 });
    invalid(() => parseCoseKey(es256([[-3, null]])), 'y is not a byte string', { field: 'y', expected: '32-byte string', received: 'null' });
    invalid(() => parseCoseKey(es256([[-3, new Uint8Array(33)]])), 'y is 33 bytes, not 32', { field: 'y', expected: 32, received: 33 });
  });
});

describe('parseCoseKey: RSA n and e', () => {
  it('n: missing, empty, not bytes, leading zero, out of 2048–8192 bits, even', () => {
    const e = new Uint8Array([1, 0, 1]);
    invalid(() => parseCoseKey(rsa(undefined, e)), 'RSA n (-1) is missing', { field: 'n', received: 'undefined' });
    invalid(() => parseCoseKey(rsa(new Uint8Array(0), e)), 'RSA n is not a non-empty byte string', { field: 'n', received: '0-byte string' });
    invalid(() => parseCoseKey(rsa(7, e)), 'RSA n is not a non-empty byte string', { field: 'n', received: 'number' });
    invalid(() => parseCoseKey(rsa(new Uint8Array([0, ...modulus(2048)]), e)), 'RSA n has a leading zero byte', { field: 'n' });
    for (const bits of [2047, 8193]) {
      invalid(() => parseCoseKey(rsa(modulus(bits), e)), `RSA modulus of ${bits} bits is outside 2048–8192`, {
        field: 'n',
        expected: '2048–8192 bits',
        received: bits,
      });
    }
    expect(parseCoseKey(rsa(modulus(2048), e)).kty).toBe('RSA');
    expect(parseCoseKey(rsa(modulus(8192), e)).kty).toBe('RSA');
    const even = modulus(2048);
    even[even.length - 1] = 0x02;
    invalid(() => parseCoseKey(rsa(even, e)), 'RSA n is even', { field: 'n' });
  });

  it('e: missing, empty, not bytes, leading zero, 5 bytes, below 3 or even', () => {
    const n = modulus(2048);
    invalid(() => parseCoseKey(rsa(n, undefined)), 'RSA e (-2) is missing', { field: 'e', received: 'undefined' });
    invalid(() => parseCoseKey(rsa(n, new Uint8Array(0))), 'RSA e is not a non-empty byte string', { field: 'e', received: '0-byte string' });
    invalid(() => parseCoseKey(rsa(n, 65537)), 'RSA e is not a non-empty byte string', { field: 'e', received: 'number' });
    invalid(() => parseCoseKey(rsa(n, new Uint8Array([0, 3]))), 'RSA e has a leading zero byte', { field: 'e' });
    invalid(() => parseCoseKey(rsa(n, new Uint8Array([1, 0, 0, 0, 1]))), 'RSA e is 2^32 or more', {
      field: 'e',
      expected: '3 ≤ e < 2^32',
      received: '5 bytes',
    });
    for (const value of [1, 2, 4]) {
      invalid(() => parseCoseKey(rsa(n, new Uint8Array([value]))), 'RSA e must be odd and at least 3', {
        field: 'e',
        expected: '3 ≤ e < 2^32, odd',
        received: value,
      });
    }
    expect(parseCoseKey(rsa(n, new Uint8Array([3]))).kty).toBe('RSA');
  });
});

describe('assertCosePublicKey: the same rules on an object', () => {
  const ec = { kty: 'EC2', alg: -7, crv: 'P-256', x: X, y: Y } as const;

  it('not an object is ERR_OPTIONS_INVALID naming key', () => {
    for (const value of [null, 'key', 7]) {
      const error = expectCode(() => assertCosePublicKey(value as unknown as CosePublicKey), 'ERR_OPTIONS_INVALID');
      expect(error.details).toEqual({ field: 'key' });
      expect(error.message).toBe('Expected a CosePublicKey object');
    }
  });

  it('kty, crv, coordinates, variant and pub each named', () => {
    expect(() => assertCosePublicKey(ec as CosePublicKey)).not.toThrow();
    invalid(() => assertCosePublicKey({ ...ec, kty: 'OKP' } as unknown as CosePublicKey), 'kty OKP does not match the algorithm', {
      field: 'kty',
      expected: 'EC2',
    });
    invalid(() => assertCosePublicKey({ ...ec, crv: 'P-384' } as unknown as CosePublicKey), 'crv does not match the algorithm', {
      field: 'crv',
      expected: 'P-256',
    });
    invalid(() => assertCosePublicKey({ ...ec, y: new Uint8Array(31) } as CosePublicKey), 'y is 31 bytes, not 32', {
      field: 'y',
      expected: 32,
      received: 31,
    });
    const okp = { kty: 'OKP', alg: -8, crv: 'Ed25519', x: X } as const;
    expect(() => assertCosePublicKey(okp as CosePublicKey)).not.toThrow();
    invalid(() => assertCosePublicKey({ ...okp, crv: 'Ed448' } as unknown as CosePublicKey), 'crv does not match the algorithm', {
      field: 'crv',
      expected: 'Ed25519',
    });
    invalid(() => assertCosePublicKey({ ...okp, x: new Uint8Array(57) } as CosePublicKey), 'x is 57 bytes, not 32', {
      field: 'x',
      expected: 32,
      received: 57,
    });
    const rsaKey = { kty: 'RSA', alg: -257, n: modulus(2048), e: new Uint8Array([3]) } as const;
    expect(() => assertCosePublicKey(rsaKey as CosePublicKey)).not.toThrow();
    invalid(() => assertCosePublicKey({ ...rsaKey, e: new Uint8Array([2]) } as CosePublicKey), 'RSA e must be odd and at least 3', {
      field: 'e',
      expected: '3 ≤ e < 2^32, odd',
      received: 2,
    });
    const akp = { kty: 'AKP', alg: -48, variant: 'ML-DSA-44', pub: new Uint8Array(1312) } as const;
    expect(() => assertCosePublicKey(akp as CosePublicKey)).not.toThrow();
    invalid(() => assertCosePublicKey({ ...akp, variant: 'ML-DSA-65' } as unknown as CosePublicKey), 'ML-DSA variant does not match the algorithm', {
      field: 'variant',
      expected: 'ML-DSA-44',
    });
    invalid(() => assertCosePublicKey({ ...akp, pub: new Uint8Array(1311) } as CosePublicKey), 'pub is 1311 bytes, not 1312', {
      field: 'pub',
      expected: 1312,
      received: 1311,
    });
  });
});
