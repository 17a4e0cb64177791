/**
 * §6.1 / §6.5.1 authenticator data at the exact edges of each bound (37 bytes, 64 KiB, the 18-byte
 * attested header, credentialIdLength against 1023 and against the bytes left), with the offset and
 * field every rejection reports, and encodeAuthenticatorData's range checks at their edges.
 * Written against the survivors of a mutation run (docs/security.md, "Mutation score").
 */
import { describe, expect, it } from 'vitest';
import {
  AUTHDATA_MAX_LENGTH,
  encodeAuthenticatorData,
  parseAuthenticatorData,
} from '../../src/parse/authenticator-data.js';
import { expectCode } from '../helpers/expect-code.js';

const RP_ID_HASH = Uint8Array.from({ length: 32 }, (_, i) => i + 1);
const AAGUID = new Uint8Array(16).fill(0xaa);

function authData(flags: number, ...rest: (number | readonly number[] | Uint8Array)[]): Uint8Array {
  const tail = rest.flatMap((p) => (typeof p === 'number' ? [p] : [...p]));
  return new Uint8Array([...RP_ID_HASH, flags, 0x01, 0x02, 0x03, 0x04, ...tail]);
}

/** AT set: aaguid, a 16-bit id length, then `rest`. */
const attested = (flags: number, idLength: number, ...rest: (number | readonly number[] | Uint8Array)[]) =>
  authData(flags | 0x40, AAGUID, idLength >> 8, idLength & 0xff, ...rest);

function malformedAt(bytes: Uint8Array, offset: number, field: string, message?: string) {
  const error = expectCode(() => parseAuthenticatorData(bytes), 'ERR_AUTHDATA_MALFORMED');
  expect(error.step).toBe('6.1');
  expect(error.details).toEqual({ offset, field });
  if (message !== undefined) expect(error.message).toBe(message);
  return error;
}

describe('length bounds', () => {
  it('36 bytes: offset 36, and the message gives both numbers', () => {
    malformedAt(authData(0x01).subarray(0, 36), 36, 'authenticatorData', 'authenticatorData is 36 bytes, shorter than 37');
  });

  it(`exactly ${AUTHDATA_MAX_LENGTH} bytes (a large extension) is accepted; one byte more is refused at that offset`, () => {
    // 37 + map(1) + "x"(2) + byte string head(3) + n = 65536.
    const n = AUTHDATA_MAX_LENGTH - 37 - 1 - 2 - 3;
    const ext = (size: number) => [0xa1, 0x61, 0x78, 0x59, size >> 8, size & 0xff, ...new Uint8Array(size)];
    const max = authData(0x81, ext(n));
    expect(max.length).toBe(AUTHDATA_MAX_LENGTH);
    const parsed = parseAuthenticatorData(max);
    expect((parsed.extensions as Readonly<Record<string, Uint8Array>>).x?.length).toBe(n);
    expect(parsed.extensionsRaw?.length).toBe(AUTHDATA_MAX_LENGTH - 37);
    malformedAt(authData(0x81, ext(n + 1)), AUTHDATA_MAX_LENGTH, 'authenticatorData', `authenticatorData exceeds ${AUTHDATA_MAX_LENGTH} bytes`);
  });
});

