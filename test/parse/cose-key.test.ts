import { describe, expect, it } from 'vitest';
import { decodeCoseKey } from '../../src/crypto/validate-key.js';
import { type WebAuthnErrorCode, WebAuthnError } from '../../src/errors.js';
import { COSE_ALGORITHMS, DEFAULT_ALLOWED_ALGORITHMS } from '../../src/parse/cose-constants.js';
import { assertCosePublicKey, isAlgorithmAllowed, parseCoseKey } from '../../src/parse/cose-key.js';
import { expectCode } from '../helpers/expect-code.js';
import { ALG, ALG_NAMES, type AlgName, encodeCbor, encodeCose, rsaCoseEntries, rsaKeyPair, testKey } from '../helpers/keys.js';

function expectError(fn: () => unknown, code: WebAuthnErrorCode, field?: string): WebAuthnError {
  let caught: unknown;
  try {
    fn();
  } catch (error) {
    caught = error;
  }
  expect(caught, `expected ${code}`).toBeInstanceOf(WebAuthnError);
  const error = caught as WebAuthnError;
  expect(error.code).toBe(code);
  if (field !== undefined) expect(error.details?.field).toBe(field);
  if (code === 'ERR_COSE_KEY_INVALID' || code === 'ERR_ALG_UNSUPPORTED') expect(error.step).toBe('5.8.5');
  return error;
}

function withEntry(name: AlgName, label: number, value: unknown): Uint8Array {
  const entries = testKey(name).entries();
  if (value === undefined) entries.delete(label);
  else entries.set(label, value);
  return encodeCose(entries);
}

const EC_ALGS: { name: AlgName; crv: number; size: number }[] = [
  { name: 'ES256', crv: 1, size: 32 },
  { name: 'ESP256', crv: 1, size: 32 },
  { name: 'ES384', crv: 2, size: 48 },
  { name: 'ESP384', crv: 2, size: 48 },
  { name: 'ES512', crv: 3, size: 66 },
  { name: 'ESP512', crv: 3, size: 66 },
  { name: 'ES256K', crv: 8, size: 32 },
];

const OKP_ALGS: { name: AlgName; crv: number; size: number }[] = [
  { name: 'EdDSA', crv: 6, size: 32 },
  { name: 'Ed25519', crv: 6, size: 32 },
  { name: 'Ed448', crv: 7, size: 57 },
];

const RSA_ALGS: AlgName[] = ['RS256', 'RS384', 'RS512', 'PS256', 'PS384', 'PS512', 'RS1'];

const AKP_ALGS: { name: AlgName; size: number }[] = [
  { name: 'ML-DSA-44', size: 1312 },
  { name: 'ML-DSA-65', size: 1952 },
  { name: 'ML-DSA-87', size: 2592 },
];

function rsaWith(n: Uint8Array | undefined, e: Uint8Array | undefined, alg: number = ALG.RS256): Uint8Array {
  const entries = new Map<number, unknown>([
    [1, 3],
    [3, alg],
  ]);
  if (n !== undefined) entries.set(-1, n);
  if (e !== undefined) entries.set(-2, e);
  return encodeCose(entries);
}

/** An odd modulus of exactly `bits` bits (structure only: not a real RSA key). */
function modulus(bits: number): Uint8Array {
  const bytes = new Uint8Array(Math.ceil(bits / 8)).fill(0xa5);
  const topBits = bits % 8 === 0 ? 8 : bits % 8;
  bytes[0] = (1 << (topBits - 1)) | 1;
  bytes[bytes.length - 1] = 0x01;
  return bytes;
}

const E_65537 = Uint8Array.of(1, 0, 1);

