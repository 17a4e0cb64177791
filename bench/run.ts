/**
 * `npm run bench [-- --quick]`: the hot verify path next to its limits and a peer, in one run.
 *
 * Contenders, on the same inputs:
 *   (a)  node:crypto verify of the same signature with a ready KeyObject — the warm limit;
 *   (a0) node:crypto JWK import + verify — the limit for a credential seen for the first time;
 *   (b)  @simplewebauthn/server 14 verifyAuthenticationResponse;
 *   ours with the Node backend (this process) and the portable backend (a child process started
 *   with --conditions=webauthn-verify-portable, which measures its own (a) for its ratio).
 * "warm" verifies one credential again and again; "cold" cycles through more distinct credentials
 * than the key cache holds. Prints a table of ops/s and ratios and writes bench/results.json.
 */
import { execFileSync } from 'node:child_process';
import { createPublicKey, verify as nodeVerify } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { availableParallelism, cpus } from 'node:os';
import { measure } from 'mitata';
import { verifyAuthenticationResponse as simpleVerify } from '@simplewebauthn/server';
import { verifyAuthenticationResponse } from 'webauthn-verify';
import { DEFAULT_KEY_CACHE_CAPACITY } from 'webauthn-verify/low-level';
import { type BenchAlg, type BenchCredential, CHALLENGE, ORIGIN, RP_ID, makeCredential } from './inputs.js';

const quick = process.argv.includes('--quick');
const child = process.argv.includes('--child');
const ROUNDS = quick ? 1 : 3;
const MIN_CPU_NS = (quick ? 150 : 600) * 1e6;

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

/** Mean operations per second of `fn` (sync or async). */
async function opsPerSecond(fn: () => unknown): Promise<number> {
  const stats = await measure(fn, { min_cpu_time: MIN_CPU_NS });
  return 1e9 / stats.avg;
}

function cycling<T>(items: readonly T[], fn: (item: T) => unknown): () => unknown {
  let i = 0;
  return () => fn(items[i++ % items.length] as T);
}

/** Runs the contenders in turn, ROUNDS times, and keeps each one's median (less noise in ratios). */
async function compare(cases: Record<string, () => unknown>): Promise<Record<string, number>> {
  const samples: Record<string, number[]> = {};
  for (let round = 0; round < ROUNDS; round++) {
    for (const [name, fn] of Object.entries(cases)) (samples[name] ??= []).push(await opsPerSecond(fn));
  }
  const medians: Record<string, number> = {};
  for (const [name, values] of Object.entries(samples)) {
    values.sort((x, y) => x - y);
    medians[name] = values[Math.floor(values.length / 2)] as number;
  }
  return medians;
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
  readonly target: number;
}

async function warm(alg: BenchAlg, rows: Row[], targets: { raw: number; simple: number }): Promise<void> {
  const c = makeCredential(alg, 0);
  await sanityCheck(c);
  const r = await compare({ raw: () => raw(c), ours: () => ours(c), simple: () => simple(c) });
  rows.push({ scenario: `${alg} warm`, ours: r.ours!, baseline: '(a) node:crypto verify', baselineOps: r.raw!, target: targets.raw });
  rows.push({ scenario: `${alg} warm`, ours: r.ours!, baseline: '(b) @simplewebauthn/server', baselineOps: r.simple!, target: targets.simple });
}

async function cold(rows: Row[]): Promise<void> {
  const count = DEFAULT_KEY_CACHE_CAPACITY + 512;
  const creds = Array.from({ length: count }, (_, i) => makeCredential('ES256', i + 1));
  await sanityCheck(creds[0]!);
  const r = await compare({ raw: cycling(creds, rawCold), ours: cycling(creds, ours), simple: cycling(creds, simple) });
  rows.push({ scenario: `ES256 cold (${count} keys)`, ours: r.ours!, baseline: '(a0) JWK import + verify', baselineOps: r.raw!, target: 0.9 });
  rows.push({ scenario: `ES256 cold (${count} keys)`, ours: r.ours!, baseline: '(b) @simplewebauthn/server', baselineOps: r.simple!, target: 3.5 });
}

/** Child mode: the portable backend, measured against raw node:crypto in the same process. */
async function portableChild(): Promise<void> {
  const c = makeCredential('ES256', 0);
  await sanityCheck(c);
  const r = await compare({ raw: () => raw(c), ours: () => ours(c) });
  process.stdout.write(JSON.stringify(r));
}

function portable(rows: Row[]): void {
  const out = execFileSync(
    process.execPath,
    ['--conditions=webauthn-verify-portable', '--import', 'tsx', 'bench/run.ts', '--child', ...(quick ? ['--quick'] : [])],
    { encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'] },
  );
  const r = JSON.parse(out) as { raw: number; ours: number };
  rows.push({ scenario: 'ES256 warm, portable backend', ours: r.ours, baseline: '(a) node:crypto verify', baselineOps: r.raw, target: 0.5 });
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

  const table = rows.map((row) => {
    const ratio = row.ours / row.baselineOps;
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
  const results = {
    date: new Date().toISOString(),
    node: process.version,
    cpu: cpus()[0]?.model ?? 'unknown',
    cores: availableParallelism(),
    mode: quick ? 'quick' : 'full',
    rows: rows.map((row) => ({ ...row, ratio: row.ours / row.baselineOps, met: row.ours / row.baselineOps >= row.target })),
  };
  writeFileSync(new URL('./results.json', import.meta.url), `${JSON.stringify(results, null, 2)}\n`);
  console.log('wrote bench/results.json');
}

await main();
