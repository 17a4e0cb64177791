/**
 * Property tests of the parse layer: on any input the parsers return a value or throw a
 * WebAuthnError with a code of their own layer (never a foreign exception, never ERR_INTERNAL),
 * and encoders and parsers are inverse.
 */
import { Encoder } from 'cbor-x';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { concatBytes, encodeUtf8 } from '../../src/encoding/bytes.js';
import { CborFloat, decodeCbor } from '../../src/encoding/cbor.js';
import type { WebAuthnErrorCode } from '../../src/errors.js';
import {
  encodeAuthenticatorData,
  FLAG_AT,
  FLAG_BE,
  FLAG_BS,
  FLAG_ED,
  parseAuthenticatorData,
} from '../../src/parse/authenticator-data.js';
import { parseClientDataJSON } from '../../src/parse/client-data.js';
import { expectCode } from '../helpers/expect-code.js';
import { CBOR_CODES, expectOutcomeIn, syncOutcomeOf } from './outcomes.js';

/**
 * Runs `fn`; anything thrown must be a WebAuthnError with one of `codes` (never ERR_INTERNAL, never
 * a foreign exception).
 */
function onlyCodes(codes: readonly WebAuthnErrorCode[], fn: () => unknown): void {
  const outcome = syncOutcomeOf(fn);
  if (outcome !== 'accepted') expectOutcomeIn(outcome, codes, 'parse');
}

/** decodeCbor: only the strict-CBOR codes. */
const cborOnly = (fn: () => unknown) => onlyCodes(CBOR_CODES, fn);
/**
 * parseAuthenticatorData (§6.1): malformed structure, an over-long credential id, BS without BE,
 * or a CBOR code from the credential key or extensions map inside.
 */
const authDataOnly = (fn: () => unknown) =>
  onlyCodes(['ERR_AUTHDATA_MALFORMED', 'ERR_CREDENTIAL_ID_TOO_LONG', 'ERR_BACKUP_FLAGS_INVALID', ...CBOR_CODES], fn);
/** parseClientDataJSON (§5.8.1): a single code for every malformation. */
const clientDataOnly = (fn: () => unknown) => onlyCodes(['ERR_CLIENTDATA_MALFORMED'], fn);

// Canonical output for the shapes generated below: maps as Map with minimal heads, byte strings untagged.
const encoder = new Encoder({ useRecords: false, mapsAsObjects: false, tagUint8Array: false, variableMapSize: true } as never);
const cbor = (value: unknown): Uint8Array => new Uint8Array(encoder.encode(value));

// Bytes that are interesting as CBOR heads (every major type, every argument width, the forbidden ones).
const HEADS = [
  0x00, 0x17, 0x18, 0x19, 0x1a, 0x1b, 0x1c, 0x1f, 0x20, 0x38, 0x3b, 0x40, 0x41, 0x58, 0x5a, 0x5f, 0x60, 0x61, 0x78, 0x7f,
  0x80, 0x81, 0x82, 0x98, 0x9f, 0xa0, 0xa1, 0xa2, 0xb8, 0xbf, 0xc0, 0xd8, 0xd9, 0xe0, 0xf4, 0xf5, 0xf6, 0xf7, 0xf8, 0xf9,
  0xfa, 0xfb, 0xfc, 0xff,
];
const cborishBytes = fc
  .array(fc.oneof(fc.constantFrom(...HEADS), fc.integer({ min: 0, max: 255 })), { maxLength: 120 })
  .map((values) => Uint8Array.from(values));

/** A CBOR-encodable value with nesting depth ≤ `depth` (maps keyed by unique integers or text). */
function cborValue(depth: number): fc.Arbitrary<unknown> {
  const leaf = fc.oneof(
    fc.integer({ min: -(2 ** 31), max: 2 ** 31 }),
    fc.maxSafeInteger(),
    fc.double().filter((x) => !Object.is(x, -0)),
    fc.boolean(),
    fc.constant(null),
    fc.string({ unit: 'binary', maxLength: 40 }),
    fc.uint8Array({ maxLength: 40 }),
  );
  if (depth === 0) return leaf;
  const inner = cborValue(depth - 1);
  const key = fc.oneof(fc.integer({ min: -1000, max: 1000 }), fc.string({ unit: 'binary', maxLength: 12 }));
  return fc.oneof(
    { weight: 2, arbitrary: leaf },
    { weight: 1, arbitrary: fc.array(inner, { maxLength: 5 }) },
    {
      weight: 1,
      arbitrary: fc
        .uniqueArray(fc.tuple(key, inner), { maxLength: 5, selector: ([k]) => `${typeof k}:${String(k)}` })
        .map((entries) => new Map(entries)),
    },
  );
}