describe('§5.8.5 parseCoseKey: valid keys', () => {
  it.each(ALG_NAMES)('%s parses with the fields of its algorithm', (name) => {
    const key = testKey(name);
    const parsed = parseCoseKey(key.cose);
    const info = COSE_ALGORITHMS[key.alg];
    expect(parsed.alg).toBe(key.alg);
    expect(parsed.kty).toBe(info?.kty);
    const entries = key.entries();
    switch (parsed.kty) {
      case 'EC2':
        expect(parsed.crv).toBe(info?.kty === 'EC2' ? info.crv : undefined);
        expect(parsed.x).toEqual(entries.get(-2));
        expect(parsed.y).toEqual(entries.get(-3));
        break;
      case 'OKP':
        expect(parsed.crv).toBe(info?.kty === 'OKP' ? info.crv : undefined);
        expect(parsed.x).toEqual(entries.get(-2));
        break;
      case 'RSA':
        expect(parsed.n).toEqual(entries.get(-1));
        expect(parsed.e).toEqual(entries.get(-2));
        break;
      case 'AKP':
        expect(parsed.variant).toBe(info?.kty === 'AKP' ? info.variant : undefined);
        expect(parsed.pub).toEqual(entries.get(-1));
        break;
    }
    expect(() => assertCosePublicKey(parsed)).not.toThrow();
    expect(decodeCoseKey(key.cose)).toEqual(parsed);
  });

  it('does not alias the input bytes', () => {
    const bytes = new Uint8Array(testKey('ES256').cose);
    const parsed = parseCoseKey(bytes);
    if (parsed.kty !== 'EC2') throw new Error('unexpected kty');
    const x = new Uint8Array(parsed.x);
    bytes.fill(0);
    expect(parsed.x).toEqual(x);
  });

  it('ignores non-negative labels other than kty and alg (kid, key_ops, Base IV, unknown)', () => {
    const entries = testKey('ES256').entries();
    entries.set(2, Uint8Array.of(1, 2, 3));
    entries.set(4, [2]);
    entries.set(5, Uint8Array.of(9));
    entries.set(100, 'whatever');
    expect(parseCoseKey(encodeCose(entries)).alg).toBe(ALG.ES256);
  });

  it('accepts e = 3 and e = 2^32 - 1, and moduli of 2048 and 8192 bits', () => {
    expect(parseCoseKey(rsaWith(modulus(2048), Uint8Array.of(3))).kty).toBe('RSA');
    expect(parseCoseKey(rsaWith(modulus(2048), Uint8Array.of(0xff, 0xff, 0xff, 0xff))).kty).toBe('RSA');
    expect(parseCoseKey(rsaWith(modulus(8192), E_65537)).kty).toBe('RSA');
    expect(parseCoseKey(rsaWith(modulus(3072), E_65537)).kty).toBe('RSA');
    expect(parseCoseKey(encodeCose(rsaCoseEntries(rsaKeyPair().publicKey, ALG.PS512))).alg).toBe(ALG.PS512);
  });
});

describe('checklist E.43 / E.49: algorithm policy', () => {
  it('E.49: an unsupported alg is ERR_ALG_UNSUPPORTED', () => {
    for (const alg of [-42, -6, 0, 1, -260, -65534, -65536, 7]) {
      expectError(() => parseCoseKey(withEntry('ES256', 3, alg)), 'ERR_ALG_UNSUPPORTED', 'alg');
    }
  });

  it('a missing or non-integer alg is ERR_COSE_KEY_INVALID', () => {
    expectError(() => parseCoseKey(withEntry('ES256', 3, undefined)), 'ERR_COSE_KEY_INVALID', 'alg');
    expectError(() => parseCoseKey(withEntry('ES256', 3, 'ES256')), 'ERR_COSE_KEY_INVALID', 'alg');
    expectError(() => parseCoseKey(withEntry('ES256', 3, -7.5)), 'ERR_COSE_KEY_INVALID', 'alg');
  });

  it('E.49: RS1 keys parse, but RS1 is only allowed when listed explicitly', () => {
    expect(parseCoseKey(testKey('RS1').cose).alg).toBe(ALG.RS1);
    expect(isAlgorithmAllowed(ALG.RS1)).toBe(false);
    expect(DEFAULT_ALLOWED_ALGORITHMS).not.toContain(ALG.RS1);
    expect(isAlgorithmAllowed(ALG.RS1, [ALG.RS1, ALG.ES256])).toBe(true);
  });

  it('every other supported algorithm is allowed by default', () => {
    for (const name of ALG_NAMES) if (name !== 'RS1') expect(isAlgorithmAllowed(ALG[name])).toBe(true);
  });

  it('E.43: an algorithm outside the requested list is not allowed', () => {
    expect(isAlgorithmAllowed(ALG.ES256, [ALG.EdDSA, ALG.RS256])).toBe(false);
    expect(isAlgorithmAllowed(ALG.ES256, [])).toBe(false);
  });
});

