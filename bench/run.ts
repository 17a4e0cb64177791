/**
 * `npm run bench [-- --quick]`: the hot verify path next to its limits and a peer, in one run.
 *
 * Contenders, on the same inputs:
 *   (a)  node:crypto verify of the same signature with a ready KeyObject — the warm limit;
 *   (a0) node:crypto JWK import + verify — the limit for a credential seen for the first time;
 *   (b)  @simplewebauthn/server 14 verifyAuthenticationResponse;
 *   ours with the Node backend (this process) and the portable backend (a child process started
 *   with --conditions=webauthn-verify-portable, which measures its own (a) for its ratio).
 * Timing: interleaved slices and medians (see `compare`), not a benchmark library: libraries
 * measure one contender after the other, and on a shared VM that turns drift into false ratios.
 * "warm" verifies one credential again and again; "cold" cycles through more distinct credentials
 * than the key cache holds. Prints a table of ops/s and ratios and writes bench/results.json.
 * Then bench/budgets.ts: bundle sizes and cold start next to @simplewebauthn/server; the run
 * fails (exit 1) when the sign-in bundle is over its gzip budget.
 */
import { execFileSync } from 'node:child_process';
import { createPublicKey, verify as nodeVerify } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { availableParallelism, cpus } from 'node:os';
import {
  SettingsService,
  verifyAuthenticationResponse as simpleVerify,
  verifyRegistrationResponse as simpleVerifyRegistration,
} from '@simplewebauthn/server';
import { type RegistrationExpectations, verifyAuthenticationResponse, verifyRegistrationResponse } from 'webauthn-verify';
import { createRegistration } from '../test/helpers/synthetic-registration.js';
import { DEFAULT_KEY_CACHE_CAPACITY } from 'webauthn-verify/low-level';
import { runBudgets } from './budgets.js';
import { type BenchAlg, type BenchCredential, CHALLENGE, ORIGIN, RP_ID, makeCredential } from './inputs.js';

const quick = process.argv.includes('--quick');
const child = process.argv.includes('--child');
// Contenders run in short interleaved slices, many rounds, and each keeps its median time per
// operation: on a shared 2-core VM the speed drifts by ±30 % from second to second, and only
// measurements taken side by side in time give steady ratios.
const ROUNDS = quick ? 25 : 80;
const SLICE_MS = quick ? 8 : 15;
const WARMUP_MS = quick ? 600 : 1500;
let firstComparison = true;

const expected = { challenge: CHALLENGE, origin: ORIGIN, rpId: RP_ID } as const;

function ours(c: BenchCredential) {
  return verifyAuthenticationResponse(
    c.response,
    { id: c.id, publicKey: c.coseBase64Url, algorithm: c.coseAlg, signCount: 0 },
    expected,
  );
}

function raw(c: BenchCredential): boolean {
  const hash = c.alg === 'Ed25519' ? null : 'sha256';
  return nodeVerify(hash, c.signedData, { key: c.keyObject, dsaEncoding: 'der' }, c.signature);
}

function rawCold(c: BenchCredential): boolean {
  const key = createPublicKey({ key: c.jwk, format: 'jwk' });
  const hash = c.alg === 'Ed25519' ? null : 'sha256';
  return nodeVerify(hash, c.signedData, { key, dsaEncoding: 'der' }, c.signature);
}

function simple(c: BenchCredential) {
  return simpleVerify({
    response: c.response,
    expectedChallenge: CHALLENGE,
    expectedOrigin: ORIGIN,
    expectedRPID: RP_ID,
    credential: { id: c.id, publicKey: c.cose as Uint8Array<ArrayBuffer>, counter: 0 },
    requireUserVerification: false,
  });
}

/** Time per operation (ms) of `fn` over one slice of about SLICE_MS; awaits async results. */
async function slice(fn: () => unknown, async: boolean): Promise<number> {
  let iterations = 0;
  const start = performance.now();
  let now = start;
  do {
    for (let i = 0; i < 8; i++) {
      if (async) await fn();
      else fn();
    }
    iterations += 8;
    now = performance.now();
  } while (now - start < SLICE_MS);
  return (now - start) / iterations;
}

function cycling<T>(items: readonly T[], fn: (item: T) => unknown): () => unknown {
  let i = 0;
  return () => fn(items[i++ % items.length] as T);
}

