/** The WebAuthn structures (clientDataJSON, authenticatorData, attestationObject, responses) as JSON models. */
import {
  base64UrlToBytes,
  parseAttestationObject,
  parseAuthenticatorData,
  parseCertificate,
  parseClientDataJSON,
} from '../low-level.js';
import type { AuthenticatorData } from '../index.js';
import { describeCertificateBytes } from './describe-certificate.js';
import { algorithmLabel, describeCoseKey } from './describe-cose.js';
import { bytesNode, errorNode, plainValue } from './describe-values.js';
import { type JsonValue, toHex } from './format.js';

/** Where a certificate's validity is judged: a vector's verificationTime, else the present. */
export interface DescribeContext {
  readonly now?: Date | undefined;
}

function guarded(describe: () => JsonValue): JsonValue {
  try {
    return describe();
  } catch (error) {
    return errorNode(error);
  }
}

function uuid(bytes: Uint8Array): string {
  const hex = toHex(bytes);
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

export function describeClientData(bytes: Uint8Array): JsonValue {
  return guarded(() => {
    const clientData = parseClientDataJSON(bytes);
    const out: Record<string, JsonValue> = {};
    for (const [key, value] of Object.entries(clientData.members)) out[key] = plainValue(value);
    out.length = bytes.length;
    return out;
  });
}

function describeAuthData(authData: AuthenticatorData): JsonValue {
  const { flags } = authData;
  const out: Record<string, JsonValue> = {
    length: authData.raw.length,
    rpIdHash: toHex(authData.rpIdHash),
    flags: {
      raw: `0x${flags.raw.toString(16).padStart(2, '0')}`,
      'UP (user present)': flags.up,
      'UV (user verified)': flags.uv,
      'BE (backup eligible)': flags.be,
      'BS (backup state)': flags.bs,
      'AT (attested credential data)': flags.at,
      'ED (extension data)': flags.ed,
    },
    signCount: authData.signCount,
  };
  const attested = authData.attestedCredentialData;
  if (attested !== undefined) {
    out.attestedCredentialData = {
      aaguid: uuid(attested.aaguid),
      credentialId: bytesNode(attested.credentialId),
      credentialPublicKey: describeCoseKey(attested.credentialPublicKey),
    };
  }
  if (authData.extensions !== undefined) out.extensions = plainValue(authData.extensions);
  return out;
}

export function describeAuthenticatorData(bytes: Uint8Array): JsonValue {
  return guarded(() => describeAuthData(parseAuthenticatorData(bytes)));
}

function describeAttStmt(attStmt: ReadonlyMap<unknown, unknown>, context: DescribeContext): JsonValue {
  const out: Record<string, JsonValue> = {};
  for (const [key, value] of attStmt) {
    const name = String(key);
    if (name === 'alg') {
      out.alg = algorithmLabel(value);
    } else if (name === 'sig' && value instanceof Uint8Array) {
      out.sig = bytesNode(value, 'hex');
    } else if (name === 'x5c' && Array.isArray(value)) {
      out.x5c = value.map((der) =>
        der instanceof Uint8Array ? describeCertificateBytes(() => parseCertificate(der), context.now) : plainValue(der),
      );
    } else {
      out[name] = plainValue(value);
    }
  }
  return out;
}

export function describeAttestationObject(bytes: Uint8Array, context: DescribeContext = {}): JsonValue {
  return guarded(() => {
    const object = parseAttestationObject(bytes);
    return {
      length: bytes.length,
      fmt: object.fmt,
      attStmt: Array.isArray(object.attStmt)
        ? object.attStmt.map((entry: unknown) =>
            entry instanceof Map && entry.get('attStmt') instanceof Map
              ? { fmt: plainValue(entry.get('fmt')), attStmt: describeAttStmt(entry.get('attStmt'), context) }
              : plainValue(entry),
          )
        : describeAttStmt(object.attStmt as ReadonlyMap<unknown, unknown>, context),
      authData: describeAuthData(object.authData),
    };
  });
}

/** A base64url member of a response, decoded, or the decoding error in its place. */
function member(value: unknown, describe: (bytes: Uint8Array) => JsonValue): JsonValue {
  if (typeof value !== 'string') return errorNode(new Error('missing or not a string'));
  let bytes: Uint8Array;
  try {
    bytes = base64UrlToBytes(value);
  } catch (error) {
    return errorNode(error);
  }
  return describe(bytes);
}

type ResponseJson = { readonly [key: string]: unknown; readonly response: { readonly [key: string]: unknown } };

function envelope(json: ResponseJson): Record<string, JsonValue> {
  const out: Record<string, JsonValue> = {
    id: plainValue(json.id),
    rawId: member(json.rawId, (bytes) => bytesNode(bytes)),
    type: plainValue(json.type),
  };
  if (json.authenticatorAttachment !== undefined) out.authenticatorAttachment = plainValue(json.authenticatorAttachment);
  if (json.clientExtensionResults !== undefined) out.clientExtensionResults = plainValue(json.clientExtensionResults);
  return out;
}

export function describeRegistrationResponse(json: ResponseJson, context: DescribeContext = {}): JsonValue {
  const response = json.response;
  const out = envelope(json);
  out.clientDataJSON = member(response.clientDataJSON, describeClientData);
  out.attestationObject = member(response.attestationObject, (bytes) => describeAttestationObject(bytes, context));
  if (response.transports !== undefined) out.transports = plainValue(response.transports);
  if (response.publicKeyAlgorithm !== undefined) out.publicKeyAlgorithm = algorithmLabel(response.publicKeyAlgorithm);
  return out;
}

export function describeAuthenticationResponse(json: ResponseJson): JsonValue {
  const response = json.response;
  const out = envelope(json);
  out.clientDataJSON = member(response.clientDataJSON, describeClientData);
  out.authenticatorData = member(response.authenticatorData, describeAuthenticatorData);
  out.signature = member(response.signature, (bytes) => bytesNode(bytes, 'hex'));
  if (response.userHandle !== undefined && response.userHandle !== null) {
    out.userHandle = member(response.userHandle, (bytes) => bytesNode(bytes));
  }
  return out;
}