describe('checklist E.44: kty consistent with alg', () => {
  const cases: [string, number, number][] = [
    ['EC2 with RS256', 2, ALG.RS256],
    ['EC2 with EdDSA', 2, ALG.EdDSA],
    ['EC2 with ML-DSA-44', 2, ALG['ML-DSA-44']],
    ['OKP with ES256', 1, ALG.ES256],
    ['OKP with PS256', 1, ALG.PS256],
    ['RSA with EdDSA', 3, ALG.EdDSA],
    ['RSA with ES384', 3, ALG.ES384],
    ['AKP with ES256', 7, ALG.ES256],
    ['Symmetric (4) with ES256', 4, ALG.ES256],
  ];
  it.each(cases)('%s is ERR_COSE_KEY_INVALID', (_, kty, alg) => {
    const entries = testKey('ES256').entries();
    entries.set(1, kty);
    entries.set(3, alg);
    expectError(() => parseCoseKey(encodeCose(entries)), 'ERR_COSE_KEY_INVALID', 'kty');
  });

  it('a key whose kty is missing or not an integer is refused', () => {
    expectError(() => parseCoseKey(withEntry('ES256', 1, undefined)), 'ERR_COSE_KEY_INVALID', 'kty');
    expectError(() => parseCoseKey(withEntry('ES256', 1, 'EC2')), 'ERR_COSE_KEY_INVALID', 'kty');
  });

  for (const { name } of AKP_ALGS) {
    it(`${name} with kty EC2 is refused`, () => {
      expectError(() => parseCoseKey(withEntry(name, 1, 2)), 'ERR_COSE_KEY_INVALID', 'kty');
    });
  }
});

describe('checklist E.45: crv exactly the algorithm curve', () => {
  for (const { name, crv } of EC_ALGS) {
    it(`${name}: missing crv or any crv other than ${crv} is refused`, () => {
      expectError(() => parseCoseKey(withEntry(name, -1, undefined)), 'ERR_COSE_KEY_INVALID', 'crv');
      for (const other of [1, 2, 3, 4, 5, 6, 7, 8, 0, -1]) {
        if (other === crv) continue;
        expectError(() => parseCoseKey(withEntry(name, -1, other)), 'ERR_COSE_KEY_INVALID', 'crv');
      }
      expectError(() => parseCoseKey(withEntry(name, -1, 'P-256')), 'ERR_COSE_KEY_INVALID', 'crv');
    });
  }
  for (const { name, crv } of OKP_ALGS) {
    it(`${name}: missing crv or any crv other than ${crv} is refused`, () => {
      expectError(() => parseCoseKey(withEntry(name, -1, undefined)), 'ERR_COSE_KEY_INVALID', 'crv');
      for (const other of [1, 2, 3, 4, 5, 6, 7, 8]) {
        if (other === crv) continue;
        expectError(() => parseCoseKey(withEntry(name, -1, other)), 'ERR_COSE_KEY_INVALID', 'crv');
      }
    });
  }
});

