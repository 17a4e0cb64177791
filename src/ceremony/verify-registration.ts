/**
 * §7.1 Registering a New Credential.
 *
 * Every check of the spec, in its order; the relying party still has to refuse a credential id
 * that is already registered (§7.1 step 26) — nothing here can know its database.
 */
import { getAttestationVerifier } from '../attestation/index.js';
import type { AttestationFormat, AttestationType, StatementVerification } from '../attestation/types.js';
import { backend } from '../crypto/backend.js';
import { decodeCoseKey } from '../crypto/validate-key.js';
import { bytesToBase64Url } from '../encoding/base64url.js';
import { bytesToUuid, equalBytes } from '../encoding/bytes.js';
import { asWebAuthnError, fail } from '../errors.js';
import { parseAttestationObject } from '../parse/attestation-object.js';
import { parseClientDataJSON } from '../parse/client-data.js';
import { checkChallenge } from '../policy/challenge.js';
import { checkUserPresent, checkUserVerified } from '../policy/flags.js';
import { checkCrossOrigin, checkOrigin } from '../policy/origin.js';
import { checkRpIdHash } from '../policy/rp-id.js';
import type { VerifiedMetadata } from '../metadata/index.js';
import { type AttestationMetadataFacts, type MetadataPolicy, evaluateMetadataPolicy } from '../metadata/registration-policy.js';
import {
  type AttestationRequirement,
  type CompoundPassed,
  type TrustEvaluation,
  type TrustPathFacts,
  evaluateCompoundTrust,
  evaluateTrust,
} from '../policy/trust.js';
import type {
  AuthenticatorData,
  AuthenticatorExtensionOutputs,
  ClientData,
  ClientExtensionResults,
  CredentialRecord,
  RegistrationResponseJSON,
} from '../types.js';
import type { RevocationOptions, TrustAnchorInput } from '../x509/index.js';
import type { CeremonyExpectations } from './expectations.js';
import { RESPONSE, readList } from './input.js';
import { readRegistrationExpectations } from './registration-expectations.js';
import { RESPONSE_LIMITS, checkCredentialEnvelope, requireBase64UrlField } from './response-fields.js';

/** What the relying party accepts as attestation. */
export interface AttestationExpectations {
  /**
   * Root (or intermediate) certificates that attestation may chain to: PEM text or DER bytes, or
   * `{ certificate, validFrom?, validUntil?, label? }` entries with a validity window of their own
   * (rotation, docs/trust.md).
   */
  readonly trustAnchors?: readonly TrustAnchorInput[] | undefined;
  /**
   * `valid` (default): every statement must verify; an untrusted chain is reported
   * (`trusted: false`), not rejected. `trusted`: the path must reach an anchor (none and self
   * attestation are refused). `none`: the statement is not verified; the result reports its real
   * format with `verified: false` (type `none`, untrusted), and the record stores that format.
   */
  readonly require?: AttestationRequirement | undefined;
  /** The formats accepted; default every supported one. */
  readonly formats?: readonly AttestationFormat[] | undefined;
  /** CRLs to check the path against (off by default; no network is ever used). */
  readonly revocation?: RevocationOptions | undefined;
  /**
   * android-key (§8.4): check origin = generated and purpose ∋ sign in teeEnforced only (`tee`,
   * default), or in the union of softwareEnforced and teeEnforced (`union`, software-backed keys).
   */
  readonly androidKey?: 'tee' | 'union' | undefined;
  /**
   * tpm (§8.3.1): `requireKnownManufacturer` refuses AIK certificates whose TPM manufacturer is not
   * on the TCG vendor list (off by default; the result always reports whether it is).
   */
  readonly tpm?: { readonly requireKnownManufacturer?: boolean | undefined } | undefined;
  /** android-safetynet (§8.5): the largest age of the SafetyNet response at `now` (default 60 s). */
  readonly safetyNet?: { readonly maxAgeMs?: number | undefined } | undefined;
  /**
   * compound (§8.9): `all` (default) — every sub-statement must verify (and, under require
   * `trusted`, be trusted); `any` — at least one must, the others are reported in
   * `details.failures`. Malformed structure always rejects (docs/spec-coverage.md §8.9).
   */
  readonly compound?: 'all' | 'any' | undefined;
  /**
   * A verified FIDO metadata snapshot (docs/metadata.md). With it, the attestation must be
   * vouched for by the authenticator's own entry — its path reaching that entry's
   * attestationRootCertificates (AAGUID-scoped; `none`/`self` never qualify) — else
   * `ERR_METADATA_UNTRUSTED`; status reports in effect are checked (`ERR_METADATA_STATUS`). A
   * vouched attestation is `trusted`, and the result carries `attestation.metadata`.
   */
  readonly metadata?: VerifiedMetadata | undefined;
  /** The metadata policy: `requireMetadata` (default true), `undesiredStatuses`, `minimumCertification`. */
  readonly policy?: MetadataPolicy | undefined;
}

