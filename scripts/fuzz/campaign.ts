/**
 * The fuzz campaign: fast-check generates (mutator, seed, entropy) triples per ceremony, each is
 * applied to its seed and verified, and every input is judged (fuzz/invariants.ts) and timed.
 * A violation not seen before fails the property, so fast-check shrinks it to a minimal input;
 * the campaign records it and continues with the next seed (`seed + round`) until the run count
 * is reached. Inputs are counted once, while exploring — shrinking steps are not counted.
 */
import fc from 'fast-check';
import type { Ceremony, Seed } from './corpus.js';
import { judge, type Violation } from './invariants.js';
import { entropyArb, type Entropy, type Mutated, type Mutator, mutatorsFor } from './mutators/index.js';
import { runOurs, type Verdict } from './verdict.js';

/** One generated input: indexes into the mutator list and the mutator's applicable seeds. */
export interface Plan {
  readonly mutator: number;
  readonly seed: number;
  readonly entropy: Entropy;
}

/** One verified input: what was mutated, how, the verdict and the invariants it broke. */
export interface Evaluated {
  readonly seed: Seed;
  readonly mutator: Mutator;
  readonly entropy: Entropy;
  readonly mutated: Mutated;
  readonly verdict: Verdict;
  readonly violations: readonly Violation[];
}

/** A shrunk violation: its fast-check round and its signature (`kind|mutator`). */
export interface Finding extends Evaluated {
  readonly round: number;
  readonly signature: string;
}

/** A timed input, for the slowest lists of the report. */
export interface SlowInput {
  readonly ms: number;
  readonly mutator: string;
  readonly variant: string;
  readonly seed: string;
  readonly code: string;
}

/** Counters of one ceremony's run (inputs are counted while exploring, never while shrinking). */
export interface CeremonyStats {
  inputs: number;
  accepted: number;
  /** Inputs whose mutator marked them mustReject. */
  mustReject: number;
  acceptedSignedChange: number;
  acceptedMustReject: number;
  errInternal: number;
  foreign: number;
  trustClaims: number;
  /** Inputs over the time budget after re-measuring (min of three calls in a row). */
  overBudget: number;
  /** Those inputs, kept (up to 200) to be timed again after the run ({@link retime}). */
  overBudgetInputs: { vector: Seed['vector']; slow: SlowInput }[];
  /** Error code (or `ACCEPTED`) → count. */
  codes: Record<string, number>;
  /** Mutator → [inputs, accepted]. */
  mutators: Record<string, [number, number]>;
  /** The 10 slowest calls of the run, with their inputs (to be timed again by {@link retime}). */
  slowest: (SlowInput & { vector: Seed['vector'] })[];
  totalMs: number;
  /** Peak resident set size sampled every 200 inputs, bytes. */
  rssPeak: number;
  /** Violations seen again after their first finding (not shrunk again). */
  repeats: Record<string, number>;
}

/** How long, from which seed and with which callbacks one ceremony is fuzzed. */
export interface CampaignOptions {
  readonly ceremony: Ceremony;
  readonly runs: number;
  readonly seed: number;
  /** Per-call budget in ms (default 50); a call over it is re-measured twice. */
  readonly budgetMs?: number;
  /** Called every `progressEvery` inputs. */
  readonly onProgress?: (stats: CeremonyStats) => void;
  readonly progressEvery?: number;
  /** Called with each shrunk finding. */
  readonly onFinding?: (finding: Finding) => void;
  /**
   * Violation signatures (`kind|mutator`) already tracked by a regression fixture: counted in
   * `repeats`, not shrunk again and not counted as violations here (their replay test fails).
   */
  readonly known?: readonly string[];
  /** Stop shrinking new findings after this many (default 30), counting the rest only. */
  readonly maxFindings?: number;
}