describe('checklist E.46: EC2 coordinates of the field size, uncompressed', () => {
  for (const { name, size } of EC_ALGS) {
    it(`${name}: x or y of ${size - 1} / ${size + 1} bytes, missing, or not bytes is refused`, () => {
      for (const label of [-2, -3]) {
        const field = label === -2 ? 'x' : 'y';
        expectError(() => parseCoseKey(withEntry(name, label, new Uint8Array(size - 1).fill(1))), 'ERR_COSE_KEY_INVALID', field);
        expectError(() => parseCoseKey(withEntry(name, label, new Uint8Array(size + 1).fill(1))), 'ERR_COSE_KEY_INVALID', field);
        expectError(() => parseCoseKey(withEntry(name, label, undefined)), 'ERR_COSE_KEY_INVALID', field);
        expectError(() => parseCoseKey(withEntry(name, label, 'AAAA')), 'ERR_COSE_KEY_INVALID', field);
        expectError(() => parseCoseKey(withEntry(name, label, 12345)), 'ERR_COSE_KEY_INVALID', field);
      }
    });
    it(`${name}: a compressed point (boolean y) is refused`, () => {
      expectError(() => parseCoseKey(withEntry(name, -3, true)), 'ERR_COSE_KEY_INVALID', 'y');
      expectError(() => parseCoseKey(withEntry(name, -3, false)), 'ERR_COSE_KEY_INVALID', 'y');
    });
  }
  for (const { name, size } of OKP_ALGS) {
    it(`${name}: x of ${size - 1} / ${size + 1} bytes or missing is refused`, () => {
      expectError(() => parseCoseKey(withEntry(name, -2, new Uint8Array(size - 1))), 'ERR_COSE_KEY_INVALID', 'x');
      expectError(() => parseCoseKey(withEntry(name, -2, new Uint8Array(size + 1))), 'ERR_COSE_KEY_INVALID', 'x');
      expectError(() => parseCoseKey(withEntry(name, -2, undefined)), 'ERR_COSE_KEY_INVALID', 'x');
    });
  }
  for (const { name, size } of AKP_ALGS) {
    it(`${name}: pub of ${size - 1} / ${size + 1} bytes, another variant's size, or missing is refused`, () => {
      expectError(() => parseCoseKey(withEntry(name, -1, new Uint8Array(size - 1))), 'ERR_COSE_KEY_INVALID', 'pub');
      expectError(() => parseCoseKey(withEntry(name, -1, new Uint8Array(size + 1))), 'ERR_COSE_KEY_INVALID', 'pub');
      for (const other of AKP_ALGS) {
        if (other.size !== size) {
          expectError(() => parseCoseKey(withEntry(name, -1, new Uint8Array(other.size))), 'ERR_COSE_KEY_INVALID', 'pub');
        }
      }
      expectError(() => parseCoseKey(withEntry(name, -1, undefined)), 'ERR_COSE_KEY_INVALID', 'pub');
    });
  }
});

describe('checklist E.47: EC2 point on the curve (decodeCoseKey, even for attestation none)', () => {
  for (const { name, size } of EC_ALGS) {
    it(`${name}: off-curve, (0, 0), and coordinates ≥ p are refused`, () => {
      const entries = testKey(name).entries();
      const y = new Uint8Array(entries.get(-3) as Uint8Array);
      y[size - 1] = (y[size - 1] as number) ^ 1;
      expectError(() => decodeCoseKey(withEntry(name, -3, y)), 'ERR_COSE_KEY_INVALID', 'y');
      const zeroEntries = testKey(name).entries();
      zeroEntries.set(-2, new Uint8Array(size));
      zeroEntries.set(-3, new Uint8Array(size));
      expectError(() => decodeCoseKey(encodeCose(zeroEntries)), 'ERR_COSE_KEY_INVALID');
      // All-ones is ≥ p for every supported curve (P-521's 66 bytes hold 528 bits).
      expectError(() => decodeCoseKey(withEntry(name, -2, new Uint8Array(size).fill(0xff))), 'ERR_COSE_KEY_INVALID', 'x');
      expectError(() => decodeCoseKey(withEntry(name, -3, new Uint8Array(size).fill(0xff))), 'ERR_COSE_KEY_INVALID', 'y');
      // parseCoseKey alone is structural: the same off-curve key parses.
      expect(parseCoseKey(withEntry(name, -3, y)).kty).toBe('EC2');
    });
  }
});