/** What the relying party expects of a registration (§7.1). */
export interface RegistrationExpectations extends CeremonyExpectations {
  /**
   * The COSE algorithms of the creation options' pubKeyCredParams (§7.1 step 20); default every
   * supported algorithm except RS1.
   */
  readonly algorithms?: readonly number[] | undefined;
  /** Trust anchors, the trust requirement and the per-format policies (§7.1 steps 21–24). */
  readonly attestation?: AttestationExpectations | undefined;
  /** `conditional` when the credential was created with conditional mediation (UP not required, §7.1 step 15). */
  readonly mediation?: 'conditional' | 'required' | 'optional' | 'silent' | undefined;
  /** The time for every certificate check; default now. */
  readonly now?: Date | undefined;
  /**
   * Quirk (docs/quirks.md): accept an EC2 credential key without `crv` when its algorithm fixes
   * the curve (-7, -35, -36). The stored key keeps its bytes, so sign-in needs the same option.
   */
  readonly allowLegacyKeyWithoutCurve?: boolean | undefined;
}

/** The attestation facts of a registration. Validity and trust are separate answers. */
export interface AttestationResult {
  /** The attestation statement format of the response (`fmt`), verified or not. */
  readonly format: AttestationFormat;
  /**
   * Whether the statement was verified (§7.1 steps 21–22). False only under `require: 'none'`:
   * then `format` is still the real one (e.g. `packed`), but nothing was concluded from the
   * statement — `type` is `none`, `trustPath` empty, `trusted` false.
   */
  readonly verified: boolean;
  /** The attestation type the verified statement established; `none` when it was not verified. */
  readonly type: AttestationType;
  /** The attestation certificates (DER), leaf first; empty for none and self. */
  readonly trustPath: readonly Uint8Array[];
  /** True only when the path reached one of the caller's trust anchors. */
  readonly trusted: boolean;
  /** DER of the anchor the path reached. */
  readonly trustAnchor?: Uint8Array | undefined;
  /**
   * What path building established (certificate-based types only): the anchor's label, why the
   * path is untrusted (`no-anchors`, `no-path`, `anchor-expired`, `anchor-not-yet-valid` with the
   * anchor), and the x5c certificates the path did not use (docs/trust.md).
   */
  readonly trustFacts?: TrustPathFacts | undefined;
  /** The AAGUID of the authenticator data (an unattested claim under none and self attestation). */
  readonly aaguid: string;
  /**
   * Facts the format established beyond the verdict (tpm: the TPM manufacturer, model, version;
   * compound under `any`: `failures`, the sub-statements that did not pass, with their codes).
   */
  readonly details?: Readonly<Record<string, unknown>> | undefined;
  /**
   * compound (§8.9) only: the result of each sub-statement that passed, in attStmt order. The
   * compound's own type, trustPath, trusted and trustAnchor are those of the strongest of them
   * (trusted first, then certificate-based over self over none, then attStmt order).
   */
  readonly statements?: readonly AttestationResult[] | undefined;
  /**
   * Under `attestation.metadata`, when the authenticator's entry vouched for the attestation: its
   * description (the authenticator's name), icon, current status and certification level, how it
   * was matched and the entry root reached.
   */
  readonly metadata?: AttestationMetadataFacts | undefined;
}