/** Zeroed statistics. */
export function emptyStats(): CeremonyStats {
  return {
    inputs: 0,
    accepted: 0,
    mustReject: 0,
    acceptedSignedChange: 0,
    acceptedMustReject: 0,
    errInternal: 0,
    foreign: 0,
    trustClaims: 0,
    overBudget: 0,
    overBudgetInputs: [],
    codes: {},
    mutators: {},
    slowest: [],
    totalMs: 0,
    rssPeak: 0,
    repeats: {},
  };
}

/** The mutators of a ceremony that apply to at least one seed, each with its seeds. */
export function usableMutators(seeds: readonly Seed[], ceremony: Ceremony): [Mutator, Seed[]][] {
  return mutatorsFor(ceremony)
    .map((m): [Mutator, Seed[]] => [m, seeds.filter((s) => s.ceremony === ceremony && m.applies(s))])
    .filter(([, applicable]) => applicable.length > 0);
}

/** The fast-check arbitrary of plans over `mutatorCount` mutators (indexes reduced modulo on use). */
export const planArb = (mutatorCount: number): fc.Arbitrary<Plan> =>
  fc.record({ mutator: fc.nat(mutatorCount - 1), seed: fc.nat(), entropy: entropyArb });

/** Applies a plan; undefined when it gives nothing to do (or only the seed itself). */
export function applyPlan(usable: readonly [Mutator, Seed[]][], plan: Plan): [Mutator, Seed, Mutated] | undefined {
  const [mutator, applicable] = usable[plan.mutator % usable.length]!;
  const seed = applicable[plan.seed % applicable.length]!;
  const mutated = mutator.apply(seed, plan.entropy);
  if (mutated === undefined || JSON.stringify(mutated.response) === JSON.stringify(seed.vector.response)) return undefined;
  return [mutator, seed, mutated];
}

/** Verifies one mutated input and judges it; over-budget calls are re-measured (min of three). */
export async function evaluate(seed: Seed, mutator: Mutator, entropy: Entropy, mutated: Mutated, budgetMs = 50): Promise<Evaluated> {
  const vector = { ...seed.vector, response: mutated.response as Seed['vector']['response'] };
  let verdict = await runOurs(vector);
  if (verdict.ms > budgetMs) {
    for (let i = 0; i < 2; i++) {
      const again = await runOurs(vector);
      if (again.ms < verdict.ms) verdict = { ...verdict, ms: again.ms };
    }
  }
  return { seed, mutator, entropy, mutated, verdict, violations: judge(seed, mutated, verdict) };
}

const signatureOf = (e: Evaluated, v: Violation) => `${v.kind}|${e.mutator.name}`;

function record(stats: CeremonyStats, e: Evaluated, budgetMs: number): void {
  stats.inputs++;
  if (e.mutated.mustReject) stats.mustReject++;
  stats.totalMs += e.verdict.ms;
  const code = e.verdict.accepted ? 'ACCEPTED' : e.verdict.code!;
  stats.codes[code] = (stats.codes[code] ?? 0) + 1;
  const m = (stats.mutators[e.mutator.name] ??= [0, 0]);
  m[0]++;
  if (e.verdict.accepted) {
    stats.accepted++;
    m[1]++;
  }
  for (const v of e.violations) {
    if (v.kind === 'accepted-signed-change') stats.acceptedSignedChange++;
    else if (v.kind === 'accepted-must-reject') stats.acceptedMustReject++;
    else if (v.kind === 'err-internal') stats.errInternal++;
    else if (v.kind === 'foreign-exception') stats.foreign++;
    else stats.trustClaims++;
  }
  if (e.verdict.ms > budgetMs) {
    stats.overBudget++;
    const slow = { ms: e.verdict.ms, mutator: e.mutator.name, variant: e.mutated.variant, seed: e.seed.id, code };
    if (stats.overBudgetInputs.length < 200) stats.overBudgetInputs.push({ vector: { ...e.seed.vector, response: e.mutated.response as Seed['vector']['response'] }, slow });
  }
  if (stats.inputs % 200 === 0) stats.rssPeak = Math.max(stats.rssPeak, process.memoryUsage.rss());
  const slow = stats.slowest;
  if (slow.length < 10 || e.verdict.ms > slow[slow.length - 1]!.ms) {
    const vector = { ...e.seed.vector, response: e.mutated.response as Seed['vector']['response'] };
    slow.push({ ms: e.verdict.ms, mutator: e.mutator.name, variant: e.mutated.variant, seed: e.seed.id, code, vector });
    slow.sort((a, b) => b.ms - a.ms);
    slow.length = Math.min(slow.length, 10);
  }
}