describe('checklist E.48: RSA n and e', () => {
  it('n missing, empty, zero, with a leading zero, even, or not bytes is refused', () => {
    expectError(() => parseCoseKey(rsaWith(undefined, E_65537)), 'ERR_COSE_KEY_INVALID', 'n');
    expectError(() => parseCoseKey(rsaWith(new Uint8Array(0), E_65537)), 'ERR_COSE_KEY_INVALID', 'n');
    expectError(() => parseCoseKey(rsaWith(Uint8Array.of(0), E_65537)), 'ERR_COSE_KEY_INVALID', 'n');
    expectError(() => parseCoseKey(rsaWith(new Uint8Array(256), E_65537)), 'ERR_COSE_KEY_INVALID', 'n');
    const padded = new Uint8Array(257);
    padded.set(modulus(2048), 1);
    expectError(() => parseCoseKey(rsaWith(padded, E_65537)), 'ERR_COSE_KEY_INVALID', 'n');
    const even = modulus(2048);
    even[255] = 0x02;
    expectError(() => parseCoseKey(rsaWith(even, E_65537)), 'ERR_COSE_KEY_INVALID', 'n');
    expectError(() => parseCoseKey(encodeCose([[1, 3], [3, ALG.RS256], [-1, 'n'], [-2, E_65537]])), 'ERR_COSE_KEY_INVALID', 'n');
  });

  it('n below 2048 bits or above 8192 bits is refused, for every RSA algorithm', () => {
    for (const name of RSA_ALGS) {
      for (const bits of [512, 1024, 2040, 2047, 8193, 8200, 16384]) {
        expectError(() => parseCoseKey(rsaWith(modulus(bits), E_65537, ALG[name])), 'ERR_COSE_KEY_INVALID', 'n');
      }
    }
  });

  it('e missing, empty, 0, 1, even, ≥ 2^32, or with a leading zero is refused', () => {
    const n = modulus(2048);
    const bad: (Uint8Array | undefined)[] = [
      undefined,
      new Uint8Array(0),
      Uint8Array.of(0),
      Uint8Array.of(1),
      Uint8Array.of(2),
      Uint8Array.of(1, 0, 0),
      Uint8Array.of(1, 0, 0, 0, 0),
      Uint8Array.of(1, 0, 0, 0, 1),
      Uint8Array.of(0, 1, 0, 1),
      Uint8Array.of(0, 3),
    ];
    for (const e of bad) expectError(() => parseCoseKey(rsaWith(n, e)), 'ERR_COSE_KEY_INVALID', 'e');
  });
});

describe('private-key parameters and unknown key-type labels', () => {
  it('EC2 d (-4) is refused', () => {
    for (const { name, size } of EC_ALGS) {
      expectError(() => parseCoseKey(withEntry(name, -4, new Uint8Array(size).fill(7))), 'ERR_COSE_KEY_INVALID', 'd');
    }
  });
  it('OKP d (-4) is refused', () => {
    for (const { name, size } of OKP_ALGS) {
      expectError(() => parseCoseKey(withEntry(name, -4, new Uint8Array(size).fill(7))), 'ERR_COSE_KEY_INVALID', 'd');
    }
  });
  it('RSA private parameters (-3 … -12) are refused', () => {
    const names = ['d', 'p', 'q', 'dP', 'dQ', 'qInv', 'other', 'r_i', 'd_i', 't_i'];
    names.forEach((field, i) => {
      expectError(() => parseCoseKey(withEntry('RS256', -3 - i, Uint8Array.of(1, 2, 3))), 'ERR_COSE_KEY_INVALID', field);
    });
  });
  it('AKP priv (-2) is refused', () => {
    expectError(() => parseCoseKey(withEntry('ML-DSA-44', -2, new Uint8Array(32))), 'ERR_COSE_KEY_INVALID', 'priv');
  });
  it('unknown negative labels are refused', () => {
    expectError(() => parseCoseKey(withEntry('ES256', -5, 1)), 'ERR_COSE_KEY_INVALID', 'label -5');
    expectError(() => parseCoseKey(withEntry('EdDSA', -3, new Uint8Array(32))), 'ERR_COSE_KEY_INVALID', 'label -3');
    expectError(() => parseCoseKey(withEntry('RS256', -13, 1)), 'ERR_COSE_KEY_INVALID', 'label -13');
    expectError(() => parseCoseKey(withEntry('ML-DSA-65', -3, 1)), 'ERR_COSE_KEY_INVALID', 'label -3');
  });
  it('text labels are refused', () => {
    const entries = new Map<unknown, unknown>(testKey('ES256').entries());
    entries.set('kty', 2);
    expectError(() => parseCoseKey(encodeCose(entries)), 'ERR_COSE_KEY_INVALID', 'label');
  });
});

