/**
 * Caller code the library runs — challenge and origin predicates, getters and proxies of input
 * objects — that throws, rejects or answers a non-boolean: `ERR_CALLBACK_FAILED` with the caller's
 * own error as `cause` and `details.field` naming the member (issue 14: "a caller's own Error from a
 * challenge predicate or generator escapes unwrapped"). Never ERR_INTERNAL, never an acceptance.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import {
  type AuthenticationExpectations,
  type CredentialRecord,
  type RegistrationExpectations,
  WebAuthnError,
  generateAuthenticationOptions,
  generateRegistrationOptions,
  verifyAuthenticationResponse,
  verifyRegistrationResponse,
} from '../../src/index.js';
import { expectCode, expectRejection } from '../helpers/expect-code.js';
import { generateTestKey } from '../helpers/keys.js';
import { type SyntheticAssertion, createAssertion } from '../helpers/synthetic-authenticator.js';
import { type SyntheticRegistration, createRegistration } from '../helpers/synthetic-registration.js';

const signer = generateTestKey('ES256');
let assertion: SyntheticAssertion;
let registration: SyntheticRegistration;

beforeAll(async () => {
  assertion = createAssertion(signer);
  registration = await createRegistration({ format: 'none' });
});

class StoreDown extends Error {}

const signIn = (expected: Partial<AuthenticationExpectations> | unknown, record: unknown = assertion.record) =>
  verifyAuthenticationResponse(assertion.response, record as CredentialRecord, {
    ...assertion.expected,
    ...(expected as object),
  } as AuthenticationExpectations);
const register = (expected: Partial<RegistrationExpectations>) =>
  verifyRegistrationResponse(registration.response, { ...registration.expected, ...expected } as RegistrationExpectations);

async function callbackFailure(promise: Promise<unknown>, field: string): Promise<WebAuthnError> {
  const error = await expectRejection(promise, 'ERR_CALLBACK_FAILED');
  expect(error.details?.field).toBe(field);
  return error;
}

describe('the challenge predicate', () => {
  const down = new StoreDown('challenge store unreachable');

  it("throws → ERR_CALLBACK_FAILED, the caller's error as cause (both ceremonies)", async () => {
    const throwing = () => {
      throw down;
    };
    expect((await callbackFailure(signIn({ challenge: throwing }), 'challenge')).cause).toBe(down);
    expect((await callbackFailure(register({ challenge: throwing }), 'challenge')).cause).toBe(down);
  });

  it("rejects → ERR_CALLBACK_FAILED, the caller's error as cause", async () => {
    const rejecting = () => Promise.reject(down);
    expect((await callbackFailure(signIn({ challenge: rejecting }), 'challenge')).cause).toBe(down);
    expect((await callbackFailure(register({ challenge: rejecting }), 'challenge')).cause).toBe(down);
  });

  it('throws something that is not an Error → still wrapped, the value as cause', async () => {
    const error = await callbackFailure(
      signIn({
        challenge: () => {
          throw 'nope';
        },
      }),
      'challenge',
    );
    expect(error.cause).toBe('nope');
  });

  it('V4: answers a truthy non-boolean, sync or async → ERR_CALLBACK_FAILED, never accepted', async () => {
    for (const answer of [1, 'true', {}, [], undefined, null]) {
      const sync = (() => answer) as unknown as () => boolean;
      const async = (async () => answer) as unknown as () => Promise<boolean>;
      const error = await callbackFailure(signIn({ challenge: sync }), 'challenge');
      expect(error.details?.expected).toBe('boolean');
      await callbackFailure(signIn({ challenge: async }), 'challenge');
      await callbackFailure(register({ challenge: sync }), 'challenge');
    }
  });

  it('a thenable is awaited and held to the same rule', async () => {
    // Built with a computed key: the lint rule against `then` members is right everywhere else.
    const thenable = (value: unknown) => ({ ['th' + 'en']: (resolve: (v: unknown) => void) => resolve(value) });
    const yes = thenable(true);
    expect((await signIn({ challenge: (() => yes) as unknown as () => boolean })).counter).toBe('increased');
    const truthy = thenable('yes');
    await callbackFailure(signIn({ challenge: (() => truthy) as unknown as () => boolean }), 'challenge');
  });

  it('false is a mismatch, not a callback failure; true (sync) accepts', async () => {
    await expectRejection(signIn({ challenge: () => false }), 'ERR_CHALLENGE_MISMATCH', '7.2.11');
    await expectRejection(signIn({ challenge: async () => false }), 'ERR_CHALLENGE_MISMATCH', '7.2.11');
    expect((await signIn({ challenge: () => true })).counter).toBe('increased');
  });

  it('a WebAuthnError the predicate throws keeps its own code', async () => {
    const mine = new WebAuthnError('ERR_CHALLENGE_MISMATCH', 'expired');
    const error = await expectRejection(
      signIn({
        challenge: () => {
          throw mine;
        },
      }),
      'ERR_CHALLENGE_MISMATCH',
    );
    expect(error).toBe(mine);
  });
});

describe('the origin predicate', () => {
  it("throws → ERR_CALLBACK_FAILED, the caller's error as cause", async () => {
    const boom = new Error('origin table not loaded');
    const origin = () => {
      throw boom;
    };
    expect((await callbackFailure(signIn({ origin }), 'origin')).cause).toBe(boom);
    expect((await callbackFailure(register({ origin }), 'origin')).cause).toBe(boom);
  });

  it('answers a non-boolean (a promise included: the predicate is synchronous) → ERR_CALLBACK_FAILED', async () => {
    for (const answer of [1, 'yes', {}, undefined]) {
      await callbackFailure(signIn({ origin: (() => answer) as unknown as () => boolean }), 'origin');
    }
    const error = await callbackFailure(signIn({ origin: (async () => true) as unknown as () => boolean }), 'origin');
    expect(error.details?.received).toBe('promise');
    // Its later rejection is not left unhandled.
    await callbackFailure(signIn({ origin: (() => Promise.reject(new Error('late'))) as unknown as () => boolean }), 'origin');
  });

  it('false is a mismatch', async () => {
    await expectRejection(signIn({ origin: () => false }), 'ERR_ORIGIN_MISMATCH', '7.2.12');
  });
});

/** `target` with a getter on `key` that throws `error`. */
function throwingGetter<T extends object>(target: T, key: string, error: unknown): T {
  const copy = { ...target };
  Object.defineProperty(copy, key, {
    enumerable: true,
    get() {
      throw error;
    },
  });
  return copy;
}

