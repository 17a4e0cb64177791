/** §8.7 None attestation: no statement, no trust path. */
import { fail } from '../errors.js';
import { checkAttestationContext } from './statement-fields.js';
import type { AttestationContext, StatementVerification } from './types.js';

/** attStmt must be the empty map (§8.7 CDDL `{}`; FIDO conformance Resp-7 F-1). */
export async function verifyNone(context: AttestationContext): Promise<StatementVerification> {
  checkAttestationContext(context);
  if (context.attStmt.size !== 0) {
    fail('ERR_ATTESTATION_STATEMENT_INVALID', 'A "none" attestation statement must be an empty map', {
      step: '8.7',
      details: { field: 'attStmt', received: context.attStmt.size },
    });
  }
  return { type: 'none', trustPath: [] };
}
