/**
 * Memory of sign-ins (issue 15): many sign-ins over more distinct credentials than the key cache
 * holds, in a fresh process per contender (started with --expose-gc), so that RSS is this
 * workload's alone.
 *
 *   ours  awaited verifyAuthenticationResponse, credential i % N;
 *   raw   JWK import + verify of the same assertion, nothing kept.
 *
 * Reported, relative to the process after the inputs were built and collected: the peak RSS
 * (sampled every 500 sign-ins), RSS and heap after a full GC at half-way (warm-up done: the cache
 * is full) and at the end (growth after warm-up = end − half), and the per-entry cost of the key
 * cache (a third process: RSS and heap of a KeyCache filled with 20 000 keys, divided by 20 000). The
 * bound the target checks: capacity × per-entry RSS + the raw loop's own peak (what any verifier
 * of these inputs pays: V8's young generation, allocator slack) + 16 MB.
 */
import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { verifyAuthenticationResponse } from 'webauthn-verify';
import { DEFAULT_KEY_CACHE_CAPACITY, KeyCache, clearKeyCache } from 'webauthn-verify/low-level';
import { ours, rawCold } from './contenders.js';
import { makeCredential } from './inputs.js';

/** Figures of one contender's process, in MB (1e6 bytes). */
export interface MemoryRun {
  readonly mode: 'ours' | 'raw';
  readonly credentials: number;
  readonly signIns: number;
  readonly peakRss: number;
  readonly rssHalf: number;
  readonly rssEnd: number;
  readonly heapHalf: number;
  readonly heapEnd: number;
  /** Key cache cost per entry (ours only), bytes. */
  readonly perEntryRssBytes?: number;
  readonly perEntryHeapBytes?: number;
}

/** Both processes and the verdicts. */
export interface MemoryReport {
  readonly ours: MemoryRun;
  readonly raw: MemoryRun;
  readonly capacity: number;
  /** MB: capacity × per-entry RSS + raw peak + 16 MB. */
  readonly boundMb: number;
  readonly withinBound: boolean;
  /** MB of heap growth after warm-up (after GC), and whether it is below 2 MB. */
  readonly heapGrowthMb: number;
  readonly noGrowth: boolean;
  /** MB of RSS growth after warm-up (after GC), and whether it is below 8 MB. */
  readonly rssGrowthMb: number;
  readonly noRssGrowth: boolean;
}

const MB = 1e6;
const gc = (globalThis as { gc?: () => void }).gc;

function collect(): void {
  gc?.();
  gc?.();
}

async function child(mode: 'ours' | 'raw', count: number, signIns: number): Promise<MemoryRun> {
  const creds = Array.from({ length: count }, (_, i) => makeCredential('ES256', i));
  // Warm the code paths on other inputs, then drop what they cached.
  for (let i = 0; i < 200; i++) await ours(creds[i]!);
  clearKeyCache();
  collect();
  const base = process.memoryUsage();
  let peak = base.rss;
  let rssHalf = 0;
  let heapHalf = 0;
  for (let i = 0; i < signIns; i++) {
    const c = creds[i % count]!;
    if (mode === 'ours') await ours(c);
    else if (!rawCold(c)) throw new Error('bench: raw verify failed');
    if (i % 500 === 0) peak = Math.max(peak, process.memoryUsage.rss());
    if (i === signIns / 2) {
      collect();
      const m = process.memoryUsage();
      rssHalf = m.rss;
      heapHalf = m.heapUsed;
    }
  }
  collect();
  const end = process.memoryUsage();
  // The inputs stay reachable up to here: collected earlier, they would read as negative growth.
  if (creds.length !== count) throw new Error('bench: inputs changed');
  const run: MemoryRun = {
    mode,
    credentials: count,
    signIns,
    peakRss: (peak - base.rss) / MB,
    rssHalf: (rssHalf - base.rss) / MB,
    rssEnd: (end.rss - base.rss) / MB,
    heapHalf: (heapHalf - base.heapUsed) / MB,
    heapEnd: (end.heapUsed - base.heapUsed) / MB,
  };
  return run;
}

/**
 * Key cache cost per entry, in a process of its own: measured after a long run, RSS reads freed
 * memory being reused (a negative cost in the first version of this bench).
 */
async function perEntry(count: number): Promise<{ rss: number; heap: number }> {
  const creds = Array.from({ length: count }, (_, i) => makeCredential('ES256', i));
  for (let i = 0; i < 200; i++) await ours(creds[i]!);
  clearKeyCache();
  collect();
  const before = process.memoryUsage();
  const cache = new KeyCache(count);
  for (const c of creds) await cache.get(c.coseBase64Url);
  collect();
  const after = process.memoryUsage();
  if (cache.size !== count) throw new Error('bench: key cache did not fill');
  return { rss: Math.round((after.rss - before.rss) / count), heap: Math.round((after.heapUsed - before.heapUsed) / count) };
}

function spawn<T>(mode: 'ours' | 'raw' | 'entry', count: number, signIns: number): T {
  const out = execFileSync(
    process.execPath,
    ['--expose-gc', '--import', 'tsx', fileURLToPath(import.meta.url), '--memory-child', mode, String(count), String(signIns)],
    { encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'] },
  );
  return JSON.parse(out) as T;
}

/** Runs both processes: 100k sign-ins over 50k credentials (quick: 20k over 10k). */
export function runMemory(quick: boolean): MemoryReport {
  const [count, signIns] = quick ? [10_000, 20_000] : [50_000, 100_000];
  const entry = spawn<{ rss: number; heap: number }>('entry', 20_000, 0);
  const oursRun: MemoryRun = { ...spawn<MemoryRun>('ours', count, signIns), perEntryRssBytes: entry.rss, perEntryHeapBytes: entry.heap };
  const rawRun = spawn<MemoryRun>('raw', count, signIns);
  const perEntry = entry.rss;
  const boundMb = (DEFAULT_KEY_CACHE_CAPACITY * perEntry) / MB + Math.max(0, rawRun.peakRss) + 16;
  const heapGrowthMb = oursRun.heapEnd - oursRun.heapHalf;
  const rssGrowthMb = oursRun.rssEnd - oursRun.rssHalf;
  return {
    ours: oursRun,
    raw: rawRun,
    capacity: DEFAULT_KEY_CACHE_CAPACITY,
    boundMb,
    withinBound: oursRun.peakRss <= boundMb,
    heapGrowthMb,
    noGrowth: heapGrowthMb < 2,
    rssGrowthMb,
    noRssGrowth: rssGrowthMb < 8,
  };
}

const at = process.argv.indexOf('--memory-child');
if (at > 0) {
  const [mode, count, signIns] = process.argv.slice(at + 1) as ['ours' | 'raw' | 'entry', string, string];
  // Touch the import so that the sign-in stack is loaded before the baseline.
  void verifyAuthenticationResponse;
  const result = mode === 'entry' ? await perEntry(Number(count)) : await child(mode, Number(count), Number(signIns));
  process.stdout.write(JSON.stringify(result));
}
