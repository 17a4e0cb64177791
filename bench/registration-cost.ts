/**
 * Registration cost campaign (issue 14): the CPU time of the most expensive registrations the cost
 * caps still admit, with cold caches, so docs/security.md can state the worst case it measured.
 *
 *   npx tsx bench/registration-cost.ts [--runs N]
 *
 * Each scenario is one registration verified `runs` times; before every run the X.509 caches
 * (parsed certificates, anchors, verified signatures) and the key cache are emptied, so every
 * certificate is parsed and every signature checked again. CPU time is process.cpuUsage()
 * (user + system) around the awaited verification. Sources, not dist: it measures src/.
 */
import { webcrypto } from 'node:crypto';
import { availableParallelism, cpus } from 'node:os';
import { verifyRegistrationResponse } from '../src/index.js';
import { clearKeyCache } from '../src/low-level.js';
import { clearX509Caches, type TrustAnchorInput } from '../src/x509/index.js';
import type { RegistrationResponseJSON } from '../src/types.js';
import type { RegistrationExpectations } from '../src/ceremony/verify-registration.js';
import {
  b64u,
  createRegistration,
  DEFAULT_AAGUID,
  encodeAttestationObject,
  type SyntheticRegistration,
  withResponseFields,
} from '../test/helpers/synthetic-registration.js';
import { createTestCa, type TestKeyPair } from '../test/helpers/test-ca.js';

const runsArg = process.argv.indexOf('--runs');
const RUNS = runsArg > 0 ? Number(process.argv[runsArg + 1]) : 15;

async function rsaKey(bits: number): Promise<TestKeyPair> {
  const pair = (await webcrypto.subtle.generateKey(
    { name: 'RSASSA-PKCS1-v1_5', modulusLength: bits, publicExponent: new Uint8Array([1, 0, 1]), hash: 'SHA-256' },
    true,
    ['sign', 'verify'],
  )) as CryptoKeyPair;
  const spki = new Uint8Array(await webcrypto.subtle.exportKey('spki', pair.publicKey));
  return { type: 'RSA-2048', privateKey: pair.privateKey, publicKey: pair.publicKey, spki };
}

interface Scenario {
  readonly name: string;
  readonly response: RegistrationResponseJSON;
  readonly expected: RegistrationExpectations;
}

const entry = (registration: SyntheticRegistration) =>
  new Map<unknown, unknown>([
    ['fmt', registration.fmt],
    ['attStmt', registration.attStmt],
  ]);

function compound(base: SyntheticRegistration, parts: readonly SyntheticRegistration[], anchors: readonly TrustAnchorInput[]): Scenario {
  const attestationObject = b64u(encodeAttestationObject('compound', parts.map(entry), base.authenticatorData));
  return {
    name: '',
    response: withResponseFields(base, { attestationObject }),
    expected: { ...base.expected, attestation: { trustAnchors: [...anchors], require: 'valid' } },
  };
}

/** A packed registration whose x5c is `certificates` long (leaf + intermediates), keys as given. */
async function packedChain(name: string, certificates: number, caKey?: TestKeyPair): Promise<SyntheticRegistration> {
  const ca = await createTestCa({
    name,
    intermediates: certificates - 1,
    ...(caKey === undefined ? {} : { root: { key: caKey }, intermediate: { key: caKey } }),
    leaf: { aaguid: DEFAULT_AAGUID },
  });
  return createRegistration({ aaguid: DEFAULT_AAGUID, format: 'packed', ca });
}

async function scenarios(): Promise<Scenario[]> {
  const out: Scenario[] = [];
  const self = await createRegistration({ aaguid: DEFAULT_AAGUID, format: 'packed', self: true });

  // 8 sub-statements: 5 × (leaf + intermediate) = the 10-certificate cap, 3 self statements.
  const ecChains = await Promise.all([0, 1, 2, 3, 4].map((i) => packedChain(`EC ${i}`, 2)));
  out.push({
    ...compound(self, [...ecChains, self, self, self], ecChains.flatMap((r) => [...(r.expected.attestation?.trustAnchors ?? [])])),
    name: 'compound 8 entries, 10 P-256 certificates (5 chains of 2), anchors given',
  });

  for (const bits of [4096, 8192]) {
    const key = await rsaKey(bits);
    // 2 sub-statements × 5 certificates: every link and the anchor link an RSA verification.
    const chains = await Promise.all([0, 1].map((i) => packedChain(`RSA${bits} ${i}`, 5, key)));
    out.push({
      ...compound(self, [...chains, self, self, self, self, self, self], chains.flatMap((r) => [...(r.expected.attestation?.trustAnchors ?? [])])),
      name: `compound 8 entries, 2 chains of 5 certificates under RSA-${bits} CAs, anchors given`,
    });
    const single = await packedChain(`RSA${bits} single`, 5, key);
    out.push({ name: `packed, x5c of 5 under RSA-${bits} CAs, anchors given`, response: single.response, expected: single.expected });
  }

  // The case: 8 sub-statements × 5-certificate chains (40 certificates), refused now.
  const wide = await Promise.all([0, 1, 2, 3, 4, 5, 6, 7].map((i) => packedChain(`EC wide ${i}`, 5)));
  out.push({
    ...compound(self, wide, wide.flatMap((r) => [...(r.expected.attestation?.trustAnchors ?? [])])),
    name: 'compound 8 entries × 5-certificate P-256 chains (40 certificates)',
  });

  // The cap itself: the 11th certificate is refused before it is parsed.
  const over = await Promise.all([0, 1, 2, 3, 4, 5].map((i) => packedChain(`EC over ${i}`, 2)));
  out.push({ ...compound(self, [...over, self, self], []), name: 'compound 8 entries, 12 certificates (refused: over the cap)' });
  return out;
}

function cpuMs(start: NodeJS.CpuUsage): number {
  const used = process.cpuUsage(start);
  return (used.user + used.system) / 1000;
}

async function main(): Promise<void> {
  const list = await scenarios();
  console.log(`registration cost, ${RUNS} cold runs each; ${cpus()[0]?.model ?? 'cpu'} × ${availableParallelism()}, node ${process.version}`);
  const rows: { scenario: string; outcome: string; medianMs: number; maxMs: number }[] = [];
  for (const scenario of list) {
    const samples: number[] = [];
    let outcome = '';
    for (let i = 0; i < RUNS + 1; i++) {
      clearX509Caches();
      clearKeyCache();
      const start = process.cpuUsage();
      try {
        await verifyRegistrationResponse(scenario.response, scenario.expected);
        outcome = 'verified';
      } catch (error) {
        outcome = (error as { code?: string }).code ?? String(error);
      }
      // The first run also loads code paths: not counted.
      if (i > 0) samples.push(cpuMs(start));
    }
    samples.sort((a, b) => a - b);
    rows.push({
      scenario: scenario.name,
      outcome,
      medianMs: Number((samples[Math.floor(samples.length / 2)] ?? 0).toFixed(2)),
      maxMs: Number((samples[samples.length - 1] ?? 0).toFixed(2)),
    });
  }
  console.table(rows);
}

await main();
