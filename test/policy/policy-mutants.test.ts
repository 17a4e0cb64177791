/**
 * The policy checks on their own (the ceremony tests reach them only through whole responses):
 * §6.1.1 counter verdicts at every edge, §7.1 15–19 / §7.2 16–19 flags, §7.1 steps 8–11 /
 * §7.2 steps 11–14 challenge, origin, crossOrigin and topOrigin, §7.1 step 14 rpIdHash and its
 * bounded memo, §7.1 step 24 / §8.9 trust decisions that need no certificate. Every rejection
 * asserts code, step and details. Written against the survivors of a mutation run
 * (docs/security.md, "Mutation score").
 */
import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import type { CompoundEntryOutcome, StatementVerification } from '../../src/attestation/types.js';
import { bytesToBase64Url } from '../../src/encoding/base64url.js';
import { WebAuthnError } from '../../src/errors.js';
import { checkChallenge, isExpectedChallenge } from '../../src/policy/challenge.js';
import { checkCounter, counterVerdict } from '../../src/policy/counter.js';
import { checkBackupEligibilityUnchanged, checkUserPresent, checkUserVerified } from '../../src/policy/flags.js';
import { checkCrossOrigin, checkOrigin } from '../../src/policy/origin.js';
import { checkRpIdHash, rpIdHash } from '../../src/policy/rp-id.js';
import { evaluateCompoundTrust, evaluateTrust } from '../../src/policy/trust.js';
import type { AuthenticatorFlags, ClientData } from '../../src/types.js';
import { expectCode, expectRejection } from '../helpers/expect-code.js';

const flags = (set: Partial<AuthenticatorFlags> = {}): AuthenticatorFlags => ({
  up: false,
  uv: false,
  be: false,
  bs: false,
  at: false,
  ed: false,
  raw: 0,
  ...set,
});

describe('§6.1.1 counter', () => {
  it.each([
    [0, 0, 'unsupported'],
    [0, 1, 'increased'],
    [5, 6, 'increased'],
    [5, 5, 'regressed'],
    [5, 4, 'regressed'],
    [1, 0, 'regressed'],
    [0xffffffff, 0, 'regressed'],
    [0xfffffffe, 0xffffffff, 'increased'],
  ] as const)('stored %i, received %i → %s', (stored, received, verdict) => {
    expect(counterVerdict(stored, received)).toBe(verdict);
    expect(checkCounter(stored, received, 'report', '7.2.22')).toBe(verdict);
    if (verdict === 'regressed') {
      const error = expectCode(() => checkCounter(stored, received, 'reject-regression', '7.2.22'), 'ERR_COUNTER_REGRESSION');
      expect(error.step).toBe('7.2.22');
      expect(error.details).toEqual({ field: 'signCount', expected: `> ${stored}`, received });
      expect(error.message).toBe(`Signature counter did not increase (stored ${stored}, received ${received})`);
    } else {
      expect(checkCounter(stored, received, 'reject-regression', '7.2.22')).toBe(verdict);
    }
  });
});

