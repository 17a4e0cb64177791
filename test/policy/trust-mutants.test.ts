/**
 * §7.1 step 24: evaluateTrust with a certificate path — trusted only through one of the caller's
 * anchors, `require: 'trusted'` turning "no anchors" and "no path" into ERR_CERT_CHAIN_UNTRUSTED
 * with their own reasons. The certificate-free decisions are in policy-mutants.test.ts. Written
 * against the survivors of a mutation run (docs/security.md, "Mutation score").
 */
import { beforeAll, describe, expect, it } from 'vitest';
import type { StatementVerification } from '../../src/attestation/types.js';
import { evaluateTrust } from '../../src/policy/trust.js';
import { parseCertificate } from '../../src/x509/index.js';
import { expectRejection } from '../helpers/expect-code.js';
import { createTestCa, TEST_NOW, type TestCa } from '../helpers/test-ca.js';

let ca: TestCa;
let other: TestCa;
let statement: StatementVerification;

beforeAll(async () => {
  ca = await createTestCa({ name: 'Trust', deterministic: true });
  other = await createTestCa({ name: 'Elsewhere', deterministic: true });
  statement = { type: 'basic', trustPath: ca.x5c.map((der) => parseCertificate(der)) };
});

describe('evaluateTrust with a certificate path', () => {
  it("trusted through the caller's anchor, which is returned", async () => {
    const result = await evaluateTrust(statement, { trustAnchors: ca.trustAnchors, require: 'trusted', now: TEST_NOW });
    expect(result.trusted).toBe(true);
    expect(result.trustAnchor).toEqual(ca.root.der);
  });

  it('no anchors: untrusted, never an error, unless trust is required (reason no-anchors)', async () => {
    for (const require of ['none', 'valid'] as const) {
      expect(await evaluateTrust(statement, { trustAnchors: [], require, now: TEST_NOW })).toEqual({
        trusted: false,
        trustAnchor: undefined,
        path: { reason: 'no-anchors', unusedCertificates: [] },
      });
    }
    const error = await expectRejection(
      evaluateTrust(statement, { trustAnchors: [], require: 'trusted', now: TEST_NOW }),
      'ERR_CERT_CHAIN_UNTRUSTED',
      '7.1.24',
    );
    expect(error.details).toEqual({ reason: 'no-anchors' });
    expect(error.message).toBe('Trust is required but no trust anchors were given');
  });

  it("another CA's anchor: untrusted, and under 'trusted' the chain reaches none (reason no-path)", async () => {
    expect(await evaluateTrust(statement, { trustAnchors: other.trustAnchors, require: 'valid', now: TEST_NOW })).toEqual({
      trusted: false,
      trustAnchor: undefined,
      path: { reason: 'no-path', unusedCertificates: [] },
    });
    const error = await expectRejection(
      evaluateTrust(statement, { trustAnchors: other.trustAnchors, require: 'trusted', now: TEST_NOW }),
      'ERR_CERT_CHAIN_UNTRUSTED',
      '7.1.24',
    );
    expect(error.details).toEqual({ reason: 'no-path' });
    expect(error.message).toBe('The attestation certificate chain reaches none of the trust anchors');
  });

  it('an invalid chain throws whatever is required (here: checked after the leaf expired)', async () => {
    const late = new Date('2100-01-01T00:00:00Z');
    for (const require of ['none', 'trusted'] as const) {
      const error = await expectRejection(
        evaluateTrust(statement, { trustAnchors: ca.trustAnchors, require, now: late }),
        'ERR_CERT_EXPIRED',
      );
      expect(error.code).not.toBe('ERR_CERT_CHAIN_UNTRUSTED');
    }
  });
});