describe('attested credential data', () => {
  it('17 bytes after signCount: the header is truncated (offset 37)', () => {
    malformedAt(
      authData(0x41, AAGUID, 0x00),
      37,
      'attestedCredentialData',
      'AT is set but attested credential data is missing or truncated',
    );
  });

  it('exactly the 18-byte header with a zero id length: the key is what is missing (offset 55)', () => {
    malformedAt(attested(0x01, 0), 55, 'credentialPublicKey', 'credentialPublicKey is missing');
  });

  it('credentialIdLength 1024: ERR_CREDENTIAL_ID_TOO_LONG at step 6.5.1 with the length field offset', () => {
    const error = expectCode(() => parseAuthenticatorData(attested(0x01, 1024, new Uint8Array(1024), 0xa0)), 'ERR_CREDENTIAL_ID_TOO_LONG');
    expect(error.step).toBe('6.5.1');
    expect(error.details).toEqual({ offset: 53, field: 'credentialIdLength', expected: 1023, received: 1024 });
    expect(error.message).toBe('credentialIdLength 1024 exceeds 1023');
  });

  it('an id length equal to the bytes left is not a truncation; one more is', () => {
    // 5 bytes left, length 5: the id fits and then the key is missing.
    malformedAt(attested(0x01, 5, [1, 2, 3, 4, 5]), 60, 'credentialPublicKey', 'credentialPublicKey is missing');
    malformedAt(attested(0x01, 6, [1, 2, 3, 4, 5]), 53, 'credentialIdLength', 'credentialIdLength 6 exceeds the 5 bytes left');
  });

  it('the credential id and key are exactly their bytes; a key that is not a map names its offset', () => {
    const parsed = parseAuthenticatorData(attested(0x01, 3, [7, 8, 9], [0xa1, 0x01, 0x02]));
    const acd = parsed.attestedCredentialData!;
    expect([...acd.aaguid]).toEqual([...AAGUID]);
    expect([...acd.credentialId]).toEqual([7, 8, 9]);
    expect([...acd.credentialPublicKey]).toEqual([0xa1, 0x01, 0x02]);
    malformedAt(attested(0x01, 3, [7, 8, 9], [0x80]), 58, 'credentialPublicKey', 'credentialPublicKey is not a CBOR map');
  });

  it('a truncated key is ERR_AUTHDATA_MALFORMED with the CBOR truncation as cause; other CBOR codes pass through', () => {
    const error = malformedAt(attested(0x01, 1, [7], [0xa1, 0x01]), 56, 'credentialPublicKey', 'credentialPublicKey is truncated');
    expect((error.cause as { code?: string }).code).toBe('ERR_CBOR_TRUNCATED');
    expectCode(() => parseAuthenticatorData(attested(0x01, 1, [7], [0xa2, 0x01, 0x02, 0x01, 0x03])), 'ERR_CBOR_DUPLICATE_KEY');
  });
});

describe('extensions', () => {
  it('a non-text identifier is refused at the offset of the map', () => {
    malformedAt(authData(0x81, [0xa1, 0x01, 0x02]), 37, 'extensions', 'An extension identifier is not a text string');
    malformedAt(attested(0x81, 1, [7], [0xa0], [0xa1, 0x41, 0x78, 0x02]), 57, 'extensions');
  });

  it('missing and not-a-map extensions name the field', () => {
    malformedAt(authData(0x81), 37, 'extensions', 'extensions is missing');
    malformedAt(authData(0x81, [0x01]), 37, 'extensions', 'extensions is not a CBOR map');
  });

  it('extensionsRaw is exactly the map, after the key when AT is set too', () => {
    const parsed = parseAuthenticatorData(attested(0xc1, 1, [7], [0xa0], [0xa1, 0x61, 0x78, 0xf5]));
    expect([...parsed.extensionsRaw!]).toEqual([0xa1, 0x61, 0x78, 0xf5]);
    expect(parsed.extensions?.x).toBe(true);
    expect(Object.getPrototypeOf(parsed.extensions)).toBeNull();
  });
});

describe('trailing bytes name what they follow', () => {
  it('after signCount, after the key, after the extensions', () => {
    malformedAt(authData(0x01, 0xee), 37, 'authenticatorData', '1 trailing byte(s) after signCount (AT and ED are clear)');
    malformedAt(
      attested(0x01, 1, [7], [0xa0], 0xee, 0xee),
      57,
      'authenticatorData',
      '2 trailing byte(s) after the credential public key (ED is clear)',
    );
    malformedAt(authData(0x81, [0xa0], 0xee), 38, 'authenticatorData', '1 trailing byte(s) after the extensions');
  });
});

describe('flags and signCount', () => {
  it.each([
    [0x01, 'up'],
    [0x04, 'uv'],
    [0x08, 'be'],
  ] as const)('flag byte 0x%s sets only %s', (bit, name) => {
    const { flags } = parseAuthenticatorData(authData(bit));
    for (const key of ['up', 'uv', 'be', 'bs', 'at', 'ed'] as const) expect(flags[key], key).toBe(key === name);
    expect(flags.raw).toBe(bit);
  });

  it('BS with BE is accepted; BS alone is ERR_BACKUP_FLAGS_INVALID with the flags byte', () => {
    const both = parseAuthenticatorData(authData(0x19)).flags;
    expect([both.be, both.bs]).toEqual([true, true]);
    const error = expectCode(() => parseAuthenticatorData(authData(0x11)), 'ERR_BACKUP_FLAGS_INVALID');
    expect(error.step).toBe('6.1');
    expect(error.details).toEqual({ field: 'flags', received: 0x11 });
  });

  it('signCount is big-endian and rpIdHash is the first 32 bytes', () => {
    const parsed = parseAuthenticatorData(authData(0x00));
    expect(parsed.signCount).toBe(0x01020304);
    expect([...parsed.rpIdHash]).toEqual([...RP_ID_HASH]);
    expect(parsed.attestedCredentialData).toBeUndefined();
    expect(parsed.extensions).toBeUndefined();
    expect(parsed.extensionsRaw).toBeUndefined();
  });
});

