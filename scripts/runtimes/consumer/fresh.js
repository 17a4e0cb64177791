/**
 * Ceremonies made fresh in the runtime under test, with nothing prepared outside it. For each of
 * ES256, EdDSA (Ed25519) and RS256: a key pair from the runtime's own WebCrypto, a `packed`
 * self-attestation registration (WebAuthn L3 §8.2 step 4: sig over authenticatorData ‖
 * SHA-256(clientDataJSON) with the credential key), a sign-in with the stored record it returned
 * (§7.2), and the same sign-in with one bit of the signature flipped, which must be rejected as
 * ERR_SIGNATURE_INVALID.
 */
import { WebAuthnError, verifyAuthenticationResponse, verifyRegistrationResponse } from 'webauthn-verify';
import { bytesToBase64Url } from 'webauthn-verify/low-level';
import { encodeCbor } from './cbor-encode.js';

const RP_ID = 'runtimes.example';
const ORIGIN = 'https://runtimes.example';
const FLAG_UP = 0x01;
const FLAG_UV = 0x04;
const FLAG_AT = 0x40;

const subtle = globalThis.crypto.subtle;
const text = (value) => new TextEncoder().encode(value);

function concat(...parts) {
  const out = new Uint8Array(parts.reduce((n, part) => n + part.length, 0));
  let offset = 0;
  for (const part of parts) {
    out.set(part, offset);
    offset += part.length;
  }
  return out;
}

const sha256 = async (bytes) => new Uint8Array(await subtle.digest('SHA-256', bytes));
const random = (length) => globalThis.crypto.getRandomValues(new Uint8Array(length));
const uint32 = (n) => Uint8Array.of(n >>> 24, (n >>> 16) & 0xff, (n >>> 8) & 0xff, n & 0xff);

/** One DER INTEGER from a big-endian unsigned value (X.690 §8.3: minimal, sign byte when needed). */
function derInteger(bytes) {
  let start = 0;
  while (start < bytes.length - 1 && bytes[start] === 0) start++;
  const body = bytes[start] & 0x80 ? concat(Uint8Array.of(0), bytes.subarray(start)) : bytes.subarray(start);
  return concat(Uint8Array.of(0x02, body.length), body);
}

/** WebCrypto's r ‖ s (IEEE P1363) → the DER Ecdsa-Sig-Value that WebAuthn uses (§6.5.5). */
function p1363ToDer(signature) {
  const half = signature.length / 2;
  const body = concat(derInteger(signature.subarray(0, half)), derInteger(signature.subarray(half)));
  return concat(Uint8Array.of(0x30, body.length), body);
}

const b64uToBytes = (text) => Uint8Array.from(atob(text.replace(/-/g, '+').replace(/_/g, '/')), (c) => c.charCodeAt(0));

/**
 * The algorithms exercised: how WebCrypto makes the key and the signature, and the COSE_Key
 * (RFC 9053 §7.1, RFC 8230 §4; CTAP2-canonical key order) and signature encoding WebAuthn uses.
 */
const ALGORITHMS = [
  {
    name: 'ES256',
    alg: -7,
    generate: { name: 'ECDSA', namedCurve: 'P-256' },
    sign: { name: 'ECDSA', hash: 'SHA-256' },
    encodeSignature: p1363ToDer, // §6.5.5: ECDSA signatures are DER
    async cose(publicKey) {
      const raw = new Uint8Array(await subtle.exportKey('raw', publicKey)); // 0x04 ‖ x ‖ y
      return new Map([[1, 2], [3, -7], [-1, 1], [-2, raw.subarray(1, 33)], [-3, raw.subarray(33, 65)]]);
    },
  },
  {
    name: 'EdDSA (Ed25519)',
    alg: -8,
    generate: { name: 'Ed25519' },
    sign: { name: 'Ed25519' },
    encodeSignature: (signature) => signature,
    async cose(publicKey) {
      const raw = new Uint8Array(await subtle.exportKey('raw', publicKey));
      return new Map([[1, 1], [3, -8], [-1, 6], [-2, raw]]);
    },
  },
  {
    name: 'RS256',
    alg: -257,
    generate: { name: 'RSASSA-PKCS1-v1_5', modulusLength: 2048, publicExponent: Uint8Array.of(1, 0, 1), hash: 'SHA-256' },
    sign: { name: 'RSASSA-PKCS1-v1_5' },
    encodeSignature: (signature) => signature,
    async cose(publicKey) {
      const jwk = await subtle.exportKey('jwk', publicKey);
      return new Map([[1, 3], [3, -257], [-1, b64uToBytes(jwk.n)], [-2, b64uToBytes(jwk.e)]]);
    },
  },
];

async function signWith(algorithm, privateKey, data) {
  return algorithm.encodeSignature(new Uint8Array(await subtle.sign(algorithm.sign, privateKey, data)));
}

const clientData = (type, challenge) =>
  text(JSON.stringify({ type, challenge, origin: ORIGIN, crossOrigin: false }));

