/**
 * The runtime matrix suite, run unchanged in every runtime (Node, Bun, Deno without permissions,
 * workerd). It reads nothing from disk: the interop vectors, docs/quirks.json and the Wycheproof
 * sample arrive embedded in `./data.generated.js`, written by scripts/runtimes/matrix.mjs.
 *
 * - interop: every vector through its ceremony, judged as `webauthn-verify verify` judges it
 *   (src/cli/run-vector.ts): the labelled outcome, or the code docs/quirks.json documents for a
 *   disagreement. Expectations as src/cli/vector.ts builds them.
 * - wycheproof: the sample through the low-level verifySignature: valid → verifies, invalid →
 *   ERR_SIGNATURE_INVALID (never another code, never a foreign error).
 * - fresh: ./fresh.js.
 */
import { WebAuthnError, verifyAuthenticationResponse, verifyRegistrationResponse } from 'webauthn-verify';
import { COSE_ALGORITHMS, base64UrlToBytes, verifySignature } from 'webauthn-verify/low-level';
import { backend } from 'webauthn-verify-matrix-probe';
import data from './data.generated.js';
import { runFreshCeremonies } from './fresh.js';

/** Registration vectors are verified with every registered algorithm allowed (interop README). */
const ALL_ALGORITHMS = Object.keys(COSE_ALGORITHMS).map(Number);

function commonExpectations(vector) {
  const e = vector.expected;
  return {
    challenge: e.challenge,
    origin: e.origin,
    rpId: e.rpId,
    userVerification: e.userVerificationRequired === true ? 'required' : 'preferred',
    ...(e.allowCrossOrigin === undefined ? {} : { allowCrossOrigin: e.allowCrossOrigin }),
    ...(e.topOrigin === undefined ? {} : { topOrigin: e.topOrigin }),
  };
}

function ceremony(vector) {
  const e = vector.expected;
  if (vector.ceremony === 'registration') {
    const anchors = vector.trustAnchors;
    return verifyRegistrationResponse(vector.response, {
      ...commonExpectations(vector),
      ...(e.mediation === undefined ? {} : { mediation: e.mediation }),
      algorithms: e.algorithms ?? ALL_ALGORITHMS,
      ...(vector.verificationTime === null ? {} : { now: new Date(vector.verificationTime) }),
      attestation: { trustAnchors: anchors, require: e.attestationRequire ?? (anchors.length > 0 ? 'trusted' : 'valid') },
    });
  }
  const c = vector.credential;
  return verifyAuthenticationResponse(
    vector.response,
    { id: c.id, publicKey: c.publicKey, algorithm: vector.alg, signCount: c.signCount },
    commonExpectations(vector),
  );
}

const codeOf = (error) => (error instanceof WebAuthnError ? error.code : `foreign ${error?.name ?? typeof error}`);

async function judgeVector(vector) {
  let code;
  try {
    await ceremony(vector);
  } catch (error) {
    code = codeOf(error);
  }
  const quirk = data.quirks[vector.id];
  if (quirk !== undefined && code === quirk.code) return undefined; // documented disagreement
  const outcome = code === undefined ? 'valid' : 'invalid';
  if (code === 'ERR_INTERNAL' || code?.startsWith('foreign')) return `${vector.id}: ${code}`;
  if (outcome !== vector.outcome) return `${vector.id}: expected ${vector.outcome}, got ${code ?? 'valid'}`;
  if (typeof vector.expectedError === 'string' && code !== vector.expectedError) {
    return `${vector.id}: expected ${vector.expectedError}, got ${code}`;
  }
  return undefined;
}

async function runInterop() {
  const failures = [];
  for (const vector of data.vectors) {
    const failure = await judgeVector(vector);
    if (failure !== undefined) failures.push(failure);
  }
  return { total: data.vectors.length, passed: data.vectors.length - failures.length, failures };
}

async function runWycheproof() {
  const families = {};
  const failures = [];
  for (const sample of data.wycheproof) {
    const keys = sample.keys.map((key) => base64UrlToBytes(key));
    const family = (families[sample.family] ??= { total: 0, passed: 0 });
    for (const test of sample.tests) {
      family.total++;
      let code;
      try {
        await verifySignature(keys[test.key], base64UrlToBytes(test.msg), base64UrlToBytes(test.sig), {
          allowedAlgorithms: [sample.alg],
        });
      } catch (error) {
        code = codeOf(error);
      }
      const ok = test.result === 'valid' ? code === undefined : code === 'ERR_SIGNATURE_INVALID';
      if (ok) family.passed++;
      else failures.push(`${sample.file} tcId ${test.tcId} (${test.result}): ${code ?? 'verified'}`);
    }
  }
  const total = Object.values(families).reduce((n, f) => n + f.total, 0);
  return { total, passed: total - failures.length, families, failures };
}

/**
 * What the platform's WebCrypto offers beyond ECDSA/RSA, by generating a key of each: the portable
 * backend uses WebCrypto where it can and @noble elsewhere (docs/runtimes.md says which is which).
 */
async function webCryptoCapabilities() {
  const has = (algorithm) =>
    globalThis.crypto.subtle.generateKey(algorithm, false, ['sign', 'verify']).then(
      () => true,
      () => false,
    );
  return { Ed25519: await has({ name: 'Ed25519' }), Ed448: await has({ name: 'Ed448' }), 'ML-DSA-44': await has({ name: 'ML-DSA-44' }) };
}

/** Everything the matrix reports for one runtime. */
export async function runSuite(runtime) {
  const interop = await runInterop();
  const wycheproof = await runWycheproof();
  const freshChecks = await runFreshCeremonies();
  const fresh = {
    total: freshChecks.length,
    passed: freshChecks.filter((c) => c.pass).length,
    failures: freshChecks.filter((c) => !c.pass).map((c) => `${c.name}: ${c.error}`),
  };
  return { runtime, backend, webCrypto: await webCryptoCapabilities(), interop, wycheproof, fresh };
}
