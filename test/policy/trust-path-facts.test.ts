/**
 * §7.1 step 24 (src/policy/trust.ts) with path building: the facts a registration reports
 * (anchor label, reason, the anchor outside its window, unused x5c certificates), the codes of an
 * anchor outside its window under `require: 'trusted'` with their exact messages and details, and
 * the registration-wide path-signature budget (docs/trust.md, docs/security.md).
 */
import { beforeAll, describe, expect, it } from 'vitest';
import type { StatementVerification } from '../../src/attestation/types.js';
import { MAX_REGISTRATION_PATH_SIGNATURES, createPathBudget, evaluateCompoundTrust, evaluateTrust } from '../../src/policy/trust.js';
import { parseCertificate } from '../../src/x509/index.js';
import { expectRejection } from '../helpers/expect-code.js';
import { createTestCa, TEST_NOW, type TestCa } from '../helpers/test-ca.js';

let ca: TestCa;
let statement: StatementVerification;
let withExtra: StatementVerification;
let fingerprint: string;

const RETIRED = new Date('2030-01-01T00:00:00Z');
const STAGED = new Date('2031-01-01T00:00:00Z');

beforeAll(async () => {
  ca = await createTestCa({ name: 'Facts', deterministic: true });
  const extra = await createTestCa({ name: 'Facts extra', deterministic: true });
  statement = { type: 'basic', trustPath: ca.x5c.map((der) => parseCertificate(der)) };
  withExtra = { type: 'basic', trustPath: [...ca.x5c, extra.root.der].map((der) => parseCertificate(der)) };
  fingerprint = parseCertificate(ca.root.der).sha256Fingerprint;
});

describe('evaluateTrust: path facts', () => {
  it('trusted: the label of the anchor reached and the unused x5c indexes', async () => {
    const result = await evaluateTrust(withExtra, { trustAnchors: [{ certificate: ca.root.der, label: 'root' }], require: 'trusted', now: TEST_NOW });
    expect(result).toEqual({ trusted: true, trustAnchor: ca.root.der, path: { anchorLabel: 'root', unusedCertificates: [2] } });
    const plain = await evaluateTrust(statement, { trustAnchors: ca.trustAnchors, require: 'valid', now: TEST_NOW });
    expect(plain.path).toEqual({ anchorLabel: undefined, unusedCertificates: [] });
  });

  it("an expired anchor under 'valid': reported with its label, fingerprint and window", async () => {
    const entry = { certificate: ca.root.der, validUntil: RETIRED, label: 'retired' };
    expect(await evaluateTrust(statement, { trustAnchors: [entry], require: 'valid', now: TEST_NOW })).toEqual({
      trusted: false,
      trustAnchor: undefined,
      path: {
        reason: 'anchor-expired',
        inactiveAnchor: {
          label: 'retired',
          sha256Fingerprint: fingerprint,
          validFrom: '2024-01-01T00:00:00.000Z',
          validUntil: '2030-01-01T00:00:00.000Z',
          status: 'expired',
        },
        unusedCertificates: [],
      },
    });
  });

  it("an expired anchor under 'trusted': ERR_TRUST_ANCHOR_EXPIRED, message and details exact", async () => {
    const entry = { certificate: ca.root.der, validUntil: RETIRED, label: 'retired' };
    const error = await expectRejection(
      evaluateTrust(statement, { trustAnchors: [entry], require: 'trusted', now: TEST_NOW }),
      'ERR_TRUST_ANCHOR_EXPIRED',
      '7.1.24',
    );
    expect(error.message).toBe('The attestation chains only to trust anchor retired, trusted until 2030-01-01T00:00:00.000Z');
    expect(error.details).toEqual({
      reason: 'anchor-expired',
      label: 'retired',
      sha256Fingerprint: fingerprint,
      expected: '2030-01-01T00:00:00.000Z',
      received: TEST_NOW.toISOString(),
    });
  });

  it("a staged anchor under 'trusted': ERR_TRUST_ANCHOR_NOT_YET_VALID; without a label the fingerprint names it", async () => {
    const error = await expectRejection(
      evaluateTrust(statement, { trustAnchors: [{ certificate: ca.root.der, validFrom: STAGED }], require: 'trusted', now: TEST_NOW }),
      'ERR_TRUST_ANCHOR_NOT_YET_VALID',
      '7.1.24',
    );
    expect(error.message).toBe(`The attestation chains only to trust anchor ${fingerprint.slice(0, 16)}, trusted from 2031-01-01T00:00:00.000Z`);
    expect(error.details).toEqual({
      reason: 'anchor-not-yet-valid',
      sha256Fingerprint: fingerprint,
      expected: '2031-01-01T00:00:00.000Z',
      received: TEST_NOW.toISOString(),
    });
  });
});

describe('the registration path-signature budget', () => {
  it('is 32 checks, fresh for each evaluation unless shared', async () => {
    expect(MAX_REGISTRATION_PATH_SIGNATURES).toBe(32);
    expect(createPathBudget()).toEqual({ remainingSignatures: 32 });
    expect(createPathBudget()).not.toBe(createPathBudget());
    const budget = createPathBudget();
    await evaluateTrust(statement, { trustAnchors: ca.trustAnchors, require: 'trusted', now: TEST_NOW, budget });
    expect(budget.remainingSignatures).toBe(30);
  });

  it('an exhausted budget is ERR_ATTESTATION_TOO_COSTLY', async () => {
    const error = await expectRejection(
      evaluateTrust(statement, { trustAnchors: ca.trustAnchors, require: 'valid', now: TEST_NOW, budget: { remainingSignatures: 1 } }),
      'ERR_ATTESTATION_TOO_COSTLY',
      '7.1.24',
    );
    expect(error.details).toEqual({ field: 'x5c', reason: 'signature-budget' });
  });

  it('compound: one budget for all sub-statements, and its exhaustion rejects under policy any too', async () => {
    const outcomes = Array.from({ length: 17 }, () => ({ fmt: 'packed' as const, statement }));
    // 17 sub-statements × 2 checks > 32: the 17th is refused although each alone is cheap.
    const error = await expectRejection(
      evaluateCompoundTrust(outcomes, { trustAnchors: ca.trustAnchors, require: 'valid', now: TEST_NOW, mode: 'any' }),
      'ERR_ATTESTATION_TOO_COSTLY',
    );
    expect(error.details).toMatchObject({ reason: 'signature-budget' });
    const sixteen = await evaluateCompoundTrust(outcomes.slice(0, 16), { trustAnchors: ca.trustAnchors, require: 'valid', now: TEST_NOW, mode: 'all' });
    expect(sixteen.passed).toHaveLength(16);
  });
});