describe('CBOR envelope of the COSE_Key', () => {
  it('a top level that is not a map is refused', () => {
    for (const value of [[1, 2], 7, 'key', new Uint8Array(4), null]) {
      expectError(() => parseCoseKey(encodeCbor(value)), 'ERR_COSE_KEY_INVALID', 'COSE_Key');
    }
  });
  it('C.22: duplicate labels are ERR_CBOR_DUPLICATE_KEY', () => {
    // {1: 2, 3: -7, 1: 2}
    expectError(() => parseCoseKey(Uint8Array.of(0xa3, 0x01, 0x02, 0x03, 0x26, 0x01, 0x02)), 'ERR_CBOR_DUPLICATE_KEY');
  });
  it('C.21: bytes after the key are ERR_CBOR_TRAILING_DATA', () => {
    const cose = testKey('ES256').cose;
    const trailing = new Uint8Array(cose.length + 1);
    trailing.set(cose);
    expectError(() => parseCoseKey(trailing), 'ERR_CBOR_TRAILING_DATA');
  });
  it('truncated input is ERR_CBOR_TRUNCATED', () => {
    const cose = testKey('ES256').cose;
    expectError(() => parseCoseKey(cose.subarray(0, cose.length - 1)), 'ERR_CBOR_TRUNCATED');
  });
  it('a non-Uint8Array argument or malformed options: ERR_OPTIONS_INVALID naming it, not a TypeError', () => {
    const cose = testKey('ES256').cose;
    const field = (fn: () => unknown) => expectCode(fn, 'ERR_OPTIONS_INVALID').details?.field;
    expect(field(() => parseCoseKey('pQECAyYgASFY' as unknown as Uint8Array))).toBe('bytes');
    expect(field(() => decodeCoseKey(null as unknown as Uint8Array))).toBe('bytes');
    expect(field(() => parseCoseKey(cose, null as never))).toBe('options');
    expect(field(() => decodeCoseKey(cose, { allowLegacyKeyWithoutCurve: 'yes' as never }))).toBe('allowLegacyKeyWithoutCurve');
    expect(field(() => assertCosePublicKey(5 as never))).toBe('key');
    expect(field(() => isAlgorithmAllowed(-7, '-7' as never))).toBe('allowed');
  });
});

describe('assertCosePublicKey (keys built as objects)', () => {
  it('applies the same rules as parseCoseKey', () => {
    const good = parseCoseKey(testKey('ES384').cose);
    expect(() => assertCosePublicKey(good)).not.toThrow();
    expectError(() => assertCosePublicKey({ ...good, crv: 'P-256' } as never), 'ERR_COSE_KEY_INVALID', 'crv');
    expectError(() => assertCosePublicKey({ ...good, alg: -42 }), 'ERR_ALG_UNSUPPORTED', 'alg');
    expectError(() => assertCosePublicKey({ ...good, alg: ALG.RS256 }), 'ERR_COSE_KEY_INVALID', 'kty');
    expectError(() => assertCosePublicKey({ ...good, x: new Uint8Array(32) } as never), 'ERR_COSE_KEY_INVALID', 'x');
    expectError(
      () => assertCosePublicKey({ kty: 'RSA', alg: ALG.RS256, n: modulus(1024), e: E_65537 }),
      'ERR_COSE_KEY_INVALID',
      'n',
    );
    expectError(
      () => assertCosePublicKey({ kty: 'AKP', alg: ALG['ML-DSA-44'], variant: 'ML-DSA-65', pub: new Uint8Array(1952) }),
      'ERR_COSE_KEY_INVALID',
      'variant',
    );
  });
});