interface Comparison {
  /** Median operations per second of each contender. */
  readonly ops: Record<string, number>;
  /** Median over rounds of ops(ours) / ops(baseline), each from slices taken side by side. */
  readonly ratio: Record<string, number>;
}

function median(values: number[]): number {
  const sorted = [...values].sort((x, y) => x - y);
  return sorted[Math.floor(sorted.length / 2)] as number;
}

/**
 * Runs `ours` and the baselines in interleaved slices; ratios are paired per round. Callers pair
 * ours with one baseline at a time, so that a garbage-heavy peer's collections are not paid for
 * on our clock.
 */
async function compare(ours: () => unknown, baselines: Record<string, () => unknown>): Promise<Comparison> {
  const entries = Object.entries({ ours, ...baselines }).map(([name, fn]) => ({
    name,
    fn,
    async: fn() instanceof Promise,
    samples: [] as number[],
  }));
  // Warm-up long enough for the optimizing compiler: a short one left the first scenario of a run
  // measured on baseline code (0.6× instead of 0.86× in one experiment), and Node's WebCrypto,
  // mostly JavaScript, needs over a second to reach its steady speed.
  // The first comparison of a process also pays for compiling the whole verify path.
  const warmUntil = performance.now() + (firstComparison ? 5 : child ? 2.5 : 1) * WARMUP_MS;
  firstComparison = false;
  while (performance.now() < warmUntil) for (const entry of entries) await slice(entry.fn, entry.async);
  for (let round = 0; round < ROUNDS; round++) {
    for (const entry of entries) entry.samples.push(await slice(entry.fn, entry.async));
  }
  const oursSamples = entries[0]!.samples;
  const ops: Record<string, number> = {};
  const ratio: Record<string, number> = {};
  for (const { name, samples } of entries) {
    ops[name] = 1000 / median(samples);
    if (name !== 'ours') ratio[name] = median(samples.map((time, round) => time / (oursSamples[round] as number)));
  }
  return { ops, ratio };
}

async function sanityCheck(c: BenchCredential): Promise<void> {
  const [a, b, s] = [raw(c), await ours(c), await simple(c)];
  if (!a || b.counter !== 'increased' || !s.verified) throw new Error(`bench inputs for ${c.alg} do not verify`);
}

interface Row {
  readonly scenario: string;
  readonly ours: number;
  readonly baseline: string;
  readonly baselineOps: number;
  readonly ratio: number;
  readonly target: number;
}

function row(scenario: string, r: Comparison, key: string, baseline: string, target: number): Row {
  return { scenario, ours: r.ops.ours!, baseline, baselineOps: r.ops[key]!, ratio: r.ratio[key]!, target };
}

async function warm(alg: BenchAlg, rows: Row[], targets: { raw: number; simple: number }): Promise<void> {
  const c = makeCredential(alg, 0);
  await sanityCheck(c);
  rows.push(row(`${alg} warm`, await compare(() => ours(c), { raw: () => raw(c) }), 'raw', '(a) node:crypto verify', targets.raw));
  rows.push(row(`${alg} warm`, await compare(() => ours(c), { simple: () => simple(c) }), 'simple', '(b) @simplewebauthn/server', targets.simple));
}

async function cold(rows: Row[]): Promise<void> {
  const count = DEFAULT_KEY_CACHE_CAPACITY + 512;
  const creds = Array.from({ length: count }, (_, i) => makeCredential('ES256', i + 1));
  await sanityCheck(creds[0]!);
  const scenario = `ES256 cold (${count} keys)`;
  rows.push(row(scenario, await compare(cycling(creds, ours), { raw: cycling(creds, rawCold) }), 'raw', '(a0) JWK import + verify', 0.9));
  rows.push(row(scenario, await compare(cycling(creds, ours), { simple: cycling(creds, simple) }), 'simple', '(b) @simplewebauthn/server', 3.5));
}

/**
 * Registration, next to @simplewebauthn/server on the same response: packed with x5c (ES256 leaf
 * and intermediate to a root anchor, trust required) and none.
 */
