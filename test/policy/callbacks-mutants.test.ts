/**
 * The caller's side of the policy checks: challenge and origin predicates that throw, reject or
 * answer something other than a boolean (ERR_CALLBACK_FAILED, never an acceptance; a WebAuthnError
 * the predicate throws keeps its code), counterVerdict's input range, and trust anchors that are
 * not certificates (ERR_OPTIONS_INVALID naming the field). Written against the survivors of a
 * mutation run (docs/security.md, "Mutation score").
 */
import { describe, expect, it } from 'vitest';
import { WebAuthnError } from '../../src/errors.js';
import { checkChallenge } from '../../src/policy/challenge.js';
import { counterVerdict } from '../../src/policy/counter.js';
import { checkOrigin } from '../../src/policy/origin.js';
import { evaluateTrust } from '../../src/policy/trust.js';
import { parseCertificate } from '../../src/x509/index.js';
import { expectCode, expectRejection } from '../helpers/expect-code.js';
import { createTestCa, TEST_NOW } from '../helpers/test-ca.js';

const later = (fn: () => unknown) => Promise.resolve().then(fn);

describe('challenge predicate', () => {
  it('a predicate that throws: ERR_CALLBACK_FAILED with the cause and its message', () => {
    const boom = new Error('boom');
    const error = expectCode(
      () =>
        checkChallenge(
          'abc',
          () => {
            throw boom;
          },
          '7.1.8',
        ),
      'ERR_CALLBACK_FAILED',
    );
    expect(error.message).toBe('expected.challenge: the predicate threw: boom');
    expect(error.details).toEqual({ field: 'challenge' });
    expect(error.cause).toBe(boom);
    const plain = expectCode(
      () =>
        checkChallenge(
          'abc',
          () => {
            throw 'text';
          },
          '7.1.8',
        ),
      'ERR_CALLBACK_FAILED',
    );
    expect(plain.message).toBe('expected.challenge: the predicate threw');
  });

  it('a WebAuthnError thrown or rejected by the predicate is passed on as it is', async () => {
    const own = new WebAuthnError('ERR_CHALLENGE_MISMATCH', 'already used');
    try {
      checkChallenge(
        'abc',
        () => {
          throw own;
        },
        '7.1.8',
      );
      expect.unreachable();
    } catch (error) {
      expect(error).toBe(own);
    }
    await expect(later(() => checkChallenge('abc', () => Promise.reject(own), '7.1.8'))).rejects.toBe(own);
  });

  it('a promise that rejects: ERR_CALLBACK_FAILED "rejected" with the cause', async () => {
    const boom = new Error('gone');
    const error = await expectRejection(later(() => checkChallenge('abc', () => Promise.reject(boom), '7.1.8')), 'ERR_CALLBACK_FAILED');
    expect(error.message).toBe('expected.challenge: the predicate rejected: gone');
    expect(error.cause).toBe(boom);
  });

  it('a synchronous non-boolean answer fails synchronously, naming what it was', () => {
    for (const [answer, kind] of [
      [1, 'number'],
      ['true', 'string'],
      [undefined, 'undefined'],
      [null, 'null'],
    ] as const) {
      const error = expectCode(() => checkChallenge('abc', () => answer as unknown as boolean, '7.1.8'), 'ERR_CALLBACK_FAILED');
      expect(error.message).toBe(`expected.challenge: the predicate answered ${kind}, not a boolean`);
      expect(error.details).toEqual({ field: 'challenge', expected: 'boolean', received: kind });
    }
  });

  it('an object or promise answer is awaited and held to the same rule (a thenable of true accepts)', async () => {
    // biome-ignore lint/suspicious/noThenProperty: a caller's thenable answer is exactly what is under test
    await checkChallenge('abc', () => ({ then: (resolve: (v: boolean) => void) => resolve(true) }) as unknown as boolean, '7.1.8');
    const object = await expectRejection(later(() => checkChallenge('abc', () => ({}) as boolean, '7.1.8')), 'ERR_CALLBACK_FAILED');
    expect(object.details).toEqual({ field: 'challenge', expected: 'boolean', received: 'object' });
    const nullish = await expectRejection(later(() => checkChallenge('abc', async () => null as unknown as boolean, '7.1.8')), 'ERR_CALLBACK_FAILED');
    expect(nullish.message).toBe('expected.challenge: the predicate answered null, not a boolean');
    expect(nullish.details).toEqual({ field: 'challenge', expected: 'boolean', received: 'null' });
  });
});

