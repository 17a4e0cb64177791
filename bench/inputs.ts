/**
 * Benchmark inputs: real signatures from freshly generated keys, in the exact JSON a browser
 * sends, so that every contender verifies the same bytes.
 */
import { createHash, createPrivateKey, createPublicKey, generateKeyPairSync, type JsonWebKey, type KeyObject, sign } from 'node:crypto';
import { Encoder } from 'cbor-x';

const cbor = new Encoder({ mapsAsObjects: false, useRecords: false, tagUint8Array: false });

export type BenchAlg = 'ES256' | 'RS256' | 'Ed25519';

export interface BenchCredential {
  readonly alg: BenchAlg;
  readonly coseAlg: number;
  readonly id: string;
  readonly cose: Uint8Array;
  readonly coseBase64Url: string;
  readonly jwk: JsonWebKey;
  readonly keyObject: KeyObject;
  /** authenticatorData ‖ SHA-256(clientDataJSON): what the signature covers. */
  readonly signedData: Buffer;
  readonly signature: Buffer;
  readonly response: {
    id: string;
    rawId: string;
    type: 'public-key';
    response: { clientDataJSON: string; authenticatorData: string; signature: string };
    clientExtensionResults: Record<string, never>;
  };
}

export const RP_ID = 'bench.example';
export const ORIGIN = 'https://bench.example';
export const CHALLENGE = Buffer.alloc(32, 7).toString('base64url');

const b64 = (bytes: Uint8Array) => Buffer.from(bytes).toString('base64url');

function coseKey(alg: BenchAlg, jwk: JsonWebKey): Uint8Array {
  const d = (v: string | undefined) => Buffer.from(v ?? '', 'base64url');
  if (alg === 'ES256') return cbor.encode(new Map<number, unknown>([[1, 2], [3, -7], [-1, 1], [-2, d(jwk.x)], [-3, d(jwk.y)]]));
  if (alg === 'Ed25519') return cbor.encode(new Map<number, unknown>([[1, 1], [3, -8], [-1, 6], [-2, d(jwk.x)]]));
  return cbor.encode(new Map<number, unknown>([[1, 3], [3, -257], [-1, d(jwk.n)], [-2, d(jwk.e)]]));
}

/** One credential with one assertion (signCount 1, UP) signed by it. */
export function makeCredential(alg: BenchAlg, index: number): BenchCredential {
  // Keys come out of the generator as DER and are imported anew: exporting the JWK of a KeyObject
  // the generator returned deadlocks Node 20 now and then (ExportJWK holds the key's mutex, a GC
  // inside it finalises the KeyGenJob, whose destructor takes the same mutex; seen twice in the
  // 20 000-credential loop, main thread in futex_wait under ~KeyGenJob).
  const encodings = { publicKeyEncoding: { type: 'spki', format: 'der' }, privateKeyEncoding: { type: 'pkcs8', format: 'der' } } as const;
  const der =
    alg === 'ES256'
      ? generateKeyPairSync('ec', { namedCurve: 'P-256', ...encodings })
      : alg === 'Ed25519'
        ? generateKeyPairSync('ed25519', encodings)
        : generateKeyPairSync('rsa', { modulusLength: 2048, ...encodings });
  const pair = {
    publicKey: createPublicKey({ key: der.publicKey as unknown as Buffer, format: 'der', type: 'spki' }),
    privateKey: createPrivateKey({ key: der.privateKey as unknown as Buffer, format: 'der', type: 'pkcs8' }),
  };
  const jwk = pair.publicKey.export({ format: 'jwk' });
  const cose = coseKey(alg, jwk);
  const id = b64(createHash('sha256').update(`${alg}-${index}`).digest());
  const clientDataJSON = Buffer.from(
    JSON.stringify({ type: 'webauthn.get', challenge: CHALLENGE, origin: ORIGIN, crossOrigin: false }),
  );
  const rpIdHash = createHash('sha256').update(RP_ID).digest();
  const authenticatorData = Buffer.concat([rpIdHash, Buffer.from([0x01, 0, 0, 0, 1])]);
  const signedData = Buffer.concat([authenticatorData, createHash('sha256').update(clientDataJSON).digest()]);
  const signature =
    alg === 'Ed25519' ? sign(null, signedData, pair.privateKey) : sign('sha256', signedData, pair.privateKey);
  return {
    alg,
    coseAlg: alg === 'ES256' ? -7 : alg === 'Ed25519' ? -8 : -257,
    id,
    cose,
    coseBase64Url: b64(cose),
    jwk,
    keyObject: pair.publicKey,
    signedData,
    signature,
    response: {
      id,
      rawId: id,
      type: 'public-key',
      response: { clientDataJSON: b64(clientDataJSON), authenticatorData: b64(authenticatorData), signature: b64(signature) },
      clientExtensionResults: {},
    },
  };
}
