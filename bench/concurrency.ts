/**
 * Concurrency (issue 15): 100 sign-ins started together, as a server holding 100 open requests
 * starts them, against one core's synchronous verify of the same 100 assertions.
 *
 * On the Node backend the first of a batch verifies synchronously and the others on libuv's
 * thread pool (src/crypto/backend-node.ts), so a 2-core machine verifies on both cores while the
 * event loop parses the next requests. Diagnostics next to it: the bare callback `crypto.verify`
 * of the same 100 (the pool's own limit), bare WebCrypto, and ours awaited one after the other
 * (the lone-request path, which stays synchronous).
 */
import { type Contender, compareRuns, type Timing } from './harness.js';
import { derToP1363, ours, prepareWebCrypto, raw, rawPooled, rawWebCrypto, sanityCheck } from './contenders.js';
import { makeCredential } from './inputs.js';

/** One figure of the concurrency scenario: ours / baseline, median of runs. */
export interface ConcurrencyFigure {
  readonly baseline: string;
  readonly oursOps: number;
  readonly baselineOps: number;
  readonly ratio: number;
  readonly runs: number[];
}

/** Runs the scenario `runs` times; the first figure is the target's (vs one core's sync verify). */
export async function runConcurrency(timing: Timing, runs: number, width = 100): Promise<ConcurrencyFigure[]> {
  const creds = Array.from({ length: width }, (_, i) => makeCredential('ES256', 100_000 + i));
  await sanityCheck(creds[0]!);
  await Promise.all(creds.map(prepareWebCrypto));
  const p1363 = creds.map((c) => derToP1363(c.signature));
  const concurrent: Contender = { fn: () => Promise.all(creds.map(ours)), ops: width };
  const baselines: Record<string, [string, Contender]> = {
    sync: [
      'one core: sync crypto.verify, one after the other',
      {
        fn: () => {
          for (const c of creds) if (!raw(c)) throw new Error('bench: raw verify failed');
        },
        ops: width,
      },
    ],
    pooled: ['bare callback crypto.verify, all at once', { fn: () => Promise.all(creds.map(rawPooled)), ops: width }],
    webcrypto: ['bare WebCrypto verify, all at once', { fn: () => Promise.all(creds.map((c, i) => rawWebCrypto(c, p1363[i]!))), ops: width }],
    sequential: [
      'ours awaited one after the other (lone path)',
      {
        fn: async () => {
          for (const c of creds) await ours(c);
        },
        ops: width,
      },
    ],
  };
  const figures: ConcurrencyFigure[] = [];
  for (const [key, [label, contender]] of Object.entries(baselines)) {
    const r = await compareRuns(key === 'sync' ? runs : 1, timing, concurrent, { [key]: contender });
    figures.push({ baseline: label, oursOps: r.ops.ours!, baselineOps: r.ops[key]!, ratio: r.ratio[key]!, runs: r.runs[key]! });
  }
  return figures;
}