describe('flags', () => {
  it('UP: clear is ERR_USER_PRESENCE at the given step, set passes', () => {
    const error = expectCode(() => checkUserPresent(flags(), '7.1.15'), 'ERR_USER_PRESENCE');
    expect(error.step).toBe('7.1.15');
    expect(error.message).toMatch(/user presence \(UP flag clear\)/);
    expect(() => checkUserPresent(flags({ up: true }), '7.1.15')).not.toThrow();
  });

  it('UV: only `required` asks for it', () => {
    const error = expectCode(() => checkUserVerified(flags({ up: true }), 'required', '7.2.17'), 'ERR_USER_VERIFICATION');
    expect(error.step).toBe('7.2.17');
    expect(error.message).toMatch(/^User verification was required/);
    expect(() => checkUserVerified(flags({ uv: true }), 'required', '7.2.17')).not.toThrow();
    expect(() => checkUserVerified(flags(), 'preferred', '7.2.17')).not.toThrow();
    expect(() => checkUserVerified(flags(), 'discouraged', '7.2.17')).not.toThrow();
  });

  it('BE against the record: both directions refused with details, unknown passes', () => {
    for (const [registered, now] of [
      [true, false],
      [false, true],
    ] as const) {
      const error = expectCode(
        () => checkBackupEligibilityUnchanged(flags({ be: now }), registered, '7.2.19'),
        'ERR_BACKUP_ELIGIBILITY_CHANGED',
      );
      expect(error.step).toBe('7.2.19');
      expect(error.details).toEqual({ field: 'flags.be', expected: registered, received: now });
      expect(error.message).toBe(`The backup eligibility of the credential changed (registered ${registered}, now ${now})`);
    }
    expect(() => checkBackupEligibilityUnchanged(flags({ be: true }), true, '7.2.19')).not.toThrow();
    expect(() => checkBackupEligibilityUnchanged(flags(), false, '7.2.19')).not.toThrow();
    expect(() => checkBackupEligibilityUnchanged(flags({ be: true }), undefined, '7.2.19')).not.toThrow();
    expect(() => checkBackupEligibilityUnchanged(flags(), undefined, '7.2.19')).not.toThrow();
  });
});

describe('challenge', () => {
  const mismatch = (fn: () => unknown) => {
    const error = expectCode(fn, 'ERR_CHALLENGE_MISMATCH');
    expect(error.step).toBe('7.1.8');
    expect(error.details).toEqual({ field: 'challenge' });
    expect(error.message).toBe('clientData.challenge is not the challenge issued for this ceremony');
  };

  it('an empty received challenge is refused first, even against an empty expectation', () => {
    const error = expectCode(() => checkChallenge('', '', '7.1.8'), 'ERR_CHALLENGE_MISMATCH');
    expect(error.step).toBe('7.1.8');
    expect(error.message).toBe('clientData.challenge is empty');
    expectCode(() => checkChallenge('', () => true, '7.1.8'), 'ERR_CHALLENGE_MISMATCH');
  });

  it('text and bytes compare exactly, synchronously', () => {
    const bytes = new Uint8Array([1, 2, 3, 250]);
    const text = bytesToBase64Url(bytes);
    expect(checkChallenge(text, text, '7.1.8')).toBeUndefined();
    expect(checkChallenge(text, bytes, '7.1.8')).toBeUndefined();
    mismatch(() => checkChallenge(text, `${text}A`, '7.1.8'));
    mismatch(() => checkChallenge(text, new Uint8Array([1, 2, 3, 251]), '7.1.8'));
    mismatch(() => checkChallenge(text.toLowerCase(), text, '7.1.8'));
  });

  it('a predicate sees the challenge and must answer exactly true, sync or async', async () => {
    const seen: string[] = [];
    await checkChallenge(
      'abc',
      (c) => {
        seen.push(c);
        return true;
      },
      '7.2.11',
    );
    expect(seen).toEqual(['abc']);
    await checkChallenge('abc', async () => true, '7.2.11');
    const refused = await expectRejection(
      Promise.resolve().then(() => checkChallenge('abc', () => false, '7.2.11')),
      'ERR_CHALLENGE_MISMATCH',
      '7.2.11',
    );
    expect(refused.details).toEqual({ field: 'challenge' });
    // A non-boolean answer is the caller's mistake, never an acceptance (V4).
    for (const answer of [1, 'true', {}, undefined, null]) {
      const error = await expectRejection(
        Promise.resolve().then(() => checkChallenge('abc', () => answer as boolean, '7.2.11')),
        'ERR_CALLBACK_FAILED',
      );
      expect(error.details?.field).toBe('challenge');
    }
    await expectRejection(
      Promise.resolve().then(() => checkChallenge('abc', async () => false, '7.2.11')),
      'ERR_CHALLENGE_MISMATCH',
    );
  });

  it('isExpectedChallenge: non-empty text or bytes, or a function', () => {
    expect(isExpectedChallenge('a')).toBe(true);
    expect(isExpectedChallenge('')).toBe(false);
    expect(isExpectedChallenge(new Uint8Array([0]))).toBe(true);
    expect(isExpectedChallenge(new Uint8Array(0))).toBe(false);
    expect(isExpectedChallenge(() => true)).toBe(true);
    for (const value of [undefined, null, 1, [1], { length: 1 }]) expect(isExpectedChallenge(value)).toBe(false);
  });
});