/**
 * Times the over-budget inputs and the 10 slowest of the run again, apart from the run (a burst of
 * load on a shared machine or a GC pause hits a call, not an input): each is verified `times` times
 * and keeps its fastest. Returns them slowest first; those still over the budget are the genuinely
 * slow inputs.
 */
export async function retime(stats: CeremonyStats, times = 5): Promise<SlowInput[]> {
  const out: SlowInput[] = [];
  const candidates = [...stats.overBudgetInputs, ...stats.slowest.map(({ vector, ...slow }) => ({ vector, slow }))];
  for (const { vector, slow } of candidates) {
    let best = Number.POSITIVE_INFINITY;
    for (let i = 0; i < times; i++) best = Math.min(best, (await runOurs(vector)).ms);
    out.push({ ...slow, ms: best });
  }
  return out.sort((a, b) => b.ms - a.ms);
}

/** Runs the campaign for one ceremony; returns its statistics and shrunk findings. */
export async function runCampaign(seeds: readonly Seed[], options: CampaignOptions): Promise<{ stats: CeremonyStats; findings: Finding[] }> {
  const usable = usableMutators(seeds, options.ceremony);
  const budget = options.budgetMs ?? 50;
  const maxFindings = options.maxFindings ?? 30;
  const stats = emptyStats();
  const findings: Finding[] = [];
  const known = new Set<string>(options.known ?? []);
  const tracked = new Set<string>(options.known ?? []);
  let target: string | undefined;
  let lastProgress = 0;

  const property = fc.asyncProperty(planArb(usable.length), async (plan) => {
    const applied = applyPlan(usable, plan);
    fc.pre(applied !== undefined);
    const [mutator, seed, mutated] = applied!;
    const e = await evaluate(seed, mutator, plan.entropy, mutated, budget);
    const signatures = e.violations.map((v) => signatureOf(e, v));
    if (target !== undefined) return !signatures.includes(target); // shrinking: keep the same failure
    record(stats, { ...e, violations: e.violations.filter((v) => !tracked.has(signatureOf(e, v))) }, budget);
    if (options.onProgress && stats.inputs - lastProgress >= (options.progressEvery ?? 5000)) {
      lastProgress = stats.inputs;
      options.onProgress(stats);
    }
    for (const s of signatures) if (known.has(s)) stats.repeats[s] = (stats.repeats[s] ?? 0) + 1;
    const fresh = signatures.find((s) => !known.has(s));
    if (fresh === undefined || findings.length >= maxFindings) return true;
    target = fresh;
    return false;
  });

  for (let round = 0; stats.inputs < options.runs; round++) {
    target = undefined;
    const remaining = options.runs - stats.inputs;
    const details = await fc.check(property, { numRuns: remaining, seed: options.seed + round, maxSkipsPerRun: 20 });
    if (!details.failed || details.counterexample === null) break;
    const plan = details.counterexample[0];
    const applied = applyPlan(usable, plan)!;
    const e = await evaluate(applied[1], applied[0], plan.entropy, applied[2], budget);
    const finding: Finding = { ...e, round, signature: target! };
    known.add(target!);
    findings.push(finding);
    options.onFinding?.(finding);
  }
  return { stats, findings };
}
