/**
 * Results own their bytes (issue 14, "shared bytes"; DESIGN "results own their bytes"): every
 * Uint8Array reachable from a ceremony result spans its whole buffer from offset 0 — never a view
 * into Node's 8 KiB Buffer pool, a decode of another member, a cache or the caller's arrays — and
 * mutating a result never changes a later one. Runs on both backends (`--project node` / `web`).
 */
import { Buffer } from 'node:buffer';
import { describe, expect, it } from 'vitest';
import { verifyAuthenticationResponse, verifyRegistrationResponse } from '../../src/index.js';
import { generateTestKey } from '../helpers/keys.js';
import { createAssertion } from '../helpers/synthetic-authenticator.js';
import { createRegistration } from '../helpers/synthetic-registration.js';

/** Every Uint8Array reachable from `value` (objects, arrays, Maps), with its path. */
function byteArrays(value: unknown, path = 'result', seen = new Set<unknown>()): [string, Uint8Array][] {
  if (value instanceof Uint8Array) return [[path, value]];
  if (typeof value !== 'object' || value === null || seen.has(value)) return [];
  seen.add(value);
  const out: [string, Uint8Array][] = [];
  if (value instanceof Map) {
    for (const [key, item] of value) out.push(...byteArrays(item, `${path}.get(${String(key)})`, seen));
  } else {
    for (const key of Object.keys(value)) out.push(...byteArrays((value as Record<string, unknown>)[key], `${path}.${key}`, seen));
  }
  return out;
}

function expectOwned(result: unknown, minimum: number): [string, Uint8Array][] {
  const arrays = byteArrays(result);
  expect(arrays.length).toBeGreaterThanOrEqual(minimum);
  for (const [path, bytes] of arrays) {
    expect({ path, byteOffset: bytes.byteOffset, bufferLength: bytes.buffer.byteLength }).toEqual({
      path,
      byteOffset: 0,
      bufferLength: bytes.byteLength,
    });
  }
  return arrays;
}

/** A deep copy of every byte array of a result, by path, to compare a later result with. */
function snapshot(result: unknown): Record<string, number[]> {
  return Object.fromEntries(byteArrays(result).map(([path, bytes]) => [path, [...bytes]]));
}

describe('sign-in results own their bytes', () => {
  const signer = generateTestKey('ES256');

  it('authenticatorData.raw, rpIdHash, extensions (with byte values), clientData.raw, credential.publicKey', async () => {
    const a = createAssertion(signer, { extensions: new Map<string, unknown>([['blob', new Uint8Array([1, 2, 3])]]) });
    // A pooled Buffer as the stored key: the result's record must not hand it back as a view.
    const pooledKey = Buffer.from(signer.cose);
    expect(pooledKey.buffer.byteLength).toBeGreaterThan(pooledKey.length);
    const result = await verifyAuthenticationResponse(a.response, { ...a.record, publicKey: pooledKey }, a.expected);
    const paths = expectOwned(result, 6).map(([path]) => path);
    expect(paths).toEqual(
      expect.arrayContaining([
        'result.authenticatorData.raw',
        'result.authenticatorData.rpIdHash',
        'result.authenticatorData.extensionsRaw',
        'result.extensions.blob',
        'result.clientData.raw',
        'result.credential.publicKey',
      ]),
    );
    expect(result.credential.publicKey).not.toBe(pooledKey);
  });

  it('mutating every byte of one result changes neither a later result nor the caller’s key', async () => {
    const a = createAssertion(signer, { extensions: new Map<string, unknown>([['blob', new Uint8Array([9, 9])]]) });
    const key = new Uint8Array(signer.cose);
    const record = { ...a.record, publicKey: key };
    const first = await verifyAuthenticationResponse(a.response, record, a.expected);
    const before = snapshot(first);
    for (const [, bytes] of byteArrays(first)) bytes.fill(0xff);
    expect([...key]).toEqual([...signer.cose]);
    const second = await verifyAuthenticationResponse(a.response, record, a.expected);
    expect(snapshot(second)).toEqual(before);
  });
});

describe('registration results own their bytes', () => {
  it('packed with x5c reaching an anchor: authenticatorData fields, clientData.raw, trustPath, trustAnchor', async () => {
    const registration = await createRegistration({ format: 'packed', extensions: new Map([['credProtect', 2]]) });
    const expected = { ...registration.expected, attestation: { ...registration.expected.attestation, require: 'trusted' as const } };
    const result = await verifyRegistrationResponse(registration.response, expected);
    expect(result.attestation.trusted).toBe(true);
    const paths = expectOwned(result, 8).map(([path]) => path);
    expect(paths).toEqual(
      expect.arrayContaining([
        'result.authenticatorData.raw',
        'result.authenticatorData.rpIdHash',
        'result.authenticatorData.attestedCredentialData.aaguid',
        'result.authenticatorData.attestedCredentialData.credentialId',
        'result.authenticatorData.attestedCredentialData.credentialPublicKey',
        'result.authenticatorData.extensionsRaw',
        'result.clientData.raw',
        'result.attestation.trustPath.0',
        'result.attestation.trustAnchor',
      ]),
    );
  });

  it('zeroing one request’s trustPath and trustAnchor does not change what the next request reports', async () => {
    const registration = await createRegistration({ format: 'packed' });
    const first = await verifyRegistrationResponse(registration.response, registration.expected);
    const before = snapshot(first);
    expect(first.attestation.trustPath.length).toBeGreaterThan(0);
    for (const [, bytes] of byteArrays(first)) bytes.fill(0);
    const second = await verifyRegistrationResponse(registration.response, registration.expected);
    expect(snapshot(second)).toEqual(before);
  });
});
