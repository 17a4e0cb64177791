/** Shared helpers of the X.509 tests. */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Decoder } from 'cbor-x';
import { expect } from 'vitest';
import { WebAuthnError, type WebAuthnErrorCode } from '../../src/errors.js';
import { parseCertificate } from '../../src/x509/certificate.js';
import type { ParsedCertificate } from '../../src/x509/index.js';
import { interopDir, loadInteropVectors } from '../helpers/interop.js';

/** Asserts that `fn` throws a WebAuthnError with `code`, and returns it. */
export function expectCode(fn: () => unknown, code: WebAuthnErrorCode): WebAuthnError {
  let thrown: unknown;
  try {
    fn();
  } catch (error) {
    thrown = error;
  }
  expect(thrown).toBeInstanceOf(WebAuthnError);
  expect(thrown).toMatchObject({ code });
  return thrown as WebAuthnError;
}

export function parseAll(ders: readonly Uint8Array[]): ParsedCertificate[] {
  return ders.map((der) => parseCertificate(der));
}

/** A registration vector that carries attStmt.x5c. */
export interface X5cVector {
  readonly id: string;
  readonly fmt: string;
  readonly alg: number | undefined;
  readonly x5c: Uint8Array[];
  readonly aaguid: Uint8Array;
  readonly trustAnchors: readonly string[];
  readonly verificationTime: Date | undefined;
  readonly outcome: 'valid' | 'invalid';
}

const decoder = new Decoder({ mapsAsObjects: false, useRecords: false });

/** Every registration vector whose attestation statement has an x5c. */
export function loadX5cVectors(): X5cVector[] {
  const out: X5cVector[] = [];
  for (const vector of loadInteropVectors()) {
    if (vector.ceremony !== 'registration') continue;
    const text = vector.response.response.attestationObject;
    if (typeof text !== 'string' || text.length === 0) continue;
    let object: unknown;
    try {
      object = decoder.decode(Buffer.from(text, 'base64url'));
    } catch {
      continue;
    }
    if (!(object instanceof Map)) continue;
    const attStmt = object.get('attStmt');
    const authData = object.get('authData');
    const x5c = attStmt instanceof Map ? attStmt.get('x5c') : undefined;
    if (!Array.isArray(x5c) || !(authData instanceof Uint8Array) || authData.length < 53) continue;
    const alg = attStmt.get('alg');
    out.push({
      id: vector.id,
      fmt: String(object.get('fmt')),
      alg: typeof alg === 'number' ? alg : undefined,
      x5c: x5c.map((der: Uint8Array) => new Uint8Array(der)),
      aaguid: new Uint8Array(authData.subarray(37, 53)),
      trustAnchors: vector.trustAnchors,
      verificationTime: vector.verificationTime === null ? undefined : new Date(vector.verificationTime),
      outcome: vector.outcome,
    });
  }
  return out;
}

/** The shared root PEMs with the SHA-256 fingerprint roots/README.md gives for each. */
export function loadRoots(): { file: string; pem: string; fingerprint: string | undefined }[] {
  const dir = join(interopDir(), 'roots');
  const readme = readFileSync(join(dir, 'README.md'), 'utf8');
  return readdirSync(dir)
    .filter((name) => name.endsWith('.pem'))
    .sort()
    .map((file) => {
      const line = readme.split('\n').find((l) => l.startsWith(`- ${file}:`));
      const match = line === undefined ? null : /SHA-256 ([0-9A-F:]{95})/.exec(line);
      return {
        file,
        pem: readFileSync(join(dir, file), 'utf8'),
        fingerprint: match?.[1]?.replace(/:/g, '').toLowerCase(),
      };
    });
}
