/**
 * Mutators of the JSON envelope and its base64url layer: non-canonical base64url (padding, the
 * standard alphabet, whitespace, stray characters, non-zero unused bits), wrongly typed and
 * missing members, and the unsigned members a client may set freely (authenticatorAttachment,
 * clientExtensionResults, transports, unknown members, the user handle).
 */
import type { Ceremony, Seed } from '../corpus.js';
import { cloneResponse, type Entropy, type Mutated, type Mutator, pick } from './types.js';

const BOTH: readonly Ceremony[] = ['registration', 'authentication'];

/** The base64url members of a response: [container path, member name]. */
function base64Members(seed: Seed): [('top' | 'inner'), string][] {
  const inner = seed.vector.response.response as Record<string, unknown>;
  const names =
    seed.ceremony === 'registration'
      ? ['clientDataJSON', 'attestationObject', 'authenticatorData', 'publicKey']
      : ['clientDataJSON', 'authenticatorData', 'signature', 'userHandle'];
  return [
    ['top', 'id'],
    ['top', 'rawId'],
    ...names.filter((n) => typeof inner[n] === 'string' && (inner[n] as string).length > 0).map((n) => ['inner', n] as ['inner', string]),
  ];
}

/**
 * Members whose content change is always a bug to accept: the ids (compared with the attested or
 * stored credential id) and the assertion signature. A content change of clientDataJSON,
 * attestationObject or authenticatorData is judged by the signed-bytes invariant instead (a `none`
 * registration's bytes are unsigned), and userHandle / publicKey are unchecked unless asked for.
 */
const BOUND_MEMBERS = new Set(['id', 'rawId', 'signature']);

/** Members that may be null or empty (§5.2.2 userHandle; the L3 publicKey convenience copy). */
const OPTIONAL_MEMBERS = new Set(['userHandle', 'publicKey']);

const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';

/** Base64url text variants: each returns [text, mustReject] or undefined when it would be a no-op. */
const TEXT_VARIANTS: Record<string, (s: string, e: Entropy, free: boolean, name: string) => [unknown, boolean] | undefined> = {
  padding: (s) => (s.length % 4 === 0 ? undefined : [s + '='.repeat(4 - (s.length % 4)), true]),
  'extra-padding': (s) => [`${s}=`, true],
  'standard-alphabet': (s) => (/[-_]/.test(s) ? [s.replace(/-/g, '+').replace(/_/g, '/'), true] : undefined),
  whitespace: (s, e) => {
    const at = e.at % (s.length + 1);
    return [s.slice(0, at) + pick([' ', '\n', '\t', '\r\n'], e.value) + s.slice(at), true];
  },
  'stray-character': (s, e) => {
    const at = e.at % (s.length + 1);
    return [s.slice(0, at) + pick(['.', '*', '%', '\u00e9', '\u0000', '+', '/'], e.value) + s.slice(at), true];
  },
  'unused-bits': (s, e) => {
    // With 2 or 3 characters in the last group, the last character carries unused low bits.
    const rem = s.length % 4;
    if (rem !== 2 && rem !== 3) return undefined;
    const last = ALPHABET.indexOf(s[s.length - 1]!);
    const mask = rem === 2 ? 0x0f : 0x03;
    const bits = (e.value % mask) + 1;
    return [s.slice(0, -1) + ALPHABET[(last & ~mask) | bits], true];
  },
  'drop-last': (s, _e, free) => (s.length < 2 ? undefined : [s.slice(0, -1), !free]),
  'change-char': (s, e, free) => {
    const at = e.at % s.length;
    const next = ALPHABET[(ALPHABET.indexOf(s[at]!) + 1 + (e.value % 63)) % 64]!;
    // The last character of a group of 2 or 3 must keep its unused bits zero: change an earlier one.
    const safe = at === s.length - 1 && s.length % 4 !== 0 ? at - 1 : at;
    if (safe < 0) return undefined;
    return [s.slice(0, safe) + next + s.slice(safe + 1), !free];
  },
  empty: (_s, _e, _free, name) => ['', !OPTIONAL_MEMBERS.has(name)],
  'wrong-type': (_s, e, _free, name) => {
    const value = pick([0, 1.5, true, null, [], {}, ['AAAA']], e.value);
    return [value, !(OPTIONAL_MEMBERS.has(name) && value === null)];
  },
};

/** Variants that only re-encode (the same bytes, non-canonical text). */
const BASE64_DEFECTS = new Set(['padding', 'extra-padding', 'standard-alphabet', 'whitespace', 'stray-character', 'unused-bits']);

const base64url: Mutator[] = Object.keys(TEXT_VARIANTS).map((variant) => ({
  name: `base64url.${variant}`,
  ceremonies: BOTH,
  applies: () => true,
  apply(seed, e): Mutated | undefined {
    const [where, name] = pick(base64Members(seed), e.op);
    const response = cloneResponse(seed);
    const container = (where === 'top' ? response : response.response) as Record<string, unknown>;
    const out = TEXT_VARIANTS[variant]!(container[name] as string, e, !BOUND_MEMBERS.has(name), name);
    if (out === undefined) return undefined;
    container[name] = out[0];
    // The L3 publicKey copy is not read by the verifier (the attested key is), so anything goes.
    const mustReject = out[1] && name !== 'publicKey';
    return { response, mustReject, defect: mustReject && BASE64_DEFECTS.has(variant), variant: `${variant}:${name}` };
  },
}));

