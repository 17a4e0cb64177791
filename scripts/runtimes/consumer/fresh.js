/**
 * Two ceremonies made fresh in the runtime under test, with nothing prepared outside it: an
 * ES256 key pair from the runtime's own WebCrypto, a `packed` self-attestation registration
 * (WebAuthn L3 §8.2: sig over authenticatorData ‖ SHA-256(clientDataJSON) with the credential key)
 * and a sign-in with the stored record it returned (§7.2), plus the same sign-in with one bit of
 * the signature flipped, which must be rejected as ERR_SIGNATURE_INVALID.
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

async function signDer(privateKey, data) {
  const raw = new Uint8Array(await subtle.sign({ name: 'ECDSA', hash: 'SHA-256' }, privateKey, data));
  return p1363ToDer(raw);
}

/** COSE_Key (RFC 9053 §7.1.1) of an ES256 public key, CTAP2-canonical key order. */
async function coseKeyOf(publicKey) {
  const raw = new Uint8Array(await subtle.exportKey('raw', publicKey)); // 0x04 ‖ x ‖ y
  return encodeCbor(
    new Map([
      [1, 2],
      [3, -7],
      [-1, 1],
      [-2, raw.subarray(1, 33)],
      [-3, raw.subarray(33, 65)],
    ]),
  );
}

const clientData = (type, challenge) =>
  text(JSON.stringify({ type, challenge, origin: ORIGIN, crossOrigin: false }));

async function register(keys, credentialId) {
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
    await coseKeyOf(keys.publicKey),
  );
  const sig = await signDer(keys.privateKey, concat(authData, await sha256(clientDataJSON)));
  const attestationObject = encodeCbor(new Map([['fmt', 'packed'], ['attStmt', new Map([['alg', -7], ['sig', sig]])], ['authData', authData]]));
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
  if (result.credential.id !== id) throw new Error('the stored record names another credential');
  return result.credential;
}

async function assertion(keys, record, signCount, tamper) {
  const challenge = bytesToBase64Url(random(32));
  const clientDataJSON = clientData('webauthn.get', challenge);
  const authData = concat(await sha256(text(RP_ID)), Uint8Array.of(FLAG_UP | FLAG_UV), uint32(signCount));
  const signature = await signDer(keys.privateKey, concat(authData, await sha256(clientDataJSON)));
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

/** Runs the fresh ceremonies; one entry per check, `pass` with the reason when it did not. */
export async function runFreshCeremonies() {
  const keys = await subtle.generateKey({ name: 'ECDSA', namedCurve: 'P-256' }, true, ['sign', 'verify']);
  const credentialId = random(32);
  let record;
  const results = [];
  results.push(
    await check('registration (packed self, ES256)', async () => {
      record = await register(keys, credentialId);
    }),
  );
  results.push(
    await check('sign-in with the stored record', async () => {
      if (record === undefined) throw new Error('no record: the registration failed');
      const result = await assertion(keys, record, 1, false);
      if (result.counter !== 'increased' || result.credential.signCount !== 1 || !result.userVerified) {
        throw new Error(`unexpected result: counter ${result.counter}, signCount ${result.credential.signCount}`);
      }
    }),
  );
  results.push(
    await check('sign-in with a flipped signature bit → ERR_SIGNATURE_INVALID', async () => {
      if (record === undefined) throw new Error('no record: the registration failed');
      const outcome = await assertion(keys, record, 2, true).then(
        () => 'accepted',
        (error) => (error instanceof WebAuthnError ? error.code : `foreign ${error?.name}`),
      );
      if (outcome !== 'ERR_SIGNATURE_INVALID') throw new Error(`expected ERR_SIGNATURE_INVALID, got ${outcome}`);
    }),
  );
  return results;
}
