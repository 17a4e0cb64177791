/** The contract every attestation statement format implements (one file per IANA format id). */
import type { WebAuthnError } from '../errors.js';
import type { CosePublicKey } from '../parse/cose-constants.js';
import type { AuthenticatorData } from '../types.js';
import type { ParsedCertificate } from '../x509/index.js';

/** Attestation statement format identifiers (IANA "WebAuthn Attestation Statement Format Identifiers"). */
export type AttestationFormat =
  | 'packed'
  | 'tpm'
  | 'android-key'
  | 'android-safetynet'
  | 'fido-u2f'
  | 'apple'
  | 'none'
  | 'compound';

/** §6.5.3 attestation types. */
export type AttestationType = 'none' | 'self' | 'basic' | 'attca' | 'anonca';

/** What a format's verification procedure receives (§7.1 step 22). */
export interface AttestationContext {
  readonly attStmt: ReadonlyMap<unknown, unknown>;
  /** compound (§8.9) only: the attStmt array of sub-statements (`attStmt` is then empty). */
  readonly compoundEntries?: readonly unknown[] | undefined;
  /** Parsed authenticator data; `attestedCredentialData` is present. */
  readonly authData: AuthenticatorData;
  readonly clientDataHash: Uint8Array;
  /** The credential public key, decoded and validated. */
  readonly credentialKey: CosePublicKey;
  /** The verification time for every certificate check. */
  readonly now: Date;
  /** Format policy choices of the caller. */
  readonly options?: AttestationPolicyOptions | undefined;
  /**
   * compound (§8.9) only: the certificates the whole registration may still parse beyond the
   * sub-statements' attStmt.x5c (already charged up front): SafetyNet's JWS x5c. Absent: each
   * format's own x5c bound applies (statement-fields.ts `chargeCertificates`).
   */
  readonly budget?: AttestationBudget | undefined;
}

/** What one registration may still spend on certificates (checklist §5, docs/security.md). */
export interface AttestationBudget {
  remainingCertificates: number;
}

/** Format-specific policy choices (see AttestationExpectations). */
export interface AttestationPolicyOptions {
  /**
   * §8.4: where android-key origin and purpose are checked: `tee` (default) in teeEnforced only,
   * `union` in softwareEnforced and teeEnforced together.
   */
  readonly androidKey?: 'tee' | 'union' | undefined;
  /**
   * §8.3.1: refuse an AIK certificate whose TPM manufacturer is not on the TCG vendor list. Off by
   * default: §8.3.1 does not require it, and test TPMs (and the W3C spec's vector) use other ids.
   */
  readonly tpmRequireKnownManufacturer?: boolean | undefined;
  /** §8.5: the largest age (ms) of a SafetyNet response at `now`; default 60 000. */
  readonly safetyNetMaxAgeMs?: number | undefined;
  /** §8.9: `all` (default) — every sub-statement must verify; `any` — at least one must. */
  readonly compound?: 'all' | 'any' | undefined;
  /** The formats the caller allows (sub-statements of compound are held to it too); default all. */
  readonly formats?: readonly AttestationFormat[] | undefined;
}

/** What a format's verification procedure establishes: the attestation type and its trust path. */
export interface StatementVerification {
  readonly type: AttestationType;
  /** The attestation certificates, leaf first (empty for none and self). */
  readonly trustPath: readonly ParsedCertificate[];
  /** Format-specific facts for a risk engine (e.g. the tpm manufacturer); never a verdict. */
  readonly facts?: Readonly<Record<string, unknown>> | undefined;
  /**
   * compound (§8.9) only: each sub-statement in order, verified (`statement`) or — under policy
   * `any` — failed (`error`). Trust is evaluated per sub-statement by the caller.
   */
  readonly compound?: readonly CompoundEntryOutcome[] | undefined;
}

/** One sub-statement of a compound statement. */
export interface CompoundEntryOutcome {
  readonly fmt: AttestationFormat;
  readonly statement?: StatementVerification | undefined;
  readonly error?: WebAuthnError | undefined;
}

/** A format's verification procedure. Rejects with a WebAuthnError when the statement is invalid. */
export type AttestationStatementVerifier = (context: AttestationContext) => Promise<StatementVerification>;
