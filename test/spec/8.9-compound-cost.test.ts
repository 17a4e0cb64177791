/**
 * Issue 14, registration CPU cap: the sub-statements of one compound statement share one budget of
 * MAX_REGISTRATION_CERTIFICATES (10) certificates; beyond it the registration is refused with
 * ERR_ATTESTATION_TOO_COSTLY before the extra certificates are parsed or any of their signatures
 * checked, under every compound policy. The worst case under the cap is measured by
 * bench/registration-cost.ts (docs/security.md "Registration cost caps"), never here.
 */
import { describe, expect, it } from 'vitest';
import { verifyRegistrationResponse } from '../../src/index.js';
import { MAX_REGISTRATION_CERTIFICATES } from '../../src/attestation/statement-fields.js';
import type { RegistrationExpectations } from '../../src/ceremony/verify-registration.js';
import type { RegistrationResponseJSON } from '../../src/types.js';
import { expectRejection } from '../helpers/expect-code.js';
import {
  b64u,
  createRegistration,
  DEFAULT_AAGUID,
  encodeAttestationObject,
  type SyntheticRegistration,
  withResponseFields,
} from '../helpers/synthetic-registration.js';

/** A packed statement whose x5c is leaf + intermediate: two certificates. */
const packed = () => createRegistration({ aaguid: DEFAULT_AAGUID, format: 'packed' });

const entry = (registration: SyntheticRegistration) =>
  new Map<unknown, unknown>([
    ['fmt', registration.fmt],
    ['attStmt', registration.attStmt],
  ]);

function compound(base: SyntheticRegistration, count: number): RegistrationResponseJSON {
  const entries = Array.from({ length: count }, () => entry(base));
  return withResponseFields(base, { attestationObject: b64u(encodeAttestationObject('compound', entries, base.authenticatorData)) });
}

const policy = (base: SyntheticRegistration, attestation: RegistrationExpectations['attestation']): RegistrationExpectations => ({
  ...base.expected,
  attestation,
});

describe('issue 14: compound certificate budget (ERR_ATTESTATION_TOO_COSTLY)', () => {
  it('the cap is 10 certificates per registration', () => {
    expect(MAX_REGISTRATION_CERTIFICATES).toBe(10);
  });

  it('positive control: 5 sub-statements × 2 certificates (exactly the cap) verify and are trusted', async () => {
    const p = await packed();
    const result = await verifyRegistrationResponse(compound(p, 5), p.expected);
    expect(result.attestation).toMatchObject({ format: 'compound', trusted: true });
    expect(result.attestation.statements).toHaveLength(5);
  });

  it('6 sub-statements × 2 certificates (12) → ERR_ATTESTATION_TOO_COSTLY, under policy all', async () => {
    const p = await packed();
    const error = await expectRejection(verifyRegistrationResponse(compound(p, 6), p.expected), 'ERR_ATTESTATION_TOO_COSTLY');
    expect(error.details).toMatchObject({ field: 'x5c', expected: 10 });
  });

  it('8 sub-statements × 2 certificates → ERR_ATTESTATION_TOO_COSTLY under policy any and require valid without anchors', async () => {
    const p = await packed();
    await expectRejection(verifyRegistrationResponse(compound(p, 8), policy(p, { compound: 'any' })), 'ERR_ATTESTATION_TOO_COSTLY');
    await expectRejection(verifyRegistrationResponse(compound(p, 8), policy(p, { require: 'valid' })), 'ERR_ATTESTATION_TOO_COSTLY');
  });

  it('a single statement is held to its own x5c bound (5 < 10), not to the compound budget', async () => {
    const p = await packed();
    const result = await verifyRegistrationResponse(p.response, p.expected);
    expect(result.attestation.trustPath).toHaveLength(2);
  });
});