/** The facts established by a successful registration. */
export interface RegistrationResult {
  /**
   * The credential record to store (§7.1 step 27) — after checking that no account holds a
   * credential with this id already (§7.1 step 26).
   */
  readonly credential: CredentialRecord;
  /** What the attestation statement established: format, type, trust (validity and trust are separate). */
  readonly attestation: AttestationResult;
  /** The parsed authenticator data of the attestation object (`raw`: the exact bytes). */
  readonly authenticatorData: AuthenticatorData;
  /** The parsed client data. */
  readonly clientData: ClientData;
  /** The expected RP ID whose hash matched. */
  readonly rpId: string;
  /** The origin of clientData (one of the expected ones). */
  readonly origin: string;
  /** The UV flag: the authenticator verified the user. */
  readonly userVerified: boolean;
  /** Authenticator extension outputs (§9), empty when there were none. */
  readonly extensions: AuthenticatorExtensionOutputs;
  /** The client extension results as the browser sent them (not signed by the authenticator). */
  readonly clientExtensionResults: ClientExtensionResults;
}

const NO_EXTENSIONS: AuthenticatorExtensionOutputs = Object.freeze(Object.create(null));
const MAX_TRANSPORTS = 16;
const ATTESTATION_RESPONSE_KEYS: readonly string[] = Object.freeze(['clientDataJSON', 'attestationObject', 'authenticatorData', 'transports']);

/**
 * Verifies a registration (WebAuthn L3 §7.1) and its attestation statement (§8).
 *
 * Resolves with the credential record to store and the attestation facts, or rejects with a
 * {@link WebAuthnError} naming the failed step. The caller must still reject a credential id that
 * is already registered to any user (§7.1 step 26) and must have consumed the challenge.
 *
 * Every member of the response and the expectations is read exactly once (the stored record holds
 * exactly the bytes verified), and every byte array of the result is the library's own.
 *
 * @throws {WebAuthnError} (as a rejection) the code of the failed check; `ERR_OPTIONS_INVALID`
 * naming the member for wrongly typed or unknown expectations (an entry of `trustAnchors` that is
 * not a certificate included); `ERR_CALLBACK_FAILED` when a predicate or getter of the caller
 * throws, rejects or answers a non-boolean.
 */
export async function verifyRegistrationResponse(
  response: RegistrationResponseJSON,
  expected: RegistrationExpectations,
): Promise<RegistrationResult> {
  try {
    return await verify(response, expected);
  } catch (error) {
    throw asWebAuthnError(error);
  }
}

function readTransports(value: unknown): readonly string[] | undefined {
  if (value === undefined) return undefined;
  const list = readList(value, RESPONSE, 'response.transports');
  if (list === undefined || list.length > MAX_TRANSPORTS || !list.every((t) => typeof t === 'string' && t.length <= 32)) {
    fail('ERR_RESPONSE_MALFORMED', 'response.transports must be a short list of strings', {
      step: '7.1.3',
      details: { field: 'response.transports' },
    });
  }
  // Unknown values are kept: §5.8.4 lets clients report transports newer than this library.
  return Object.freeze([...new Set(list as string[])]);
}

