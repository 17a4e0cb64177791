/** §7.1 steps 23–24: is the attestation trustworthy? Facts out; the caller's `require` decides. */
import type { StatementVerification } from '../attestation/types.js';
import { fail } from '../errors.js';
import { type RevocationOptions, parseTrustAnchors, validateCertificatePath } from '../x509/index.js';

/** How much attestation the relying party requires. */
export type AttestationRequirement = 'none' | 'valid' | 'trusted';

/** The outcome of trust evaluation. */
export interface TrustEvaluation {
  /** The path chained to (or is) one of the caller's anchors. Never true without anchors. */
  readonly trusted: boolean;
  /** DER of the anchor the path reached. */
  readonly trustAnchor: Uint8Array | undefined;
}

/**
 * Evaluates the trust path of a verified statement against the caller's anchors at `now`.
 * Invalid chains (order, signatures, validity, constraints) always throw. A valid chain that
 * reaches no anchor is `trusted: false`, which `require: 'trusted'` turns into
 * `ERR_CERT_CHAIN_UNTRUSTED`; none and self attestation under `'trusted'` are
 * `ERR_ATTESTATION_TYPE_NOT_ALLOWED`.
 */
export async function evaluateTrust(
  statement: StatementVerification,
  options: {
    readonly trustAnchors: readonly (string | Uint8Array)[];
    readonly require: AttestationRequirement;
    readonly now: Date;
    readonly revocation?: RevocationOptions | undefined;
  },
): Promise<TrustEvaluation> {
  if (statement.trustPath.length === 0) {
    if (options.require === 'trusted') {
      fail('ERR_ATTESTATION_TYPE_NOT_ALLOWED', `"${statement.type}" attestation cannot be trusted and trust is required`, {
        step: '7.1.24',
        details: { received: statement.type },
      });
    }
    return { trusted: false, trustAnchor: undefined };
  }
  const result = await validateCertificatePath({
    chain: statement.trustPath,
    trustAnchors: parseTrustAnchors(options.trustAnchors),
    now: options.now,
    revocation: options.revocation,
  });
  if (result.trusted) return { trusted: true, trustAnchor: result.anchor.der };
  if (options.require === 'trusted') {
    fail(
      'ERR_CERT_CHAIN_UNTRUSTED',
      result.reason === 'no-anchors'
        ? 'Trust is required but no trust anchors were given'
        : 'The attestation certificate chain reaches none of the trust anchors',
      { step: '7.1.24', details: { reason: result.reason } },
    );
  }
  return { trusted: false, trustAnchor: undefined };
}
