/**
 * Budgets of `npm run bench` (issue 10): bundle sizes and cold start, each next to
 * @simplewebauthn/server measured the same way.
 *
 * Bundles: esbuild, platform neutral (what Workers and Deno resolve: no `node` condition, so the
 * portable backend), ESM, minified, code splitting on, built from the package as an application
 * imports it (`webauthn-verify`, through package.json exports, i.e. dist/). "entry" is the entry
 * file plus every chunk it imports statically: what must load before the first line of the app
 * runs. Chunks reached only by dynamic `import()` (the @noble fallbacks and ML-DSA) are counted
 * under "all chunks"; "one file" is the same app bundled without splitting (a bundler that
 * inlines dynamic imports, as Wrangler does). gzip: zlib default level, per file, summed.
 *
 * Cold start: a fresh Node process per sample (bench/cold-start-child.mjs), first import plus the
 * first verification of the same ES256 assertion; medians over ≥ 5 processes per contender,
 * alternating. Timing is printed, never enforced: only the sign-in bundle budget fails the run.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import { build, type OutputFile } from 'esbuild';
import { staticClosure } from '../test/bundle/build-bundle.js';
import { CHALLENGE, ORIGIN, RP_ID, makeCredential } from './inputs.js';

const root = fileURLToPath(new URL('..', import.meta.url));

/** Sign-in bundle budget, bytes of gzip (the entry and its static imports). */
export const SIGN_IN_GZIP_BUDGET = 40_000;
/** Cold-start target: our first verify in a fresh process at most this fraction of @simplewebauthn/server's. */
export const COLD_START_TARGET = 0.5;

export interface Size {
  readonly files: number;
  readonly min: number;
  readonly gzip: number;
}

export interface BundleReport {
  readonly name: string;
  readonly entry: Size;
  readonly allChunks: Size;
  readonly oneFile: Size;
  /** Minified bytes per npm package in the entry closure (`own` for this repository's code). */
  readonly entryPackages: Record<string, number>;
}

function sizeOf(files: readonly OutputFile[]): Size {
  let min = 0;
  let gzip = 0;
  for (const file of files) {
    min += file.contents.length;
    gzip += gzipSync(file.contents).length;
  }
  return { files: files.length, min, gzip };
}

function packageOf(input: string): string {
  return /node_modules\/((?:@[^/]+\/)?[^/]+)\//.exec(input)?.[1] ?? 'own';
}

async function bundle(entry: string, splitting: boolean) {
  return build({
    stdin: { contents: entry, resolveDir: root, loader: 'js', sourcefile: 'app.js' },
    absWorkingDir: root,
    bundle: true,
    format: 'esm',
    platform: 'neutral',
    mainFields: ['module', 'main'],
    minify: true,
    splitting,
    outdir: join(root, 'node_modules/.cache/bench-bundles'),
    write: false,
    metafile: true,
    logLevel: 'error',
  });
}

/** Sizes of the app `entry` (module source importing from packages) bundled as described above. */
export async function measureBundle(name: string, entry: string): Promise<BundleReport> {
  const split = await bundle(entry, true);
  const closure = staticClosure(split.metafile);
  const byPath = (path: string) => split.outputFiles.find((file) => file.path === join(root, path)) as OutputFile;
  const entryPackages: Record<string, number> = {};
  for (const path of closure) {
    for (const [input, info] of Object.entries(split.metafile.outputs[path]?.inputs ?? {})) {
      const pkg = packageOf(input);
      entryPackages[pkg] = (entryPackages[pkg] ?? 0) + info.bytesInOutput;
    }
  }
  const single = await bundle(entry, false);
  return {
    name,
    entry: sizeOf(closure.map(byPath)),
    allChunks: sizeOf(split.outputFiles.filter((file) => file.path.endsWith('.js'))),
    oneFile: sizeOf(single.outputFiles.filter((file) => file.path.endsWith('.js'))),
    entryPackages,
  };
}

export interface ColdStart {
  readonly contender: 'ours' | 'simplewebauthn';
  readonly runs: number;
  /** Medians, milliseconds. */
  readonly importMs: number;
  readonly verifyMs: number;
  readonly totalMs: number;
}

function median(values: number[]): number {
  const sorted = [...values].sort((x, y) => x - y);
  return sorted[Math.floor(sorted.length / 2)] as number;
}

