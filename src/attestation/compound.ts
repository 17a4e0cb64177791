/**
 * §8.9 compound: attStmt is an array of at least two non-compound `{fmt, attStmt}` statements,
 * each verified by its own format's procedure over the same authData and clientDataHash.
 *
 * Structure is always strict (whatever the policy): fewer than two entries, an entry that is not
 * exactly `{fmt: text, attStmt: map}`, a nested compound, an unsupported or disallowed sub-format
 * reject. How failures of well-formed sub-statements count is the caller's policy
 * (`AttestationPolicyOptions.compound`): `all` rethrows the first failure, `any` records it.
 * Trust is evaluated per sub-statement by the ceremony (policy/trust.ts `evaluateCompoundTrust`).
 */
import { fail, isWebAuthnError } from '../errors.js';
import { chargeCertificates, createAttestationBudget } from './statement-fields.js';
import type {
  AttestationContext,
  AttestationFormat,
  AttestationStatementVerifier,
  CompoundEntryOutcome,
  StatementVerification,
} from './types.js';

const STEP = '8.9';
/** More entries than any authenticator has a reason to produce (checklist §5: bounded input). */
export const MAX_COMPOUND_ENTRIES = 8;

function invalid(message: string, field: string): never {
  return fail('ERR_ATTESTATION_STATEMENT_INVALID', message, { step: STEP, details: { field } });
}

interface Entry {
  readonly fmt: AttestationFormat;
  readonly attStmt: ReadonlyMap<unknown, unknown>;
  readonly verifier: AttestationStatementVerifier;
}

function readEntries(
  entries: readonly unknown[] | undefined,
  lookup: (fmt: string) => AttestationStatementVerifier | undefined,
  allowed: readonly AttestationFormat[] | undefined,
): Entry[] {
  if (entries === undefined) invalid('compound attStmt is not an array of statements', 'attStmt');
  if (entries.length < 2) invalid(`compound attStmt has ${entries.length} statement(s); at least 2 are required`, 'attStmt');
  if (entries.length > MAX_COMPOUND_ENTRIES) invalid(`compound attStmt has more than ${MAX_COMPOUND_ENTRIES} statements`, 'attStmt');
  return entries.map((entry, index) => {
    const field = `attStmt[${index}]`;
    if (!(entry instanceof Map)) invalid(`compound ${field} is not a map`, field);
    for (const key of entry.keys()) {
      if (key !== 'fmt' && key !== 'attStmt') invalid(`compound ${field} has an unexpected member ${JSON.stringify(String(key).slice(0, 32))}`, `${field}.${String(key).slice(0, 32)}`);
    }
    const fmt = entry.get('fmt');
    if (typeof fmt !== 'string' || fmt.length === 0) invalid(`compound ${field}.fmt is missing or not a text string`, `${field}.fmt`);
    const attStmt = entry.get('attStmt');
    if (fmt === 'compound') {
      fail('ERR_COMPOUND_NESTED', `compound ${field} is itself a compound statement`, { step: STEP, details: { field: `${field}.fmt` } });
    }
    if (!(attStmt instanceof Map)) invalid(`compound ${field}.attStmt is missing or not a map`, `${field}.attStmt`);
    const verifier = lookup(fmt);
    if (verifier === undefined) {
      fail('ERR_ATTESTATION_FORMAT_UNSUPPORTED', `Unsupported attestation statement format ${JSON.stringify(fmt.slice(0, 64))} in ${field}`, {
        step: STEP,
        details: { field: `${field}.fmt`, received: fmt.slice(0, 64) },
      });
    }
    if (allowed !== undefined && !allowed.includes(fmt as AttestationFormat)) {
      fail('ERR_ATTESTATION_FORMAT_NOT_ALLOWED', `Attestation format ${JSON.stringify(fmt)} in ${field} is not allowed`, {
        step: STEP,
        details: { field: `${field}.fmt`, received: fmt },
      });
    }
    return { fmt: fmt as AttestationFormat, attStmt, verifier };
  });
}

/**
 * The compound verifier, given the registry lookup of the other formats (a factory, so that
 * compound.ts does not import the registry that lists it).
 */
export function createCompoundVerifier(lookup: (fmt: string) => AttestationStatementVerifier | undefined): AttestationStatementVerifier {
  return async (context: AttestationContext): Promise<StatementVerification> => {
    const mode = context.options?.compound ?? 'all';
    const entries = readEntries(context.compoundEntries, lookup, context.options?.formats);
    const outcomes: CompoundEntryOutcome[] = [];
    // Checklist §5: one certificate budget for the whole registration, across sub-statements,
    // charged with every x5c before anything is parsed or verified (a refusal costs nothing).
    const budget = createAttestationBudget();
    for (const entry of entries) {
      const x5c = entry.attStmt.get('x5c');
      if (Array.isArray(x5c)) chargeCertificates(budget, x5c.length, STEP);
    }
    for (const entry of entries) {
      try {
        const statement = await entry.verifier({
          attStmt: entry.attStmt,
          authData: context.authData,
          clientDataHash: context.clientDataHash,
          credentialKey: context.credentialKey,
          now: context.now,
          options: context.options,
          budget,
        });
        outcomes.push({ fmt: entry.fmt, statement });
      } catch (error) {
        // A registration over its cost cap is refused whatever the policy.
        if (mode === 'all' || !isWebAuthnError(error) || error.code === 'ERR_ATTESTATION_TOO_COSTLY') throw error;
        outcomes.push({ fmt: entry.fmt, error });
      }
    }
    // The top-level facts are filled in by the ceremony after trust evaluation.
    return { type: 'none', trustPath: [], compound: outcomes };
  };
}
