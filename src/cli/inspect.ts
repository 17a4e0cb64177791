/**
 * `webauthn-verify inspect <file|->`: recognises what the input is (a response, a vector, a bare
 * attestationObject / authenticatorData / clientDataJSON, a certificate) and prints it annotated.
 * Exit status 0 when every part decoded, 1 when some part is malformed (shown in place).
 */
import { base64UrlToBytes, parseCertificate, parseCertificateInput, parseTrustAnchors } from '../low-level.js';
import { describeCertificateBytes } from './describe-certificate.js';
import { describeCoseKey } from './describe-cose.js';
import { errorNode, hasError, plainValue } from './describe-values.js';
import {
  type DescribeContext,
  describeAttestationObject,
  describeAuthenticationResponse,
  describeAuthenticatorData,
  describeClientData,
  describeRegistrationResponse,
} from './describe-webauthn.js';
import { type JsonValue, renderTree } from './format.js';
import { type CliIo, CliInputError } from './io.js';
import { readTarget } from './read-input.js';
import { looksLikeVector, type Vector, vectorProblem } from './vector.js';

export type InputKind =
  | 'vector'
  | 'registration-response'
  | 'authentication-response'
  | 'attestation-object'
  | 'authenticator-data'
  | 'client-data-json'
  | 'certificate';

const TITLES: Record<InputKind, string> = {
  vector: 'Interop vector',
  'registration-response': 'RegistrationResponseJSON',
  'authentication-response': 'AuthenticationResponseJSON',
  'attestation-object': 'attestationObject',
  'authenticator-data': 'authenticatorData',
  'client-data-json': 'clientDataJSON',
  certificate: 'X.509 certificate',
};

export interface Inspection {
  readonly kind: InputKind;
  readonly value: JsonValue;
}

const isObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

function describeVector(vector: Vector): JsonValue {
  const context: DescribeContext = vector.verificationTime === null ? {} : { now: new Date(vector.verificationTime) };
  const out: Record<string, JsonValue> = {
    vector: plainValue({
      id: vector.id,
      description: vector.description,
      ceremony: vector.ceremony,
      attestationFormat: vector.attestationFormat,
      alg: vector.alg,
      outcome: vector.outcome,
      ...(vector.invalidReason === undefined ? {} : { invalidReason: vector.invalidReason }),
      ...(vector.expectedError === undefined || vector.expectedError === null ? {} : { expectedError: vector.expectedError }),
      expected: vector.expected,
      verificationTime: vector.verificationTime,
    }),
    response:
      vector.ceremony === 'registration'
        ? describeRegistrationResponse(vector.response, context)
        : describeAuthenticationResponse(vector.response),
  };
  const credential = vector.credential;
  if (credential !== undefined && credential !== null) {
    let publicKey: JsonValue;
    try {
      publicKey = describeCoseKey(base64UrlToBytes(credential.publicKey));
    } catch (error) {
      publicKey = errorNode(error);
    }
    out.credential = { id: credential.id, signCount: credential.signCount, publicKey };
  }
  out.trustAnchors = vector.trustAnchors.map((pem) => describeCertificateBytes(() => parseCertificateInput(pem), context.now));
  return out;
}

function inspectJson(json: unknown): Inspection {
  if (looksLikeVector(json)) {
    const problem = vectorProblem(json);
    if (problem !== undefined) throw new CliInputError(`not a usable vector: ${problem}`);
    return { kind: 'vector', value: describeVector(json as Vector) };
  }
  if (isObject(json) && isObject(json.response)) {
    const response = json as Vector['response'];
    if (typeof response.response.attestationObject === 'string') {
      return { kind: 'registration-response', value: describeRegistrationResponse(response) };
    }
    if (typeof response.response.authenticatorData === 'string' && typeof response.response.signature === 'string') {
      return { kind: 'authentication-response', value: describeAuthenticationResponse(response) };
    }
  }
  throw new CliInputError(
    'unknown JSON shape: expected a RegistrationResponseJSON, an AuthenticationResponseJSON or an interop vector',
  );
}

const BINARY_KINDS: readonly { kind: InputKind; looks: (b: Uint8Array) => boolean; describe: (b: Uint8Array) => JsonValue }[] = [
  { kind: 'client-data-json', looks: (b) => b[0] === 0x7b, describe: describeClientData },
  // A CBOR map (major type 5) is the only top-level shape an attestationObject can have.
  { kind: 'attestation-object', looks: (b) => ((b[0] ?? 0) & 0xe0) === 0xa0, describe: (b) => describeAttestationObject(b) },
  { kind: 'certificate', looks: (b) => b[0] === 0x30, describe: (b) => describeCertificateBytes(() => parseCertificate(b)) },
  { kind: 'authenticator-data', looks: (b) => b.length >= 37, describe: describeAuthenticatorData },
];

/**
 * authenticatorData starts with an arbitrary hash, so its first byte can imitate any other kind:
 * the first kind that decodes wins, and only when none does is the likeliest one shown with its error.
 */
function inspectBytes(bytes: Uint8Array): Inspection {
  for (const candidate of BINARY_KINDS) {
    if (!candidate.looks(bytes)) continue;
    const value = candidate.describe(bytes);
    if (!hasError(value)) return { kind: candidate.kind, value };
  }
  const likeliest = BINARY_KINDS.find((candidate) => candidate.looks(bytes));
  if (likeliest === undefined) throw new CliInputError('unknown input: not JSON, PEM, or any WebAuthn structure');
  return { kind: likeliest.kind, value: likeliest.describe(bytes) };
}

function decodeUtf8(bytes: Uint8Array): string | undefined {
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    return undefined;
  }
}

/** Recognises and describes one input. Throws {@link CliInputError} when it is none of the known kinds. */
export function inspectInput(bytes: Uint8Array): Inspection {
  if (bytes.length === 0) throw new CliInputError('empty input');
  const text = decodeUtf8(bytes)?.trim();
  if (text === undefined || text.length === 0) return inspectBytes(bytes);
  if (text.startsWith('-----BEGIN')) {
    try {
      const certificates = parseTrustAnchors([text]);
      const described = certificates.map((cert) => describeCertificateBytes(() => cert));
      return { kind: 'certificate', value: described.length === 1 ? (described[0] as JsonValue) : described };
    } catch (error) {
      return { kind: 'certificate', value: errorNode(error) };
    }
  }
  if (text.startsWith('{') || text.startsWith('[')) {
    let json: unknown;
    try {
      json = JSON.parse(text);
    } catch (error) {
      throw new CliInputError(`input is not valid JSON: ${(error as Error).message}`);
    }
    return inspectJson(json);
  }
  if (/^[A-Za-z0-9_-]+$/.test(text)) {
    let decoded: Uint8Array;
    try {
      decoded = base64UrlToBytes(text);
    } catch {
      throw new CliInputError('input looks like base64url but is not canonical unpadded base64url');
    }
    return inspectBytes(decoded);
  }
  if (/^[A-Za-z0-9+/=\s]+$/.test(text)) {
    return { kind: 'certificate', value: describeCertificateBytes(() => parseCertificateInput(text)) };
  }
  return inspectBytes(bytes);
}

export async function runInspect(target: string, json: boolean, io: CliIo): Promise<number> {
  const inspection = inspectInput(await readTarget(target, io));
  if (json) {
    io.stdout(`${JSON.stringify({ input: target, kind: inspection.kind, value: inspection.value }, null, 2)}\n`);
  } else {
    io.stdout(renderTree(`${TITLES[inspection.kind]} (${target === '-' ? 'stdin' : target})`, inspection.value));
  }
  return hasError(inspection.value) ? 1 : 0;
}