describe('getters and proxies of input objects that throw', () => {
  const boom = new Error('lazy column failed to load');

  it('an expectations getter → ERR_CALLBACK_FAILED naming the member', async () => {
    for (const key of ['challenge', 'origin', 'rpId', 'userVerification', 'allowCredentials', 'userHandle', 'counter']) {
      const expected = throwingGetter(assertion.expected, key, boom);
      const error = await callbackFailure(
        verifyAuthenticationResponse(assertion.response, assertion.record, expected),
        key,
      );
      expect(error.cause).toBe(boom);
    }
    const attestation = throwingGetter({ require: 'valid' }, 'trustAnchors', boom);
    await callbackFailure(register({ attestation } as Partial<RegistrationExpectations>), 'attestation.trustAnchors');
  });

  it('a record getter → ERR_CALLBACK_FAILED naming the member', async () => {
    for (const key of ['id', 'publicKey', 'signCount', 'transports']) {
      const error = await callbackFailure(signIn({}, throwingGetter(assertion.record, key, boom)), key);
      expect(error.cause).toBe(boom);
    }
  });

  it('a response getter → ERR_CALLBACK_FAILED naming the member', async () => {
    const inner = throwingGetter(assertion.response.response, 'signature', boom);
    const error = await callbackFailure(
      verifyAuthenticationResponse({ ...assertion.response, response: inner }, assertion.record, assertion.expected),
      'response.signature',
    );
    expect(error.cause).toBe(boom);
    await callbackFailure(
      verifyRegistrationResponse(throwingGetter(registration.response, 'rawId', boom), registration.expected),
      'rawId',
    );
  });

  it('a list whose element getter throws, and a proxy whose ownKeys trap throws', async () => {
    const list = ['AAAA'];
    Object.defineProperty(list, 0, {
      get() {
        throw boom;
      },
    });
    await callbackFailure(signIn({ allowCredentials: list }), 'allowCredentials');
    const proxy = new Proxy(
      { ...assertion.expected },
      {
        ownKeys() {
          throw boom;
        },
      },
    );
    await callbackFailure(verifyAuthenticationResponse(assertion.response, assertion.record, proxy), '(keys)');
  });

  it('generate*Options: a getter of the input, of rp, of a descriptor or of the extensions', () => {
    const field = (fn: () => unknown) => {
      const error = expectCode(fn, 'ERR_CALLBACK_FAILED');
      expect(error.cause).toBe(boom);
      return error.details?.field;
    };
    const base = { rp: { id: 'login.example.com', name: 'Example' }, user: { name: 'alice' } };
    expect(field(() => generateRegistrationOptions(throwingGetter(base, 'user', boom)))).toBe('user');
    expect(field(() => generateRegistrationOptions({ ...base, rp: throwingGetter(base.rp, 'id', boom) }))).toBe('rp.id');
    expect(
      field(() => generateAuthenticationOptions({ rpId: 'login.example.com', allowCredentials: [throwingGetter({ id: 'AAAA' }, 'id', boom)] })),
    ).toBe('allowCredentials[0].id');
    expect(field(() => generateAuthenticationOptions({ rpId: 'login.example.com', extensions: throwingGetter({}, 'credProps', boom) }))).toBe(
      'extensions',
    );
  });
});