/** Unsigned members a client sets: any string, null or absence is acceptable; other types are not. */
const ATTACHMENTS: unknown[] = ['platform', 'cross-platform', '', 'x'.repeat(300), null, undefined, 7, {}, ['platform']];
const EXTENSION_RESULTS: unknown[] = [undefined, {}, { credProps: { rk: true } }, { appid: true, x: [1, { y: null }] }, null, [], 'x', 3];

const envelope: Mutator[] = [
  {
    name: 'envelope.authenticator-attachment',
    ceremonies: BOTH,
    applies: () => true,
    apply(seed, e) {
      const response = cloneResponse(seed);
      const value = pick(ATTACHMENTS, e.value);
      if (value === undefined) delete response.authenticatorAttachment;
      else response.authenticatorAttachment = value;
      return { response, mustReject: !(value === undefined || value === null || typeof value === 'string'), variant: JSON.stringify(value) ?? 'absent' };
    },
  },
  {
    name: 'envelope.client-extension-results',
    ceremonies: BOTH,
    applies: () => true,
    apply(seed, e) {
      const response = cloneResponse(seed);
      const value = pick(EXTENSION_RESULTS, e.value);
      if (value === undefined) delete response.clientExtensionResults;
      else response.clientExtensionResults = value;
      const isObject = typeof value === 'object' && value !== null && !Array.isArray(value);
      return { response, mustReject: !(value === undefined || isObject), variant: JSON.stringify(value) ?? 'absent' };
    },
  },
  {
    name: 'envelope.unknown-member',
    ceremonies: BOTH,
    applies: () => true,
    apply(seed, e) {
      const response = cloneResponse(seed);
      const target = e.op % 2 === 0 ? response : response.response;
      const name = pick(['x', 'getTransports', '__proto__', 'constructor', 'attestation', 'publicKeyAlgorithm2'], e.value);
      Object.defineProperty(target, name, { value: pick([1, 'x', null, { a: [] }], e.at), enumerable: true, writable: true, configurable: true });
      return { response, mustReject: false, variant: `${e.op % 2 === 0 ? 'top' : 'response'}.${name}` };
    },
  },
  {
    name: 'envelope.type',
    ceremonies: BOTH,
    applies: () => true,
    apply(seed, e) {
      const response = cloneResponse(seed);
      const value = pick(['Public-Key', 'public-key ', 'password', '', null, 1, undefined], e.value);
      if (value === undefined) delete response.type;
      else response.type = value;
      return { response, mustReject: true, variant: JSON.stringify(value) ?? 'absent' };
    },
  },
  {
    name: 'envelope.missing-member',
    ceremonies: BOTH,
    applies: () => true,
    apply(seed, e) {
      const response = cloneResponse(seed);
      const inner = seed.ceremony === 'registration' ? ['clientDataJSON', 'attestationObject'] : ['clientDataJSON', 'authenticatorData', 'signature'];
      const all = ['id', 'rawId', 'response', ...inner.map((n) => `response.${n}`)];
      const name = pick(all, e.op);
      if (name.startsWith('response.')) delete response.response[name.slice(9)];
      else delete response[name];
      return { response, mustReject: true, variant: name };
    },
  },
  {
    name: 'envelope.response-not-object',
    ceremonies: BOTH,
    applies: () => true,
    apply(seed, e) {
      const response = cloneResponse(seed) as Record<string, unknown>;
      response.response = pick([null, 'x', [], 1, [response.response]], e.value);
      return { response, mustReject: true, variant: typeof response.response };
    },
  },
  {
    name: 'envelope.transports',
    ceremonies: ['registration'],
    applies: () => true,
    apply(seed, e) {
      const response = cloneResponse(seed);
      const value = pick([undefined, [], ['usb', 'nfc', 'ble', 'internal', 'hybrid', 'smart-card'], ['x-future'], ['usb', 'usb'], 'usb', [1], null], e.value);
      if (value === undefined) delete response.response.transports;
      else response.response.transports = value;
      // Transports are unsigned hints; a verifier may store, normalise or refuse odd ones.
      return { response, mustReject: false, variant: JSON.stringify(value) ?? 'absent' };
    },
  },
  {
    name: 'envelope.public-key-algorithm',
    ceremonies: ['registration'],
    applies: () => true,
    apply(seed, e) {
      const response = cloneResponse(seed);
      const value = pick([undefined, -7, -8, -257, 0, 'x', null], e.value);
      if (value === undefined) delete response.response.publicKeyAlgorithm;
      else response.response.publicKeyAlgorithm = value;
      // The L3 convenience copy is unsigned; the attested key is what counts.
      return { response, mustReject: false, variant: JSON.stringify(value) ?? 'absent' };
    },
  },
  {
    name: 'envelope.stale-authenticator-data-copy',
    ceremonies: ['registration'],
    applies: (seed) => typeof (seed.vector.response.response as Record<string, unknown>).authenticatorData === 'string' && seed.authData !== undefined,
    apply(seed, e) {
      const response = cloneResponse(seed);
      const copy = Buffer.from(seed.authData!);
      const at = e.at % copy.length;
      copy[at] = copy[at]! ^ (1 + (e.value % 255));
      response.response.authenticatorData = copy.toString('base64url');
      return { response, mustReject: true, variant: `byte ${at}` };
    },
  },
];

/** Base64url-layer and envelope mutators. */
export const ENVELOPE_MUTATORS: readonly Mutator[] = [...base64url, ...envelope];