describe('no foreign exception escapes a parser', () => {
  it('decodeCbor on arbitrary bytes', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 200 }), (bytes) => cborOnly(() => decodeCbor(bytes))),
      { numRuns: 500 },
    );
  });

  it('decodeCbor on CBOR-shaped bytes (every head, nesting, forbidden features)', () => {
    fc.assert(
      fc.property(cborishBytes, (bytes) => cborOnly(() => decodeCbor(bytes))),
      { numRuns: 2000 },
    );
  });

  it('decodeCbor on mutations of valid encodings (flip, cut, insert)', () => {
    fc.assert(
      fc.property(
        cborValue(4),
        fc.nat(),
        fc.integer({ min: 0, max: 255 }),
        fc.constantFrom('flip', 'cut', 'insert'),
        (value, at, byte, how) => {
          const bytes = cbor(value);
          const i = at % (bytes.length + 1);
          const mutated =
            how === 'cut'
              ? bytes.subarray(0, i)
              : how === 'insert'
                ? concatBytes(bytes.subarray(0, i), Uint8Array.of(byte), bytes.subarray(i))
                : Uint8Array.from(bytes, (b, j) => (j === i ? b ^ (byte | 1) : b));
          cborOnly(() => decodeCbor(mutated));
        },
      ),
      { numRuns: 1000 },
    );
  });

  it('parseAuthenticatorData on arbitrary bytes and on a 37-byte header plus CBOR-shaped bytes', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 120 }), (bytes) => authDataOnly(() => parseAuthenticatorData(bytes))),
      { numRuns: 300 },
    );
    fc.assert(
      fc.property(fc.uint8Array({ minLength: 37, maxLength: 37 }), cborishBytes, (head, tail) =>
        authDataOnly(() => parseAuthenticatorData(concatBytes(head, tail))),
      ),
      { numRuns: 1000 },
    );
  });

  it('parseClientDataJSON on arbitrary bytes and arbitrary strings', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 200 }), (bytes) => clientDataOnly(() => parseClientDataJSON(bytes))),
      { numRuns: 300 },
    );
    fc.assert(
      fc.property(fc.string({ unit: 'binary', maxLength: 200 }), (text) =>
        clientDataOnly(() => parseClientDataJSON(encodeUtf8(text))),
      ),
      { numRuns: 300 },
    );
  });

  it('parseClientDataJSON on arbitrary JSON text and values', () => {
    fc.assert(
      fc.property(fc.json({ maxDepth: 40 }), (text) => clientDataOnly(() => parseClientDataJSON(encodeUtf8(text)))),
      { numRuns: 300 },
    );
    fc.assert(
      fc.property(fc.jsonValue({ maxDepth: 6 }), (value) =>
        clientDataOnly(() => parseClientDataJSON(encodeUtf8(JSON.stringify(value)))),
      ),
      { numRuns: 300 },
    );
  });
});

describe('clientDataJSON: duplicate detection is exact', () => {
  const required = fc.record({
    type: fc.string({ unit: 'binary', maxLength: 20 }),
    challenge: fc.string({ unit: 'binary', maxLength: 20 }),
    origin: fc.string({ unit: 'binary', maxLength: 20 }),
  });
  const known = new Set(['type', 'challenge', 'origin', 'crossOrigin', 'topOrigin', 'tokenBinding']);
  const extra = fc.dictionary(
    fc.string({ unit: 'binary', maxLength: 10 }).filter((k) => !known.has(k)),
    fc.jsonValue({ maxDepth: 4 }),
    { maxKeys: 6 },
  );

  it('any object with the required string members parses, and members match JSON.parse', () => {
    fc.assert(
      fc.property(required, extra, (base, rest) => {
        const text = JSON.stringify({ ...rest, ...base });
        const data = parseClientDataJSON(encodeUtf8(text));
        expect({ ...data.members }).toEqual(JSON.parse(text));
        expect(data.type).toBe(base.type);
      }),
      { numRuns: 300 },
    );
  });

  it('repeating any member name anywhere (also with escapes) is rejected', () => {
    fc.assert(
      fc.property(required, extra, fc.boolean(), (base, rest, useEscapes) => {
        const text = JSON.stringify({ ...rest, ...base });
        const names = Object.keys(JSON.parse(text));
        const name = names[(text.length * 7) % names.length] as string;
        const quoted = useEscapes
          ? `"${Array.from({ length: name.length }, (_, i) => `\\u${name.charCodeAt(i).toString(16).padStart(4, '0')}`).join('')}"`
          : JSON.stringify(name);
        const duplicated = `${text.slice(0, -1)},${quoted}:null}`;
        expectCode(() => parseClientDataJSON(encodeUtf8(duplicated)), 'ERR_CLIENTDATA_MALFORMED');
      }),
      { numRuns: 300 },
    );
  });
});

