/**
 * Builds the library from src/ with esbuild the way an application (or a test child process) would
 * consume it, so the bundle tests never depend on a stale dist/.
 */
import { mkdirSync, mkdtempSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build, type Metafile, type Plugin } from 'esbuild';

export const repoRoot = fileURLToPath(new URL('../..', import.meta.url));

/** `#crypto-backend` straight to a backend's source (package.json maps it into dist/). */
function backendPlugin(backend: 'node' | 'web'): Plugin {
  return {
    name: 'crypto-backend-source',
    setup(b) {
      b.onResolve({ filter: /^#crypto-backend$/ }, () => ({ path: join(repoRoot, `src/crypto/backend-${backend}.ts`) }));
    },
  };
}

export interface BundleOptions {
  /** Module source of the entry; relative imports resolve from the repository root. */
  readonly entry: string;
  readonly backend: 'node' | 'web';
  readonly platform: 'node' | 'neutral' | 'browser';
  /** Leave every package import to the runtime's resolver (the no-native test needs real resolution). */
  readonly externalPackages?: boolean;
  readonly minify?: boolean;
  /** Write the bundle (and its split chunks) here; otherwise it stays in memory. */
  readonly outdir?: string;
}

export interface BundleResult {
  readonly metafile: Metafile;
  /** Every output file (entry first) and its bytes. */
  readonly outputs: readonly { readonly path: string; readonly contents: Uint8Array }[];
}

/** Bundles `entry` (ESM, code splitting on, so dynamic imports become separate chunks). */
export async function bundle(options: BundleOptions): Promise<BundleResult> {
  const result = await build({
    stdin: { contents: options.entry, resolveDir: repoRoot, loader: 'ts', sourcefile: 'entry.ts' },
    absWorkingDir: repoRoot,
    bundle: true,
    format: 'esm',
    splitting: true,
    platform: options.platform,
    ...(options.platform === 'neutral' ? { mainFields: ['module', 'main'] } : {}),
    ...(options.externalPackages === true ? { packages: 'external' as const } : {}),
    minify: options.minify ?? false,
    outdir: options.outdir ?? join(repoRoot, 'node_modules/.cache/webauthn-verify-bundle'),
    entryNames: 'entry',
    write: options.outdir !== undefined,
    metafile: true,
    logLevel: 'silent',
    plugins: [backendPlugin(options.backend)],
  });
  const outputs = Object.keys(result.metafile.outputs)
    .filter((path) => path.endsWith('.js'))
    .map((path) => ({
      path,
      contents: result.outputFiles?.find((file) => file.path === join(repoRoot, path))?.contents ?? new Uint8Array(),
    }));
  outputs.sort((a, b) => Number(b.path.includes('entry.js')) - Number(a.path.includes('entry.js')));
  return { metafile: result.metafile, outputs };
}

/** A fresh directory inside node_modules/.cache, so that Node resolves packages from the repository. */
export function scratchDir(prefix: string): string {
  const base = join(repoRoot, 'node_modules/.cache');
  mkdirSync(base, { recursive: true });
  return mkdtempSync(join(base, `${prefix}-`));
}

/** The entry output and every output it imports statically (not through `import()`), transitively. */
export function staticClosure(metafile: Metafile): string[] {
  const outputs = metafile.outputs;
  const entry = Object.keys(outputs).find((path) => outputs[path]?.entryPoint !== undefined);
  if (entry === undefined) throw new Error('no entry output');
  const seen = new Set([entry]);
  const stack = [entry];
  while (stack.length > 0) {
    for (const imported of outputs[stack.pop() as string]?.imports ?? []) {
      if (imported.kind === 'import-statement' && imported.external !== true && !seen.has(imported.path)) {
        seen.add(imported.path);
        stack.push(imported.path);
      }
    }
  }
  return [...seen];
}

/** Every input file (repository-relative) bundled into the given outputs (default: all). */
export function inputsIn(metafile: Metafile, outputs?: readonly string[]): Set<string> {
  const files = new Set<string>();
  for (const [path, out] of Object.entries(metafile.outputs)) {
    if (outputs !== undefined && !outputs.includes(path)) continue;
    for (const input of Object.keys(out.inputs)) files.add(input);
  }
  return files;
}

/** The npm packages (name, scope included) whose files the given outputs (default: all) hold. */
export function packagesIn(metafile: Metafile, outputs?: readonly string[]): Set<string> {
  const names = new Set<string>();
  for (const [path, out] of Object.entries(metafile.outputs)) {
    if (outputs !== undefined && !outputs.includes(path)) continue;
    for (const input of Object.keys(out.inputs)) {
      const match = /node_modules\/((?:@[^/]+\/)?[^/]+)\//.exec(input);
      if (match?.[1] !== undefined) names.add(match[1]);
    }
  }
  return names;
}