/** Cold start of both contenders: `runs` fresh processes each, alternating. */
export function measureColdStart(runs: number): ColdStart[] {
  const dir = mkdtempSync(join(tmpdir(), 'webauthn-verify-cold-'));
  try {
    const c = makeCredential('ES256', 0);
    const file = join(dir, 'credential.json');
    writeFileSync(
      file,
      JSON.stringify({ response: c.response, id: c.id, publicKey: c.coseBase64Url, algorithm: c.coseAlg, challenge: CHALLENGE, origin: ORIGIN, rpId: RP_ID }),
    );
    const samples: Record<ColdStart['contender'], { importMs: number; verifyMs: number; totalMs: number }[]> = { ours: [], simplewebauthn: [] };
    for (let i = 0; i < runs; i++) {
      for (const contender of ['ours', 'simplewebauthn'] as const) {
        const out = execFileSync(process.execPath, [join(root, 'bench/cold-start-child.mjs'), contender, file], {
          cwd: root,
          encoding: 'utf8',
          stdio: ['ignore', 'pipe', 'inherit'],
        });
        samples[contender].push(JSON.parse(out));
      }
    }
    return (['ours', 'simplewebauthn'] as const).map((contender) => ({
      contender,
      runs,
      importMs: median(samples[contender].map((s) => s.importMs)),
      verifyMs: median(samples[contender].map((s) => s.verifyMs)),
      totalMs: median(samples[contender].map((s) => s.totalMs)),
    }));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

export interface Budgets {
  readonly bundles: readonly BundleReport[];
  readonly coldStart: readonly ColdStart[];
  readonly signInGzipBudget: number;
  readonly signInWithinBudget: boolean;
  readonly coldStartRatio: number;
  readonly coldStartTarget: number;
}

const kb = (bytes: number) => `${(bytes / 1000).toFixed(1)} KB`;

/** Measures, prints two tables and returns everything (the caller fails the run when over budget). */
export async function runBudgets(quick: boolean): Promise<Budgets> {
  const bundles = [
    await measureBundle('ours, sign-in only', "export { verifyAuthenticationResponse } from 'webauthn-verify';"),
    await measureBundle('@simplewebauthn/server, sign-in only', "export { verifyAuthenticationResponse } from '@simplewebauthn/server';"),
    await measureBundle('ours, everything exported', "export * from 'webauthn-verify'; export * from 'webauthn-verify/low-level';"),
    await measureBundle('@simplewebauthn/server, everything exported', "export * from '@simplewebauthn/server';"),
  ];
  console.table(
    bundles.map((b) => ({
      bundle: b.name,
      'entry min': kb(b.entry.min),
      'entry gzip': kb(b.entry.gzip),
      'all chunks min / gzip': `${kb(b.allChunks.min)} / ${kb(b.allChunks.gzip)}`,
      'one file min / gzip': `${kb(b.oneFile.min)} / ${kb(b.oneFile.gzip)}`,
    })),
  );
  const signIn = bundles[0] as BundleReport;
  const signInWithinBudget = signIn.entry.gzip <= SIGN_IN_GZIP_BUDGET;
  console.log(
    `sign-in bundle: ${kb(signIn.entry.gzip)} gzip (budget ${kb(SIGN_IN_GZIP_BUDGET)}: ${signInWithinBudget ? 'met' : 'EXCEEDED'}); ` +
      `packages ${Object.entries(signIn.entryPackages)
        .sort((a, b) => b[1] - a[1])
        .map(([name, bytes]) => `${name} ${kb(bytes)}`)
        .join(', ')}`,
  );

  const coldStart = measureColdStart(quick ? 5 : 9);
  const [ours, simple] = coldStart as [ColdStart, ColdStart];
  const coldStartRatio = ours.totalMs / simple.totalMs;
  console.table(
    coldStart.map((c) => ({
      'cold start (fresh process)': c.contender,
      runs: c.runs,
      'import ms': c.importMs.toFixed(1),
      'first verify ms': c.verifyMs.toFixed(1),
      'total ms': c.totalMs.toFixed(1),
    })),
  );
  console.log(
    `cold start: ours / @simplewebauthn/server = ${coldStartRatio.toFixed(2)}× (target ≤ ${COLD_START_TARGET}×: ${coldStartRatio <= COLD_START_TARGET ? 'met' : 'not met'}; printed, not enforced)`,
  );
  return { bundles, coldStart, signInGzipBudget: SIGN_IN_GZIP_BUDGET, signInWithinBudget, coldStartRatio, coldStartTarget: COLD_START_TARGET };
}