describe('origin', () => {
  it('exact text, one of a list, or a predicate that answers exactly true; returns the origin', () => {
    expect(checkOrigin('https://a.example', 'https://a.example', '7.1.9')).toBe('https://a.example');
    expect(checkOrigin('https://b.example', ['https://a.example', 'https://b.example'], '7.1.9')).toBe('https://b.example');
    expect(checkOrigin('https://c.example', (o) => o === 'https://c.example', '7.1.9')).toBe('https://c.example');
    for (const expected of ['https://a.example/', ['https://A.example'], () => false, [] as string[]]) {
      const error = expectCode(() => checkOrigin('https://a.example', expected, '7.1.9'), 'ERR_ORIGIN_MISMATCH');
      expect(error.step).toBe('7.1.9');
      expect(error.details).toEqual({ field: 'origin', received: 'https://a.example' });
    }
    // A non-boolean answer is the caller's mistake, never an acceptance.
    const error = expectCode(() => checkOrigin('https://a.example', () => 1 as unknown as boolean, '7.1.9'), 'ERR_CALLBACK_FAILED');
    expect(error.details?.field).toBe('origin');
  });

  it('an empty origin never matches, not even an empty expectation or a predicate that accepts all', () => {
    expectCode(() => checkOrigin('', '', '7.1.9'), 'ERR_ORIGIN_MISMATCH');
    expectCode(() => checkOrigin('', [''], '7.1.9'), 'ERR_ORIGIN_MISMATCH');
    expectCode(() => checkOrigin('', () => true, '7.1.9'), 'ERR_ORIGIN_MISMATCH');
  });

  it('a long origin is cut to 200 characters in the message and details', () => {
    const long = `https://${'x'.repeat(300)}`;
    const error = expectCode(() => checkOrigin(long, 'https://a.example', '7.1.9'), 'ERR_ORIGIN_MISMATCH');
    expect(error.details?.received).toBe(long.slice(0, 200));
    expect(error.message).toBe(`clientData.origin ${JSON.stringify(long.slice(0, 200))} is not an expected origin`);
  });
});

