/**
 * `npm run fuzz` — the long structured-mutation campaign (docs/fuzzing.md).
 *
 *   npm run fuzz                                   # 100 000 inputs per ceremony, a fresh seed
 *   npm run fuzz -- --runs 5000 --seed 42          # shorter, reproducible
 *   npm run fuzz -- --ceremony authentication
 *   npm run fuzz -- --differential [--runs 3000]   # against @simplewebauthn/server instead
 *   npm run fuzz -- --report /tmp/fuzz.json --no-save
 *
 * Prints the seed first and in the summary; writes the JSON report outside the repository (the
 * OS temp dir unless --report); saves each shrunk finding to fixtures/fuzz-regressions/ unless
 * --no-save. Exit status 1 when any invariant was violated.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { performance } from 'node:perf_hooks';
import fc from 'fast-check';
import { applyPlan, type CeremonyStats, planArb, retime, runCampaign, type SlowInput, usableMutators } from './campaign.js';
import { type Ceremony, loadSeeds, type Seed } from './corpus.js';
import { compare, runTheirs } from './differential.js';
import { loadRegressions, type RegressionFixture, saveRegression, toRegression } from './regressions.js';
import { runOurs } from './verdict.js';

function arg(name: string): string | undefined {
  const i = process.argv.indexOf(`--${name}`);
  return i < 0 ? undefined : process.argv[i + 1];
}
const flag = (name: string) => process.argv.includes(`--${name}`);

const differential = flag('differential');
const runs = Number(arg('runs') ?? (differential ? 3000 : 100_000));
const seed = Number(arg('seed') ?? Math.floor(Math.random() * 0x7fffffff));
const ceremonies: Ceremony[] = arg('ceremony') === undefined ? ['registration', 'authentication'] : [arg('ceremony') as Ceremony];
const reportPath = arg('report') ?? join(tmpdir(), 'webauthn-verify-fuzz', `${differential ? 'differential' : 'report'}-${seed}.json`);
const budgetMs = Number(arg('budget') ?? 50);
const mib = (bytes: number) => Math.round((bytes / 1048576) * 10) / 10;

function writeReport(report: unknown): void {
  mkdirSync(dirname(reportPath), { recursive: true });
  writeFileSync(reportPath, `${JSON.stringify(report, null, 2)}\n`);
  console.log(`report: ${reportPath}`);
}

const round2 = (ms: number) => Math.round(ms * 100) / 100;

function summarise(ceremony: Ceremony, s: CeremonyStats, retimed: SlowInput[]) {
  const confirmed = retimed.filter((x) => x.ms > budgetMs);
  return {
    ceremony,
    inputs: s.inputs,
    accepted: s.accepted,
    mustRejectInputs: s.mustReject,
    acceptedSignedChange: s.acceptedSignedChange,
    acceptedMustReject: s.acceptedMustReject,
    errInternal: s.errInternal,
    foreignExceptions: s.foreign,
    trustClaims: s.trustClaims,
    overBudgetInRun: s.overBudget,
    overBudgetConfirmed: confirmed.length,
    meanMs: Math.round((s.totalMs / Math.max(1, s.inputs)) * 1000) / 1000,
    slowestInRun: s.slowest.map(({ vector: _vector, ...x }) => ({ ...x, ms: round2(x.ms) })),
    // The slowest and over-budget inputs of the run, timed again afterwards (fastest of 5).
    slowestRetimed: retimed.slice(0, 10).map((x) => ({ ...x, ms: round2(x.ms) })),
    codes: Object.fromEntries(Object.entries(s.codes).sort((a, b) => b[1] - a[1])),
    mutators: s.mutators,
    knownViolations: s.repeats,
  };
}

async function fuzz(seeds: Seed[]): Promise<number> {
  (globalThis as { gc?: () => void }).gc?.();
  const heapStart = process.memoryUsage().heapUsed;
  const rssStart = process.memoryUsage.rss();
  const started = performance.now();
  const results = [];
  const findings: RegressionFixture[] = [];
  let rssPeak = rssStart;
  // Findings already saved (fixtures/fuzz-regressions) are counted as `known`, not shrunk and saved again.
  const known = loadRegressions().map((f) => `${f.violation.kind}|${f.mutator}`);
  for (const ceremony of ceremonies) {
    const t = performance.now();
    console.log(`== ${ceremony}: ${runs} inputs, ${usableMutators(seeds, ceremony).length} mutators, ${seeds.filter((s) => s.ceremony === ceremony).length} seeds`);
    const { stats } = await runCampaign(seeds, {
      ceremony,
      runs,
      seed,
      budgetMs,
      known,
      progressEvery: 10_000,
      onProgress: (s) => console.log(`   ${s.inputs} inputs, ${s.accepted} accepted, rss ${mib(process.memoryUsage.rss())} MiB, ${((performance.now() - t) / 1000).toFixed(0)} s`),
      onFinding: (f) => {
        console.log(`   FINDING ${f.signature} on ${f.seed.id} (${f.mutated.variant}): ${f.verdict.accepted ? 'accepted' : f.verdict.code}`);
        const fixture = toRegression(f, seed);
        findings.push(fixture);
        if (!flag('no-save')) console.log(`   saved ${saveRegression(fixture)}`);
      },
    });
    rssPeak = Math.max(rssPeak, stats.rssPeak);
    const seconds = Math.round((performance.now() - t) / 100) / 10;
    const retimed = await retime(stats);
    results.push({ ...summarise(ceremony, stats, retimed), seconds });
  }
  const violations = results.reduce((n, r) => n + r.acceptedSignedChange + r.acceptedMustReject + r.errInternal + r.foreignExceptions + r.trustClaims, 0);
  // Heap after a full collection, before and after: growth here would be a leak, not a cache filling.
  const gc = (globalThis as { gc?: () => void }).gc;
  gc?.();
  const heapEnd = process.memoryUsage().heapUsed;
  const report = {
    kind: 'webauthn-verify fuzz campaign',
    seed,
    runsPerCeremony: runs,
    budgetMs,
    node: process.version,
    backend: 'node',
    seeds: seeds.length,
    seconds: Math.round((performance.now() - started) / 100) / 10,
    memory: {
      rssStartMiB: mib(rssStart),
      rssPeakMiB: mib(rssPeak),
      peakGrowthMiB: mib(rssPeak - rssStart),
      rssEndMiB: mib(process.memoryUsage.rss()),
      ...(gc === undefined ? {} : { heapAfterGcStartMiB: mib(heapStart), heapAfterGcEndMiB: mib(heapEnd) }),
    },
    ceremonies: results,
    findings,
  };
  console.log(`\n== summary (seed ${seed})`);
  console.table(
    results.map((r) => ({
      ceremony: r.ceremony,
      inputs: r.inputs,
      accepted: r.accepted,
      'accepted signed change': r.acceptedSignedChange,
      'accepted must-reject': r.acceptedMustReject,
      ERR_INTERNAL: r.errInternal,
      foreign: r.foreignExceptions,
      'trust claims': r.trustClaims,
      [`> ${budgetMs} ms in run`]: r.overBudgetInRun,
      [`> ${budgetMs} ms retimed`]: r.overBudgetConfirmed,
      'slowest ms in run': r.slowestInRun[0]?.ms,
      'slowest ms retimed': r.slowestRetimed[0]?.ms,
      'slowest input (retimed)': r.slowestRetimed[0] === undefined ? '' : `${r.slowestRetimed[0].mutator} on ${r.slowestRetimed[0].seed}`,
      s: r.seconds,
    })),
  );
  console.log(`memory: ${JSON.stringify(report.memory)}`);
  for (const r of results) console.log(`${r.ceremony} slowest (retimed, fastest of 5): ${JSON.stringify(r.slowestRetimed.slice(0, 3))}`);
  for (const r of results) console.log(`${r.ceremony} codes: ${JSON.stringify(r.codes)}`);
  for (const r of results) console.log(`${r.ceremony} known violations (tracked by fixtures/fuzz-regressions): ${JSON.stringify(r.knownViolations)}`);
  writeReport(report);
  return violations;
}

async function runDifferential(seeds: Seed[]): Promise<void> {
  const classes = new Map<string, { count: number; formats: Set<string>; examples: string[] }>();
  const tally = { inputs: 0, agree: 0, onlyWeAccept: 0, onlyTheyAccept: 0 };
  const note = async (vector: Seed['vector'], label: string, format: string) => {
    const ours = await runOurs(vector);
    const theirs = await runTheirs(vector);
    const c = compare(ours, theirs);
    tally.inputs++;
    if (c.direction === 'agree') return tally.agree++;
    if (c.direction === 'only-we-accept') tally.onlyWeAccept++;
    else tally.onlyTheyAccept++;
    const entry = classes.get(c.class!) ?? { count: 0, formats: new Set<string>(), examples: [] };
    entry.count++;
    entry.formats.add(format);
    if (entry.examples.length < 4) entry.examples.push(label);
    classes.set(c.class!, entry);
  };
  for (const s of seeds) await note(s.vector, `${s.id} (unmutated)`, s.fmt ?? s.ceremony);
  for (const ceremony of ceremonies) {
    const usable = usableMutators(seeds, ceremony);
    const plans = fc.sample(planArb(usable.length), { numRuns: runs * 2, seed });
    let done = 0;
    for (const plan of plans) {
      if (done >= runs) break;
      const applied = applyPlan(usable, plan);
      if (applied === undefined) continue;
      const [mutator, s, mutated] = applied;
      done++;
      await note({ ...s.vector, response: mutated.response as Seed['vector']['response'] }, `${s.id} + ${mutator.name} (${mutated.variant})`, s.fmt ?? s.ceremony);
    }
  }
  const rows = [...classes.entries()].sort((a, b) => b[1].count - a[1].count);
  console.log(`\n== differential vs @simplewebauthn/server (seed ${seed}): ${JSON.stringify(tally)}`);
  for (const [name, entry] of rows) {
    console.log(`${String(entry.count).padStart(6)}  ${name}  [${[...entry.formats].join(', ')}]`);
    for (const example of entry.examples) console.log(`          e.g. ${example}`);
  }
  writeReport({
    kind: 'webauthn-verify differential run',
    seed,
    mutatedInputsPerCeremony: runs,
    ...tally,
    classes: rows.map(([name, e]) => ({ class: name, count: e.count, formats: [...e.formats], examples: e.examples })),
  });
}

console.log(`webauthn-verify fuzz: seed ${seed} (reproduce with --seed ${seed} --runs ${runs})`);
const seeds = await loadSeeds();
if (differential) {
  await runDifferential(seeds);
} else {
  const violations = await fuzz(seeds);
  process.exitCode = violations > 0 ? 1 : 0;
}