async function verify(response: unknown, expectations: unknown): Promise<RegistrationResult> {
  const expected = readRegistrationExpectations(expectations);
  const now = expected.now;
  const policy = expected.attestation;
  const requirement = policy.require;

  // §7.1 steps 3–4: the response is an attestation response. Each member is read once: the
  // stored record holds exactly the text whose bytes were verified.
  const envelope = checkCredentialEnvelope(response, '7.1.3', '7.1.25', ATTESTATION_RESPONSE_KEYS);
  const fields = envelope.response;
  const [clientDataText, attestationText, authenticatorDataText, transportsValue] = fields;
  const clientDataBytes = requireBase64UrlField(clientDataText, 'response.clientDataJSON', RESPONSE_LIMITS.clientDataJSON, '7.1.3');
  const attestationBytes = requireBase64UrlField(attestationText, 'response.attestationObject', RESPONSE_LIMITS.attestationObject, '7.1.3');
  const transports = readTransports(transportsValue);

  // §7.1 step 13 (decoded first so that the credential id can be matched): fmt, attStmt, authData.
  const attestationObject = parseAttestationObject(attestationBytes);
  const authData = attestationObject.authData;
  const attested = authData.attestedCredentialData;
  if (!authData.flags.at || attested === undefined) {
    fail('ERR_ATTESTED_CREDENTIAL_MISSING', 'The authenticator data of a registration must carry attested credential data (AT)', {
      step: '7.1.13',
    });
  }
  if (authenticatorDataText !== undefined) {
    const copy = requireBase64UrlField(authenticatorDataText, 'response.authenticatorData', RESPONSE_LIMITS.authenticatorData, '7.1.3');
    if (!equalBytes(copy, authData.raw)) {
      fail('ERR_RESPONSE_MALFORMED', 'response.authenticatorData differs from the authData of the attestationObject', {
        step: '7.1.3',
        details: { field: 'response.authenticatorData' },
      });
    }
  }
  // id = rawId = the attested credential id.
  if (envelope.id !== bytesToBase64Url(attested.credentialId)) {
    fail('ERR_CREDENTIAL_ID_MISMATCH', 'rawId is not the credential id of the attested credential data', {
      step: '7.1.3',
      details: { field: 'rawId' },
    });
  }

  // §7.1 steps 5–11: clientData.
  const clientData = parseClientDataJSON(clientDataBytes);
  if (clientData.type !== 'webauthn.create') {
    fail('ERR_CLIENTDATA_TYPE', `clientData.type is ${JSON.stringify(clientData.type.slice(0, 64))}, not "webauthn.create"`, {
      step: '7.1.7',
      details: { field: 'type', expected: 'webauthn.create', received: clientData.type.slice(0, 64) },
    });
  }
  await checkChallenge(clientData.challenge, expected.challenge, '7.1.8');
  const origin = checkOrigin(clientData.origin, expected.origin, '7.1.9');
  checkCrossOrigin(clientData, expected, { crossOrigin: '7.1.10', topOrigin: '7.1.11' });
  // §7.1 step 12: hash = SHA-256(clientDataJSON).
  const clientDataHash = backend.hash('SHA-256', clientDataBytes);

  // §7.1 steps 14–19: authenticator data.
  const rpId = checkRpIdHash(authData.rpIdHash, expected.rpId, '7.1.14');
  const flags = authData.flags;
  if (expected.mediation !== 'conditional') checkUserPresent(flags, '7.1.15');
  checkUserVerified(flags, expected.userVerification, '7.1.16');
  // §7.1 step 17 (BS without BE) is refused by parseAuthenticatorData.

  // §7.1 step 20: the credential public key is valid (even for fmt none) and its alg was offered.
  const credentialKey = decodeCoseKey(
    attested.credentialPublicKey,
    expected.allowLegacyKeyWithoutCurve ? { allowLegacyKeyWithoutCurve: true } : undefined,
  );
  if (!expected.algorithms.includes(credentialKey.alg)) {
    fail('ERR_ALG_NOT_ALLOWED', `The credential algorithm ${credentialKey.alg} was not offered`, {
      step: '7.1.20',
      details: { field: 'alg', received: credentialKey.alg },
    });
  }

  // §7.1 step 21: the format, case-sensitively, from the registry and the caller's list.
  const fmt = attestationObject.fmt;
  const verifier = getAttestationVerifier(fmt);
  if (verifier === undefined) {
    fail('ERR_ATTESTATION_FORMAT_UNSUPPORTED', `Unsupported attestation statement format ${JSON.stringify(fmt.slice(0, 64))}`, {
      step: '7.1.21',
      details: { field: 'fmt', received: fmt.slice(0, 64) },
    });
  }
  if (policy.formats !== undefined && !policy.formats.includes(fmt as AttestationFormat)) {
    fail('ERR_ATTESTATION_FORMAT_NOT_ALLOWED', `Attestation format ${JSON.stringify(fmt)} is not allowed`, {
      step: '7.1.21',
      details: { field: 'fmt', received: fmt },
    });
  }

  // §7.1 steps 22–24: the format's verification procedure, then trust.
  const aaguid = bytesToUuid(attested.aaguid);
  let attestation: AttestationResult;
  if (requirement === 'none') {
    // Not verified: the real format is reported (and stored) with `verified: false`, and nothing
    // is concluded from the statement — type none, no trust path, untrusted.
    attestation = { format: fmt as AttestationFormat, verified: false, type: 'none', trustPath: [], trusted: false, aaguid };
  } else {
    const attStmt = attestationObject.attStmt;
    const statement = await verifier({
      attStmt: Array.isArray(attStmt) ? new Map() : (attStmt as ReadonlyMap<unknown, unknown>),
      ...(Array.isArray(attStmt) ? { compoundEntries: attStmt } : {}),
      authData,
      clientDataHash,
      credentialKey,
      now,
      options: {
        androidKey: policy.androidKey,
        tpmRequireKnownManufacturer: policy.tpmRequireKnownManufacturer,
        safetyNetMaxAgeMs: policy.safetyNetMaxAgeMs,
        compound: policy.compound,
        formats: policy.formats,
      },
    });
    const trustOptions = { trustAnchors: policy.trustAnchors, require: requirement, now, revocation: policy.revocation };
    const metadataExpectations = policy.metadata;
    const vouchedBy = (verified: StatementVerification) =>
      metadataExpectations === undefined
        ? Promise.resolve(undefined)
        : evaluateMetadataPolicy(verified, { expectations: metadataExpectations, aaguid: attested.aaguid, now, revocation: policy.revocation });
    if (statement.compound !== undefined) {
      const { passed, failed } = await evaluateCompoundTrust(statement.compound, { ...trustOptions, mode: policy.compound ?? 'all' });
      const primary = strongest(passed);
      const vouched = await vouchedBy(primary.statement);
      attestation = {
        ...withMetadata(attestationResult('compound', primary.statement, primary.trust, aaguid), vouched),
        ...(failed.length === 0
          ? {}
          : { details: { failures: failed.map((f) => ({ index: f.index, fmt: f.fmt, code: f.error.code, message: f.error.message })) } }),
        statements: passed.map((p) => attestationResult(p.fmt, p.statement, p.trust, aaguid)),
      };
    } else {
      // Metadata first: an attestation its entry vouches for needs no caller anchor to be trusted.
      const vouched = await vouchedBy(statement);
      const trust = await evaluateTrust(statement, vouched === undefined ? trustOptions : { ...trustOptions, require: 'valid' });
      attestation = withMetadata(attestationResult(fmt as AttestationFormat, statement, trust, aaguid), vouched);
    }
  }

  // §7.1 step 27: the credential record.
  const credential: CredentialRecord = {
    id: envelope.id,
    publicKey: bytesToBase64Url(attested.credentialPublicKey),
    algorithm: credentialKey.alg,
    signCount: authData.signCount,
    ...(transports === undefined ? {} : { transports }),
    uvInitialized: flags.uv,
    backupEligible: flags.be,
    backupState: flags.bs,
    aaguid,
    attestationFormat: attestation.format,
    attestationObject: attestationText as string,
    attestationClientDataJSON: clientDataText as string,
    rpId,
  };
  return {
    credential,
    attestation,
    authenticatorData: authData,
    clientData,
    rpId,
    origin,
    userVerified: flags.uv,
    extensions: authData.extensions ?? NO_EXTENSIONS,
    clientExtensionResults: envelope.clientExtensionResults,
  };
}