describe('authenticator data: parse ∘ encode = id', () => {
  const coseKey = fc
    .uniqueArray(fc.tuple(fc.integer({ min: -20, max: 20 }), fc.oneof(fc.integer(), fc.uint8Array({ maxLength: 64 }))), {
      minLength: 1,
      maxLength: 6,
      selector: ([k]) => k,
    })
    .map((entries) => cbor(new Map(entries)));
  const extensions = fc
    .uniqueArray(fc.tuple(fc.string({ unit: 'binary', maxLength: 16 }), cborValue(2)), {
      maxLength: 4,
      selector: ([k]) => k,
    })
    .map((entries) => cbor(new Map(entries)));
  const attested = fc.record({
    aaguid: fc.uint8Array({ minLength: 16, maxLength: 16 }),
    credentialId: fc.oneof(
      { weight: 9, arbitrary: fc.uint8Array({ maxLength: 64 }) },
      { weight: 1, arbitrary: fc.uint8Array({ minLength: 1023, maxLength: 1023 }) },
    ),
    credentialPublicKey: coseKey,
  });

  it('random flags, counters, attested credential data and extensions round-trip', () => {
    fc.assert(
      fc.property(
        fc.uint8Array({ minLength: 32, maxLength: 32 }),
        fc.integer({ min: 0, max: 255 }),
        fc.integer({ min: 0, max: 0xffffffff }),
        fc.option(attested, { nil: undefined }),
        fc.option(extensions, { nil: undefined }),
        (rpIdHash, flagBits, signCount, attestedCredentialData, extensionsRaw) => {
          let flags = flagBits & ~(FLAG_AT | FLAG_ED);
          if (attestedCredentialData !== undefined) flags |= FLAG_AT;
          if (extensionsRaw !== undefined) flags |= FLAG_ED;
          if (flags & FLAG_BS) flags |= FLAG_BE;
          const bytes = encodeAuthenticatorData({ rpIdHash, flags, signCount, attestedCredentialData, extensionsRaw });
          const data = parseAuthenticatorData(bytes);
          expect(data.rpIdHash).toEqual(rpIdHash);
          expect(data.flags.raw).toBe(flags);
          expect(data.signCount).toBe(signCount);
          expect(data.attestedCredentialData).toEqual(attestedCredentialData);
          expect(data.extensionsRaw).toEqual(extensionsRaw);
          expect(encodeAuthenticatorData(data)).toEqual(bytes);
        },
      ),
      { numRuns: 300 },
    );
  });
});

/** What our decoder yields for `value`: every number cbor-x wrote as a float (major type 7) is a CborFloat. */
function asDecoded(value: unknown): unknown {
  if (typeof value === 'number') return (cbor(value)[0]! >> 5) === 7 ? new CborFloat(value) : value;
  if (Array.isArray(value)) return value.map(asDecoded);
  if (value instanceof Map) return new Map([...value].map(([k, v]) => [k, asDecoded(v)]));
  return value;
}

describe('CBOR: decode(cbor-x encode(v)) = v for values of depth ≤ 4', () => {
  it('round-trips, with byte strings as plain Uint8Array and floats as CborFloat', () => {
    fc.assert(
      fc.property(cborValue(4), (value) => {
        expect(decodeCbor(cbor(value))).toEqual(asDecoded(value));
      }),
      { numRuns: 500 },
    );
  });
});