describe('crossOrigin and topOrigin', () => {
  const steps = { crossOrigin: '7.1.10', topOrigin: '7.1.11' };
  const cd = (crossOrigin?: boolean, topOrigin?: string) => ({ crossOrigin, topOrigin }) as unknown as ClientData;

  it('same-origin ceremonies pass whatever is allowed', () => {
    expect(() => checkCrossOrigin(cd(), {}, steps)).not.toThrow();
    expect(() => checkCrossOrigin(cd(false), { allowCrossOrigin: true, topOrigin: 'https://top.example' }, steps)).not.toThrow();
  });

  it('crossOrigin true needs allowCrossOrigin exactly true', () => {
    for (const allow of [undefined, false, 1 as unknown as boolean]) {
      const error = expectCode(() => checkCrossOrigin(cd(true), { allowCrossOrigin: allow }, steps), 'ERR_CROSS_ORIGIN_NOT_ALLOWED');
      expect(error.step).toBe('7.1.10');
      expect(error.message).toMatch(/cross-origin iframe/);
    }
    expect(() => checkCrossOrigin(cd(true), { allowCrossOrigin: true }, steps)).not.toThrow();
  });

  it('topOrigin without crossOrigin true is invalid, before any matching', () => {
    for (const crossOrigin of [undefined, false]) {
      const error = expectCode(
        () => checkCrossOrigin(cd(crossOrigin, 'https://top.example'), { allowCrossOrigin: true, topOrigin: 'https://top.example' }, steps),
        'ERR_TOP_ORIGIN_INVALID',
      );
      expect(error.step).toBe('7.1.11');
      expect(error.message).toBe('clientData.topOrigin is present but crossOrigin is not true');
    }
  });

  it('topOrigin must be one the relying party names', () => {
    const allow = { allowCrossOrigin: true };
    expect(() => checkCrossOrigin(cd(true, 'https://top.example'), { ...allow, topOrigin: 'https://top.example' }, steps)).not.toThrow();
    expect(() =>
      checkCrossOrigin(cd(true, 'https://top.example'), { ...allow, topOrigin: ['https://x.example', 'https://top.example'] }, steps),
    ).not.toThrow();
    for (const topOrigin of [undefined, 'https://other.example', ['https://other.example']]) {
      const error = expectCode(
        () => checkCrossOrigin(cd(true, 'https://top.example'), { ...allow, topOrigin }, steps),
        'ERR_TOP_ORIGIN_MISMATCH',
      );
      expect(error.step).toBe('7.1.11');
      expect(error.details).toEqual({ field: 'topOrigin', received: 'https://top.example' });
    }
    const long = `https://${'t'.repeat(250)}`;
    const error = expectCode(() => checkCrossOrigin(cd(true, long), { ...allow, topOrigin: 'https://a' }, steps), 'ERR_TOP_ORIGIN_MISMATCH');
    expect(error.details?.received).toBe(long.slice(0, 200));
    expect(error.message).toBe(`clientData.topOrigin ${JSON.stringify(long.slice(0, 200))} is not expected`);
  });

  it('a cross-origin ceremony without topOrigin fails only when top origins are expected', () => {
    const error = expectCode(
      () => checkCrossOrigin(cd(true), { allowCrossOrigin: true, topOrigin: 'https://top.example' }, steps),
      'ERR_TOP_ORIGIN_MISMATCH',
    );
    expect(error.step).toBe('7.1.11');
    expect(error.details).toBeUndefined();
    expect(error.message).toMatch(/^Cross-origin ceremony without clientData.topOrigin/);
    expect(() => checkCrossOrigin(cd(true), { allowCrossOrigin: true }, steps)).not.toThrow();
  });
});

describe('rpIdHash', () => {
  const sha256 = (text: string) => new Uint8Array(createHash('sha256').update(text, 'utf8').digest());

  it('is SHA-256 of the UTF-8 RP ID', () => {
    expect(Buffer.from(rpIdHash('example.com')).toString('hex')).toBe(
      'a379a6f6eeafb9a55e378c118034e2751e682fab9f2d30ab13d2125586ce1947',
    );
    expect(rpIdHash('bücher.example')).toEqual(sha256('bücher.example'));
  });

  it('is memoised, and the memo holds at most 256 RP IDs before it starts over', () => {
    const sentinel = 'sentinel.memo.example';
    let held = rpIdHash(sentinel);
    expect(rpIdHash(sentinel)).toBe(held);
    // Fill until the memo starts over (the sentinel is then computed again).
    let i = 0;
    for (; i < 300; i++) {
      rpIdHash(`fill-${i}.memo.example`);
      const again = rpIdHash(sentinel);
      if (again !== held) {
        held = again;
        break;
      }
    }
    expect(i).toBeLessThan(300);
    // Just after a restart the memo holds fill-i and the sentinel: 254 more fit, the next restarts it.
    for (let k = 0; k < 254; k++) rpIdHash(`more-${k}.memo.example`);
    expect(rpIdHash(sentinel)).toBe(held);
    rpIdHash('one-too-many.memo.example');
    const after = rpIdHash(sentinel);
    expect(after).not.toBe(held);
    expect(after).toEqual(held);
  });

  it('checkRpIdHash returns the RP ID that matched, from text or a list', () => {
    expect(checkRpIdHash(sha256('a.example'), 'a.example', '7.1.14')).toBe('a.example');
    expect(checkRpIdHash(sha256('b.example'), ['a.example', 'b.example'], '7.1.14')).toBe('b.example');
  });

  it('a mismatch lists at most 16 of the expected RP IDs', () => {
    const many = Array.from({ length: 20 }, (_, i) => `rp${i}.example`);
    const error = expectCode(() => checkRpIdHash(sha256('other.example'), many, '7.2.15'), 'ERR_RPID_MISMATCH');
    expect(error.step).toBe('7.2.15');
    expect(error.details).toEqual({ field: 'rpIdHash', expected: many.slice(0, 16) });
    expect(error.message).toBe('authenticatorData.rpIdHash is not the SHA-256 of an expected RP ID');
    const one = expectCode(() => checkRpIdHash(sha256('other.example'), 'a.example', '7.2.15'), 'ERR_RPID_MISMATCH');
    expect(one.details).toEqual({ field: 'rpIdHash', expected: ['a.example'] });
    expectCode(() => checkRpIdHash(sha256('a.example'), [], '7.2.15'), 'ERR_RPID_MISMATCH');
  });
});

