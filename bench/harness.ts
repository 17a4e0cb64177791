/**
 * Timing for `npm run bench`: contenders in short interleaved slices, ratios as medians of
 * per-round ratios of slices taken side by side, and medians of several runs.
 *
 * Two modes:
 * - **awaited, mixed load** (the headline): every call is awaited, as a request handler awaits it
 *   (a synchronous baseline is awaited too), and between batches of calls the process also runs
 *   a garbage-producing peer (@simplewebauthn/server), untimed: its garbage is collected on
 *   whoever's clock the collector happens to run, as in a server that does other work.
 * - **paired** (a diagnostic): ours and one baseline alone in the process, sync calls not
 *   awaited; what the hot path costs with nothing else around.
 */
/** Settings of one measurement. */
export interface Timing {
  readonly rounds: number;
  readonly sliceMs: number;
  readonly warmupMs: number;
}

/** A contender: one call, and how many operations that call performs (a batch counts them all). */
export interface Contender {
  readonly fn: () => unknown;
  readonly ops?: number;
}

/** Median ops/s per contender, and the median per-round ratio of ours to each baseline. */
export interface Comparison {
  readonly ops: Record<string, number>;
  readonly ratio: Record<string, number>;
}

/** The upper median of `values`. */
export function median(values: readonly number[]): number {
  const sorted = [...values].sort((x, y) => x - y);
  return sorted[Math.floor(sorted.length / 2)] as number;
}

/** Milliseconds per operation of `fn` over one slice; `peer` (untimed) runs after every 4 calls. */
async function slice(fn: () => unknown, awaited: boolean, sliceMs: number, ops: number, peer: (() => unknown) | undefined): Promise<number> {
  let timed = 0;
  let calls = 0;
  const end = performance.now() + sliceMs;
  let now: number;
  do {
    const start = performance.now();
    for (let i = 0; i < 4; i++) {
      if (awaited) await fn();
      else fn();
    }
    now = performance.now();
    timed += now - start;
    calls += 4;
    if (peer !== undefined) {
      await peer();
      now = performance.now();
    }
  } while (now < end);
  return timed / (calls * ops);
}

let firstComparison = true;

/**
 * Measures `ours` against `baselines` in interleaved slices. `mixedPeer` switches on the awaited,
 * mixed-load mode (every call awaited, the peer run between batches); without it, the paired
 * mode (promises awaited, plain values not).
 */
export async function compare(
  timing: Timing,
  ours: Contender,
  baselines: Record<string, Contender>,
  mixedPeer?: () => unknown,
): Promise<Comparison> {
  const entries = Object.entries({ ours, ...baselines }).map(([name, c]) => {
    const first = c.fn();
    return { name, fn: c.fn, ops: c.ops ?? 1, awaited: mixedPeer !== undefined || first instanceof Promise, samples: [] as number[] };
  });
  // Warm-up long enough for the optimizing compiler; the first comparison of a process also pays
  // for compiling the whole verify path.
  const warmUntil = performance.now() + (firstComparison ? 4 : 1) * timing.warmupMs;
  firstComparison = false;
  while (performance.now() < warmUntil) {
    for (const e of entries) await slice(e.fn, e.awaited, timing.sliceMs, e.ops, mixedPeer);
  }
  for (let round = 0; round < timing.rounds; round++) {
    for (const e of entries) e.samples.push(await slice(e.fn, e.awaited, timing.sliceMs, e.ops, mixedPeer));
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

/** Median of `runs` comparisons, per figure, and the ratio of every run (to show the spread). */
export async function compareRuns(
  runs: number,
  timing: Timing,
  ours: Contender,
  baselines: Record<string, Contender>,
  mixedPeer?: () => unknown,
): Promise<Comparison & { readonly runs: Record<string, number[]> }> {
  const all: Comparison[] = [];
  for (let i = 0; i < runs; i++) all.push(await compare(timing, ours, baselines, mixedPeer));
  const pick = (key: 'ops' | 'ratio', name: string) => median(all.map((c) => c[key][name] as number));
  const ops: Record<string, number> = {};
  const ratio: Record<string, number> = {};
  const perRun: Record<string, number[]> = {};
  for (const name of Object.keys(all[0]!.ops)) ops[name] = pick('ops', name);
  for (const name of Object.keys(all[0]!.ratio)) {
    ratio[name] = pick('ratio', name);
    perRun[name] = all.map((c) => Number((c.ratio[name] as number).toFixed(3)));
  }
  return { ops, ratio, runs: perRun };
}
