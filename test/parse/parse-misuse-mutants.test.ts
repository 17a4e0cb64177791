/**
 * The parsers' remaining edges after a mutation run (docs/security.md, "Mutation score"): misuse of
 * each entry point (ERR_OPTIONS_INVALID naming the argument, with its message), encodeAuthenticatorData's
 * part checks by name, CBOR errors inside authenticator data reported at step 6.1, extension values
 * copied out of the input, and the exact messages of the clientData bound and of BS without BE.
 */
import { describe, expect, it } from 'vitest';
import { encodeAuthenticatorData, parseAuthenticatorData } from '../../src/parse/authenticator-data.js';
import { parseAttestationObject } from '../../src/parse/attestation-object.js';
import { CLIENT_DATA_MAX_LENGTH, parseClientDataJSON } from '../../src/parse/client-data.js';
import { expectCode } from '../helpers/expect-code.js';

const RP = new Uint8Array(32).fill(7);
const authData = (flags: number, ...tail: number[]) => new Uint8Array([...RP, flags, 0, 0, 0, 1, ...tail]);

describe('entry points refuse what is not bytes', () => {
  it.each([
    ['parseAuthenticatorData', () => parseAuthenticatorData('AAAA' as never), 'authenticatorData', 'parseAuthenticatorData: authenticatorData must be a Uint8Array'],
    ['parseAttestationObject', () => parseAttestationObject([1] as never), 'attestationObject', 'parseAttestationObject: attestationObject must be a Uint8Array'],
    ['parseClientDataJSON', () => parseClientDataJSON('{}' as never), 'clientDataJSON', 'parseClientDataJSON: clientDataJSON must be a Uint8Array'],
  ])('%s', (_, fn, field, message) => {
    const error = expectCode(fn, 'ERR_OPTIONS_INVALID');
    expect(error.details).toEqual({ field });
    expect(error.message).toBe(message);
  });
});

describe('encodeAuthenticatorData names the part', () => {
  const base = { rpIdHash: RP, flags: 1, signCount: 0 };
  const acd = { aaguid: new Uint8Array(16), credentialId: new Uint8Array(1), credentialPublicKey: new Uint8Array([0xa0]) };

  it.each([
    ['parts', null, 'must be an object'],
    ['rpIdHash', { ...base, rpIdHash: 'x' }, 'must be 32 bytes'],
    ['flags', { ...base, flags: '1' }, 'must be one byte'],
    ['flags', { ...base, flags: { raw: 300 } }, 'must be one byte'],
    ['signCount', { ...base, signCount: '0' }, 'must be an unsigned 32-bit integer'],
    ['extensionsRaw', { ...base, extensionsRaw: [0xa0] }, 'must be bytes'],
    ['attestedCredentialData', { ...base, attestedCredentialData: null }, 'must be an object'],
    ['attestedCredentialData', { ...base, attestedCredentialData: 'acd' }, 'must be an object'],
    ['attestedCredentialData.aaguid', { ...base, attestedCredentialData: { ...acd, aaguid: 'x' } }, 'must be 16 bytes'],
    ['attestedCredentialData.credentialId', { ...base, attestedCredentialData: { ...acd, credentialId: [1] } }, 'must be bytes with a 16-bit length'],
    ['attestedCredentialData.credentialPublicKey', { ...base, attestedCredentialData: { ...acd, credentialPublicKey: 'k' } }, 'must be bytes'],
  ])('%s: %j', (field, parts, message) => {
    const error = expectCode(() => encodeAuthenticatorData(parts as never), 'ERR_OPTIONS_INVALID');
    expect(error.details).toEqual({ field });
    expect(error.message).toBe(`encodeAuthenticatorData: ${field} ${message}`);
  });
});

describe('authenticator data: CBOR inside', () => {
  it('a CBOR error in the credential public key or the extensions is reported at step 6.1', () => {
    const withKey = (key: number[]) => authData(0x41, ...new Array(16).fill(0), 0, 1, 9, ...key);
    const duplicate = expectCode(() => parseAuthenticatorData(withKey([0xa2, 0x01, 0x02, 0x01, 0x03])), 'ERR_CBOR_DUPLICATE_KEY');
    expect(duplicate.step).toBe('6.1');
    const tagged = expectCode(() => parseAuthenticatorData(authData(0x81, 0xa1, 0x61, 0x78, 0xc1, 0x00)), 'ERR_CBOR_TAG_FORBIDDEN');
    expect(tagged.step).toBe('6.1');
  });

  it('extension values are copies: byte strings, inside arrays and maps, do not alias the input', () => {
    // {"a": h'0102', "b": [h'03'], "c": {1: h'04'}}
    const bytes = authData(0x81, 0xa3, 0x61, 0x61, 0x42, 1, 2, 0x61, 0x62, 0x81, 0x41, 3, 0x61, 0x63, 0xa1, 0x01, 0x41, 4);
    const parsed = parseAuthenticatorData(bytes);
    const extensions = parsed.extensions as Record<string, unknown>;
    const a = extensions.a as Uint8Array;
    const b = (extensions.b as Uint8Array[])[0]!;
    const c = (extensions.c as Map<number, Uint8Array>).get(1)!;
    expect([...a, ...b, ...c]).toEqual([1, 2, 3, 4]);
    bytes.fill(0xee, 37);
    expect([...a, ...b, ...c]).toEqual([1, 2, 3, 4]);
    expect(parsed.extensions?.c).toBeInstanceOf(Map);
    expect(Array.isArray(parsed.extensions?.b)).toBe(true);
  });

  it('BS without BE has its own message', () => {
    const error = expectCode(() => parseAuthenticatorData(authData(0x11)), 'ERR_BACKUP_FLAGS_INVALID');
    expect(error.message).toBe('BS is set while BE is clear');
  });
});

describe('clientDataJSON bound message', () => {
  it(`more than ${CLIENT_DATA_MAX_LENGTH} bytes names the bound`, () => {
    const error = expectCode(() => parseClientDataJSON(new Uint8Array(CLIENT_DATA_MAX_LENGTH + 1).fill(0x20)), 'ERR_CLIENTDATA_MALFORMED');
    expect(error.message).toBe(`clientDataJSON exceeds ${CLIENT_DATA_MAX_LENGTH} bytes`);
    expect(error.step).toBe('5.8.1');
  });
});