describe('origin predicate', () => {
  it('a predicate that throws: ERR_CALLBACK_FAILED with the cause; a WebAuthnError passes as it is', () => {
    const boom = new Error('bad origin list');
    const error = expectCode(
      () =>
        checkOrigin(
          'https://a.example',
          () => {
            throw boom;
          },
          '7.1.9',
        ),
      'ERR_CALLBACK_FAILED',
    );
    expect(error.message).toBe('expected.origin: the predicate threw: bad origin list');
    expect(error.details).toEqual({ field: 'origin' });
    expect(error.cause).toBe(boom);
    const plain = expectCode(
      () =>
        checkOrigin(
          'https://a.example',
          () => {
            throw 7;
          },
          '7.1.9',
        ),
      'ERR_CALLBACK_FAILED',
    );
    expect(plain.message).toBe('expected.origin: the predicate threw');
    const own = new WebAuthnError('ERR_ORIGIN_MISMATCH', 'mine');
    expect(() =>
      checkOrigin(
        'https://a.example',
        () => {
          throw own;
        },
        '7.1.9',
      ),
    ).toThrow(own);
  });

  it('a non-boolean answer names its kind; a promise is refused and its rejection handled', async () => {
    for (const [answer, kind] of [
      [null, 'null'],
      ['yes', 'string'],
      [{}, 'object'],
      [Promise.resolve(true), 'promise'],
    ] as const) {
      const error = expectCode(() => checkOrigin('https://a.example', () => answer as unknown as boolean, '7.1.9'), 'ERR_CALLBACK_FAILED');
      expect(error.message).toBe(`expected.origin: the predicate answered ${kind}, not a boolean`);
      expect(error.details).toEqual({ field: 'origin', expected: 'boolean', received: kind });
    }
    // A rejected promise answer must not become an unhandled rejection (vitest fails the run on one).
    const rejected = Promise.reject(new Error('late'));
    expectCode(() => checkOrigin('https://a.example', () => rejected as unknown as boolean, '7.1.9'), 'ERR_CALLBACK_FAILED');
    await new Promise((resolve) => setTimeout(resolve, 10));
  });
});

describe('counterVerdict input', () => {
  it('0 and 2^32 − 1 are valid on both sides', () => {
    expect(counterVerdict(0, 0xffffffff)).toBe('increased');
    expect(counterVerdict(0xffffffff, 0)).toBe('regressed');
  });

  it.each([
    ['-1', -1],
    ['2^32', 2 ** 32],
    ['1.5', 1.5],
    ['NaN', Number.NaN],
    ['a string', '10'],
    ['a bigint', 10n],
  ])('%s is ERR_OPTIONS_INVALID naming the side', (_, value) => {
    const stored = expectCode(() => counterVerdict(value as number, 1), 'ERR_OPTIONS_INVALID');
    expect(stored.details).toEqual({ field: 'stored' });
    expect(stored.message).toBe('counterVerdict: stored must be an integer from 0 to 2^32-1');
    const received = expectCode(() => counterVerdict(1, value as number), 'ERR_OPTIONS_INVALID');
    expect(received.details).toEqual({ field: 'received' });
  });
});

describe('trust anchors that are not certificates', () => {
  it('bytes or text that do not parse: ERR_OPTIONS_INVALID naming attestation.trustAnchors, the parse error as cause', async () => {
    const ca = await createTestCa({ name: 'Anchors', deterministic: true });
    const statement = { type: 'basic' as const, trustPath: ca.x5c.map((der) => parseCertificate(der)) };
    for (const anchor of [new Uint8Array([1, 2, 3]), 'nope']) {
      const error = await expectRejection(
        evaluateTrust(statement, { trustAnchors: [anchor], require: 'valid', now: TEST_NOW }),
        'ERR_OPTIONS_INVALID',
      );
      expect(error.details).toEqual({ field: 'attestation.trustAnchors' });
      expect(error.message).toBe('expected.attestation.trustAnchors: an entry is not a PEM, base64 or DER certificate');
      expect((error.cause as WebAuthnError).code).toBe('ERR_CERT_MALFORMED');
    }
    // An entry of the wrong type is already ERR_OPTIONS_INVALID from the parser, passed on unchanged.
    const typed = await expectRejection(
      evaluateTrust(statement, { trustAnchors: [42 as unknown as string], require: 'valid', now: TEST_NOW }),
      'ERR_OPTIONS_INVALID',
    );
    expect(typed.details).toEqual({ field: 'trustAnchors[0]' });
  });
});
