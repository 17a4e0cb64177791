/**
 * §7.1 / §7.2 step 3: the size bounds of docs/security.md ("Inputs are bounded") on the JSON
 * response members, at n and n + 1 bytes — clientDataJSON 16 KiB, authenticatorData 64 KiB,
 * attestationObject 256 KiB, signature 8 KiB, userHandle 64 bytes, credential id 1023 bytes — with
 * the exact code, message and field. Written against a mutation run (docs/security.md,
 * "Mutation score").
 */
import { describe, expect, it } from 'vitest';
import { RESPONSE_LIMITS, checkCredentialEnvelope, requireBase64UrlField } from '../../src/ceremony/response-fields.js';
import { bytesToBase64Url } from '../../src/encoding/base64url.js';
import { expectCode } from '../helpers/expect-code.js';

const b64 = (length: number) => bytesToBase64Url(new Uint8Array(length).fill(0x5c));

describe('response member bounds', () => {
  it('the bounds are the documented ones', () => {
    expect(RESPONSE_LIMITS).toEqual({
      clientDataJSON: 16384,
      authenticatorData: 65536,
      attestationObject: 262144,
      signature: 8192,
      credentialId: 1023,
      userHandle: 64,
    });
  });

  it.each(Object.entries(RESPONSE_LIMITS).filter(([name]) => name !== 'credentialId'))(
    '%s: %i bytes decode, one more is ERR_RESPONSE_MALFORMED naming the member',
    (name, limit) => {
      const path = `response.${name}`;
      expect(requireBase64UrlField(b64(limit), path, limit, '7.2.3').length).toBe(limit);
      const error = expectCode(() => requireBase64UrlField(b64(limit + 1), path, limit, '7.2.3'), 'ERR_RESPONSE_MALFORMED');
      expect(error.step).toBe('7.2.3');
      expect(error.details).toEqual({ field: path });
      expect(error.message).toBe(`${path} is not canonical base64url of at most ${limit} bytes`);
      expect((error.cause as { code?: string }).code).toBe('ERR_BASE64URL_INVALID');
    },
  );

  it('a member that is empty or not text is refused before decoding', () => {
    for (const value of ['', undefined, 7, new Uint8Array(2)]) {
      const error = expectCode(() => requireBase64UrlField(value, 'response.signature', 8192, '7.2.3'), 'ERR_RESPONSE_MALFORMED');
      expect(error.message).toBe('response.signature must be a non-empty base64url string');
      expect(error.details).toEqual({ field: 'response.signature' });
    }
  });
});

describe('credential id bound', () => {
  const envelope = (id: string) => ({ id, rawId: id, type: 'public-key', response: {} });

  it('1023 bytes pass; 1024 bytes are ERR_CREDENTIAL_ID_TOO_LONG at the step given for it', () => {
    expect(checkCredentialEnvelope(envelope(b64(1023)), '7.1.3', '7.1.25', []).id).toBe(b64(1023));
    const error = expectCode(() => checkCredentialEnvelope(envelope(b64(1024)), '7.1.3', '7.1.25', []), 'ERR_CREDENTIAL_ID_TOO_LONG');
    expect(error.step).toBe('7.1.25');
    expect(error.details).toEqual({ field: 'id', expected: 1023, received: 1024 });
    expect(error.message).toBe('The credential id is 1024 bytes, more than 1023');
  });
});