async function register(algorithm, keys, credentialId) {
  const challenge = bytesToBase64Url(random(32));
  const clientDataJSON = clientData('webauthn.create', challenge);
  // §6.1: rpIdHash ‖ flags ‖ signCount ‖ attestedCredentialData (aaguid ‖ L ‖ credentialId ‖ key)
  const authData = concat(
    await sha256(text(RP_ID)),
    Uint8Array.of(FLAG_UP | FLAG_UV | FLAG_AT),
    uint32(0),
    new Uint8Array(16),
    Uint8Array.of(0, credentialId.length),
    credentialId,
    encodeCbor(await algorithm.cose(keys.publicKey)),
  );
  const sig = await signWith(algorithm, keys.privateKey, concat(authData, await sha256(clientDataJSON)));
  const attStmt = new Map([['alg', algorithm.alg], ['sig', sig]]);
  const attestationObject = encodeCbor(new Map([['fmt', 'packed'], ['attStmt', attStmt], ['authData', authData]]));
  const id = bytesToBase64Url(credentialId);
  const response = {
    id,
    rawId: id,
    type: 'public-key',
    clientExtensionResults: {},
    response: {
      clientDataJSON: bytesToBase64Url(clientDataJSON),
      attestationObject: bytesToBase64Url(attestationObject),
      transports: ['internal'],
    },
  };
  const result = await verifyRegistrationResponse(response, {
    challenge,
    origin: ORIGIN,
    rpId: RP_ID,
    userVerification: 'required',
  });
  if (result.attestation.format !== 'packed' || result.attestation.type !== 'self') {
    throw new Error(`expected packed self attestation, got ${result.attestation.format}/${result.attestation.type}`);
  }
  if (result.credential.id !== id || result.credential.algorithm !== algorithm.alg) {
    throw new Error('the stored record names another credential or algorithm');
  }
  return result.credential;
}

async function assertion(algorithm, keys, record, signCount, tamper) {
  const challenge = bytesToBase64Url(random(32));
  const clientDataJSON = clientData('webauthn.get', challenge);
  const authData = concat(await sha256(text(RP_ID)), Uint8Array.of(FLAG_UP | FLAG_UV), uint32(signCount));
  const signature = await signWith(algorithm, keys.privateKey, concat(authData, await sha256(clientDataJSON)));
  if (tamper) signature[signature.length - 1] ^= 0x01;
  const response = {
    id: record.id,
    rawId: record.id,
    type: 'public-key',
    clientExtensionResults: {},
    response: {
      clientDataJSON: bytesToBase64Url(clientDataJSON),
      authenticatorData: bytesToBase64Url(authData),
      signature: bytesToBase64Url(signature),
    },
  };
  return verifyAuthenticationResponse(response, record, {
    challenge,
    origin: ORIGIN,
    rpId: RP_ID,
    userVerification: 'required',
  });
}

async function check(name, fn) {
  try {
    await fn();
    return { name, pass: true };
  } catch (error) {
    const code = error instanceof WebAuthnError ? error.code : error?.name;
    return { name, pass: false, error: `${code}: ${error?.message ?? String(error)}` };
  }
}

async function ceremoniesOf(algorithm) {
  const keys = await subtle.generateKey(algorithm.generate, true, ['sign', 'verify']);
  const credentialId = random(32);
  let record;
  const noRecord = () => new Error('no record: the registration failed');
  return [
    await check(`${algorithm.name}: registration (packed self)`, async () => {
      record = await register(algorithm, keys, credentialId);
    }),
    await check(`${algorithm.name}: sign-in with the stored record`, async () => {
      if (record === undefined) throw noRecord();
      const result = await assertion(algorithm, keys, record, 1, false);
      if (result.counter !== 'increased' || result.credential.signCount !== 1 || !result.userVerified) {
        throw new Error(`unexpected result: counter ${result.counter}, signCount ${result.credential.signCount}`);
      }
    }),
    await check(`${algorithm.name}: sign-in with a flipped signature bit → ERR_SIGNATURE_INVALID`, async () => {
      if (record === undefined) throw noRecord();
      const outcome = await assertion(algorithm, keys, record, 2, true).then(
        () => 'accepted',
        (error) => (error instanceof WebAuthnError ? error.code : `foreign ${error?.name}`),
      );
      if (outcome !== 'ERR_SIGNATURE_INVALID') throw new Error(`expected ERR_SIGNATURE_INVALID, got ${outcome}`);
    }),
  ];
}

/** Runs the fresh ceremonies; one entry per check, `pass` with the reason when it did not. */
export async function runFreshCeremonies() {
  const results = [];
  for (const algorithm of ALGORITHMS) {
    try {
      results.push(...(await ceremoniesOf(algorithm)));
    } catch (error) {
      // Key generation itself failed: the runtime's WebCrypto lacks the algorithm.
      results.push({ name: `${algorithm.name}: key generation`, pass: false, error: `${error?.name}: ${error?.message}` });
    }
  }
  return results;
}