function attestationResult(
  format: AttestationFormat,
  statement: StatementVerification,
  trust: TrustEvaluation,
  aaguid: string,
): AttestationResult {
  return {
    format,
    verified: true,
    type: statement.type,
    // Copies: parsed certificates are cached and shared by requests (results own their bytes).
    trustPath: statement.trustPath.map((cert) => new Uint8Array(cert.der)),
    trusted: trust.trusted,
    ...(trust.trustAnchor === undefined ? {} : { trustAnchor: trust.trustAnchor }),
    ...(trust.path === undefined ? {} : { trustFacts: trust.path }),
    aaguid,
    ...(statement.facts === undefined ? {} : { details: statement.facts }),
  };
}

/** Adds what the metadata established: trusted, the entry root as anchor when no caller anchor was reached. */
function withMetadata(result: AttestationResult, vouched: Awaited<ReturnType<typeof evaluateMetadataPolicy>>): AttestationResult {
  if (vouched === undefined) return result;
  return {
    ...result,
    trusted: true,
    trustAnchor: result.trusted ? result.trustAnchor : new Uint8Array(vouched.trustAnchor),
    metadata: vouched.facts,
  };
}

const TYPE_STRENGTH: Readonly<Record<AttestationType, number>> = { none: 0, self: 1, basic: 2, attca: 2, anonca: 2 };

/** §8.9: the passed sub-statement that speaks for the compound (trusted, then by type, then first). */
function strongest(passed: readonly CompoundPassed[]): CompoundPassed {
  let best = passed[0] as CompoundPassed;
  const score = (p: CompoundPassed) => (p.trust.trusted ? 10 : 0) + TYPE_STRENGTH[p.statement.type];
  for (const candidate of passed) if (score(candidate) > score(best)) best = candidate;
  return best;
}