async function registration(rows: Row[]): Promise<void> {
  for (const [label, target, options] of [
    ['packed x5c ES256 (leaf + intermediate → anchor)', 3, { format: 'packed' }],
    ['none ES256', 4, { format: 'none' }],
  ] as const) {
    const synthetic = await createRegistration(options);
    const anchors = synthetic.expected.attestation?.trustAnchors ?? [];
    const expectations: RegistrationExpectations = {
      challenge: synthetic.expected.challenge,
      origin: synthetic.expected.origin,
      rpId: synthetic.expected.rpId,
      attestation: { trustAnchors: anchors, require: anchors.length > 0 ? 'trusted' : 'valid' },
    };
    const pem = anchors.map((der) => `-----BEGIN CERTIFICATE-----\n${Buffer.from(der).toString('base64')}\n-----END CERTIFICATE-----\n`);
    SettingsService.setRootCertificates({ identifier: 'packed', certificates: pem });
    const oursFn = () => verifyRegistrationResponse(synthetic.response, expectations);
    const simpleFn = () =>
      simpleVerifyRegistration({
        response: synthetic.response as unknown as Parameters<typeof simpleVerifyRegistration>[0]['response'],
        expectedChallenge: synthetic.expected.challenge as string,
        expectedOrigin: synthetic.expected.origin as string,
        expectedRPID: synthetic.expected.rpId as string,
        requireUserVerification: false,
      });
    const [a, b] = [await oursFn(), await simpleFn()];
    if (!b.verified || (anchors.length > 0 && !a.attestation.trusted)) throw new Error(`registration inputs (${label}) do not verify`);
    const r = await compare(oursFn, { simple: simpleFn });
    rows.push(row(`registration: ${label}`, r, 'simple', '(b) @simplewebauthn/server', target));
  }
}

/** Child mode: the portable backend, measured against raw node:crypto in the same process. */
async function portableChild(): Promise<void> {
  const c = makeCredential('ES256', 0);
  await sanityCheck(c);
  const r = await compare(() => ours(c), { raw: () => raw(c) });
  process.stdout.write(JSON.stringify(r));
}

function portable(rows: Row[]): void {
  const out = execFileSync(
    process.execPath,
    ['--conditions=webauthn-verify-portable', '--import', 'tsx', 'bench/run.ts', '--child', ...(quick ? ['--quick'] : [])],
    { encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'] },
  );
  const r = JSON.parse(out) as Comparison;
  rows.push(row('ES256 warm, portable backend', r, 'raw', '(a) node:crypto verify', 0.5));
}

function fmt(n: number): string {
  return Math.round(n).toLocaleString('en-US');
}

async function main(): Promise<void> {
  if (child) return portableChild();
  const rows: Row[] = [];
  await warm('ES256', rows, { raw: 0.85, simple: 6 });
  await cold(rows);
  await warm('RS256', rows, { raw: 0.7, simple: 5 });
  await warm('Ed25519', rows, { raw: 0.85, simple: 2.5 });
  portable(rows);
  await registration(rows);

  const table = rows.map((row) => {
    const ratio = row.ratio;
    return {
      scenario: row.scenario,
      'ours ops/s': fmt(row.ours),
      baseline: row.baseline,
      'baseline ops/s': fmt(row.baselineOps),
      ratio: `${ratio.toFixed(2)}×`,
      target: `≥ ${row.target}×`,
      met: ratio >= row.target ? 'yes' : 'NO',
    };
  });
  console.table(table);
  // Bundle sizes and cold start (bench/budgets.ts): after the throughput runs, which they would disturb.
  const budgets = await runBudgets(quick);
  const results = {
    date: new Date().toISOString(),
    node: process.version,
    cpu: cpus()[0]?.model ?? 'unknown',
    cores: availableParallelism(),
    mode: quick ? 'quick' : 'full',
    method: `interleaved slices of ${SLICE_MS} ms, ${ROUNDS} rounds; ops/s are medians, ratios are medians of per-round ratios`,
    rows: rows.map((r) => ({ ...r, met: r.ratio >= r.target })),
    budgets,
  };
  writeFileSync(new URL('./results.json', import.meta.url), `${JSON.stringify(results, null, 2)}\n`);
  console.log('wrote bench/results.json');
  // The one deterministic budget fails the run (CI runs `bench --quick`); timings never do.
  if (!budgets.signInWithinBudget) {
    console.error(`bench: the sign-in bundle exceeds its budget of ${budgets.signInGzipBudget} bytes gzip`);
    process.exitCode = 1;
  }
}

await main();