describe('encodeAuthenticatorData range checks at their edges', () => {
  const base = { rpIdHash: RP_ID_HASH, flags: 0x01, signCount: 0 };

  const misuse = (parts: Parameters<typeof encodeAuthenticatorData>[0]) =>
    expectCode(() => encodeAuthenticatorData(parts), 'ERR_OPTIONS_INVALID').details?.field;

  it('flags 0 and 255, signCount 0 and 2^32 − 1 are written; one past each edge is ERR_OPTIONS_INVALID naming the part', () => {
    expect(encodeAuthenticatorData({ ...base, flags: 0xff })[32]).toBe(0xff);
    expect(encodeAuthenticatorData({ ...base, flags: 0 })[32]).toBe(0);
    expect([...encodeAuthenticatorData({ ...base, signCount: 0xffffffff }).subarray(33)]).toEqual([0xff, 0xff, 0xff, 0xff]);
    expect([...encodeAuthenticatorData({ ...base, signCount: 0x0a0b0c0d }).subarray(33)]).toEqual([0x0a, 0x0b, 0x0c, 0x0d]);
    for (const flags of [256, -1, 1.5]) expect(misuse({ ...base, flags })).toBe('flags');
    for (const signCount of [2 ** 32, -1, 0.5]) expect(misuse({ ...base, signCount })).toBe('signCount');
    expect(misuse({ ...base, rpIdHash: RP_ID_HASH.subarray(1) })).toBe('rpIdHash');
    expect(misuse({ ...base, rpIdHash: new Uint8Array(33) })).toBe('rpIdHash');
  });

  it('flags given as parsed flags use their raw byte', () => {
    expect(encodeAuthenticatorData({ ...base, flags: { raw: 0x45 } })[32]).toBe(0x45);
  });

  it('aaguid must be 16 bytes; a 65535-byte id is written with its length, 65536 is ERR_OPTIONS_INVALID', () => {
    const acd = (aaguid: Uint8Array, idLength: number) => ({
      ...base,
      attestedCredentialData: { aaguid, credentialId: new Uint8Array(idLength).fill(3), credentialPublicKey: new Uint8Array([0xa0]) },
    });
    expect(misuse(acd(new Uint8Array(15), 1))).toBe('attestedCredentialData.aaguid');
    expect(misuse(acd(new Uint8Array(17), 1))).toBe('attestedCredentialData.aaguid');
    const big = encodeAuthenticatorData(acd(AAGUID, 0xffff));
    expect([big[53], big[54]]).toEqual([0xff, 0xff]);
    expect(big.length).toBe(37 + 18 + 0xffff + 1);
    expect(big[big.length - 1]).toBe(0xa0);
    expect(misuse(acd(AAGUID, 0x10000))).toBe('attestedCredentialData.credentialId');
    const small = encodeAuthenticatorData(acd(AAGUID, 0x0102));
    expect([small[53], small[54]]).toEqual([0x01, 0x02]);
  });

  it('extensions follow the attested data verbatim', () => {
    const out = encodeAuthenticatorData({
      ...base,
      attestedCredentialData: { aaguid: AAGUID, credentialId: new Uint8Array([9]), credentialPublicKey: new Uint8Array([0xa0]) },
      extensionsRaw: new Uint8Array([0xa1, 0x61, 0x78, 0xf4]),
    });
    expect([...out.subarray(37 + 18)]).toEqual([9, 0xa0, 0xa1, 0x61, 0x78, 0xf4]);
    expect([...encodeAuthenticatorData({ ...base, extensionsRaw: new Uint8Array([0xa0]) }).subarray(37)]).toEqual([0xa0]);
  });
});