describe('trust without certificates (none, self)', () => {
  const self: StatementVerification = { type: 'self', trustPath: [] };
  const options = (require: 'none' | 'valid' | 'trusted') => ({ trustAnchors: [], require, now: new Date(0) });

  it('an empty trust path is untrusted, and refused when trust is required', async () => {
    expect(await evaluateTrust(self, options('valid'))).toEqual({ trusted: false, trustAnchor: undefined });
    expect(await evaluateTrust({ type: 'none', trustPath: [] }, options('none'))).toEqual({ trusted: false, trustAnchor: undefined });
    const error = await expectRejection(evaluateTrust(self, options('trusted')), 'ERR_ATTESTATION_TYPE_NOT_ALLOWED', '7.1.24');
    expect(error.details).toEqual({ received: 'self' });
    expect(error.message).toBe('"self" attestation cannot be trusted and trust is required');
  });

  it('compound: passed sub-statements with their index; failures reported under any; all throws', async () => {
    const failure = new WebAuthnError('ERR_SIGNATURE_INVALID', 'bad');
    const outcomes: CompoundEntryOutcome[] = [
      { fmt: 'packed', error: failure },
      { fmt: 'none', statement: { type: 'none', trustPath: [] } },
      { fmt: 'tpm' },
    ];
    const result = await evaluateCompoundTrust(outcomes, { ...options('valid'), mode: 'any' });
    expect(result.passed.map((p) => [p.index, p.fmt, p.trust.trusted])).toEqual([[1, 'none', false]]);
    expect(result.failed).toEqual([{ index: 0, fmt: 'packed', error: failure }]);
    const all = await evaluateCompoundTrust(outcomes.slice(1), { ...options('valid'), mode: 'all' });
    expect(all.passed.map((p) => p.index)).toEqual([0]);
    expect(all.failed).toEqual([]);
    await expectRejection(
      evaluateCompoundTrust([{ fmt: 'none', statement: self }], { ...options('trusted'), mode: 'all' }),
      'ERR_ATTESTATION_TYPE_NOT_ALLOWED',
    );
  });

  it('compound any with nothing acceptable: ERR_COMPOUND_UNSATISFIED listing every failure, the first as cause', async () => {
    const first = new WebAuthnError('ERR_SIGNATURE_INVALID', 'bad');
    const error = await expectRejection(
      evaluateCompoundTrust(
        [
          { fmt: 'packed', error: first },
          { fmt: 'none', statement: self },
        ],
        { ...options('trusted'), mode: 'any' },
      ),
      'ERR_COMPOUND_UNSATISFIED',
      '8.9',
    );
    expect(error.cause).toBe(first);
    expect(error.message).toBe('No sub-statement of the compound attestation was acceptable');
    expect(error.details).toEqual({
      failures: [
        { index: 0, fmt: 'packed', code: 'ERR_SIGNATURE_INVALID' },
        { index: 1, fmt: 'none', code: 'ERR_ATTESTATION_TYPE_NOT_ALLOWED' },
      ],
    });
    const empty = await expectRejection(evaluateCompoundTrust([], { ...options('valid'), mode: 'any' }), 'ERR_COMPOUND_UNSATISFIED');
    expect(empty.cause).toBeUndefined();
    expect(empty.details).toEqual({ failures: [] });
  });
});
