#!/usr/bin/env node
/**
 * `npm run runtimes`: the runtime matrix (issue 10). The packed tarball is installed into a fresh
 * consumer project per runtime and the same suite (scripts/runtimes/consumer/) runs in each:
 * Node 20 (the system node), 22 and 24 with the `node` condition and with the portable backend
 * forced, Bun, Deno with no permissions at all, and workerd through miniflare with
 * an esbuild bundle and no nodejs_compat. Prints the table; fails on any failing cell.
 *
 *   --write   also rewrite the generated block of docs/runtimes.md
 *   --check   also fail when docs/runtimes.md's block differs from this run
 *   --only=node22,deno   run only these cells (no --write/--check then)
 *
 * Scratch folder: WEBAUTHN_VERIFY_MATRIX_DIR, default ~/.cache/webauthn-verify-matrix (runtimes
 * are installed there from the npm registry once; consumer projects are recreated every run).
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join, resolve } from 'node:path';
import { createConsumer, dataModule, ensureTool, packTarball, ROOT, TOOLS } from './prepare.mjs';
import { cellPasses, docsBlock, matrixTable, replaceBlock } from './report.mjs';

const PORTABLE = '--conditions=webauthn-verify-portable';
const CELL_TIMEOUT_MS = 180_000;
const args = process.argv.slice(2);
const write = args.includes('--write');
const check = args.includes('--check');
const only = args.find((a) => a.startsWith('--only='))?.slice('--only='.length).split(',');
if (only !== undefined && (write || check)) throw new Error('matrix: --only cannot be combined with --write or --check');

const scratch = resolve(process.env.WEBAUTHN_VERIFY_MATRIX_DIR ?? join(homedir(), '.cache/webauthn-verify-matrix'));
const interopDir = resolve(process.env.WEBAUTHN_INTEROP_DIR ?? join(ROOT, '../shared/interop'));
const wycheproofDir = resolve(process.env.WYCHEPROOF_DIR ?? join(ROOT, '../shared/wycheproof'));
const systemMajor = process.versions.node.split('.')[0];
const major = (spec) => spec.split('@')[1].split('.').slice(0, 2).join('.');

/**
 * Every cell: which consumer project, how it is run, and the backend its conditions must select
 * (left open where the runtime's own condition set decides; the table reports what it got).
 */
const CELLS = [
  { id: 'node20', project: 'node20', label: `Node ${systemMajor} (system)`, how: '`node main.js`', tool: null, args: ['main.js'], expectBackend: 'node' },
  { id: 'node20-portable', project: 'node20', label: `Node ${systemMajor} (system)`, how: `\`node ${PORTABLE} main.js\``, tool: null, args: [PORTABLE, 'main.js'], expectBackend: 'web' },
  { id: 'node22', project: 'node22', label: 'Node 22', how: '`node main.js`', tool: 'node22', args: ['main.js'], expectBackend: 'node' },
  { id: 'node22-portable', project: 'node22', label: 'Node 22', how: `\`node ${PORTABLE} main.js\``, tool: 'node22', args: [PORTABLE, 'main.js'], expectBackend: 'web' },
  { id: 'node24', project: 'node24', label: 'Node 24', how: '`node main.js`', tool: 'node24', args: ['main.js'], expectBackend: 'node' },
  { id: 'node24-portable', project: 'node24', label: 'Node 24', how: `\`node ${PORTABLE} main.js\``, tool: 'node24', args: [PORTABLE, 'main.js'], expectBackend: 'web' },
  // Bun and Deno select the portable backend through their own conditions (package.json
  // "imports"): their node:crypto lacks secp256k1/Ed448 (Bun) or refuses high-S secp256k1 (Deno).
  { id: 'bun', project: 'bun', label: `Bun ${major(TOOLS.bun.spec)}`, how: '`bun main.js`', tool: 'bun', args: ['main.js'], expectBackend: 'web' },
  {
    id: 'deno',
    project: 'deno',
    label: `Deno ${major(TOOLS.deno.spec)}`,
    how: '`deno run --no-prompt main.js` (no permissions)',
    tool: 'deno',
    args: ['run', '--no-prompt', 'main.js'],
    expectBackend: 'web',
  },
  { id: 'workers', project: 'workers', label: 'Workers (workerd)', how: 'esbuild bundle in miniflare, no `nodejs_compat`', tool: 'workerd', expectBackend: 'web' },
];

function lastJsonLine(text) {
  const line = text.trim().split('\n').pop() ?? '';
  try {
    return JSON.parse(line);
  } catch {
    return undefined;
  }
}

function runProcessCell(cell, bin, project) {
  // Deno: no permission flag at all, and DENO_* variables that could grant or relax one removed.
  const env = Object.fromEntries(Object.entries(process.env).filter(([name]) => !name.startsWith('DENO_')));
  Object.assign(env, { DENO_NO_UPDATE_CHECK: '1', DENO_NO_PROMPT: '1', NO_COLOR: '1' });
  const result = spawnSync(bin, cell.args, { cwd: project, env, encoding: 'utf8', timeout: CELL_TIMEOUT_MS, maxBuffer: 64 << 20 });
  const report = result.status === 0 ? lastJsonLine(result.stdout) : undefined;
  const problem = report === undefined ? `exit ${result.status ?? result.signal}: ${(result.stderr || result.stdout || String(result.error)).trim().slice(-1500)}` : undefined;
  return { report, problem };
}

async function runWorkersCell(project) {
  const { build } = await import('esbuild');
  const { Miniflare } = await import('miniflare');
  const outfile = join(project, 'worker.bundle.js');
  // What wrangler does for a Worker without nodejs_compat: the workerd/worker/browser conditions.
  await build({
    absWorkingDir: project,
    entryPoints: ['worker.js'],
    bundle: true,
    format: 'esm',
    platform: 'browser',
    conditions: ['workerd', 'worker', 'browser'],
    minify: true,
    outfile,
    logLevel: 'warning',
  });
  const bundle = readFileSync(outfile, 'utf8');
  if (/\bfrom\s*["']node:|\bimport\(["']node:|require\(["']node:/.test(bundle)) {
    return { report: undefined, problem: 'the Workers bundle imports a node: module' };
  }
  // The bundle is handed over as contents: workerd refuses module paths outside its working folder.
  const mf = new Miniflare({
    modules: [{ type: 'ESModule', path: 'worker.js', contents: bundle }],
    compatibilityDate: '2026-07-01',
  });
  try {
    const response = await mf.dispatchFetch('http://matrix.invalid/');
    const body = await response.text();
    return response.ok ? { report: JSON.parse(body) } : { report: undefined, problem: `HTTP ${response.status}: ${body.slice(0, 1500)}` };
  } finally {
    await mf.dispose();
  }
}

async function main() {
  mkdirSync(scratch, { recursive: true });
  const cells = CELLS.filter((cell) => only === undefined || only.includes(cell.id));
  console.log(`matrix: scratch ${scratch}`);
  const tarball = packTarball(scratch);
  console.log(`matrix: packed ${tarball}`);
  const data = dataModule(interopDir, wycheproofDir);
  const projects = new Map();
  for (const cell of cells) {
    if (!projects.has(cell.project)) {
      projects.set(cell.project, createConsumer(scratch, cell.project, tarball, data));
      console.log(`matrix: consumer ${cell.project} installed`);
    }
  }
  for (const cell of cells) {
    const project = projects.get(cell.project);
    let outcome;
    try {
      outcome =
        cell.tool === 'workerd'
          ? await runWorkersCell(project)
          : runProcessCell(cell, cell.tool === null ? process.execPath : ensureTool(scratch, cell.tool), project);
    } catch (error) {
      outcome = { report: undefined, problem: `${error.name}: ${error.message}` };
    }
    cell.report = outcome.report;
    cell.problem = outcome.problem;
    const status = cellPasses(cell) ? 'pass' : 'FAIL';
    console.log(`matrix: ${cell.id.padEnd(16)} ${status}${cell.report ? ` (${cell.report.runtime}, ${cell.report.backend} backend)` : ''}`);
  }

  console.log(`\n${matrixTable(cells)}\n`);
  let failed = false;
  for (const cell of cells) {
    if (cellPasses(cell)) continue;
    failed = true;
    const r = cell.report;
    const why = [
      cell.problem,
      r && cell.expectBackend !== undefined && r.backend !== cell.expectBackend ? `backend ${r.backend}, expected ${cell.expectBackend}` : undefined,
      ...(r ? [...r.interop.failures, ...r.wycheproof.failures, ...r.fresh.failures] : []),
    ].filter(Boolean);
    console.log(`FAIL ${cell.id}:\n  ${why.slice(0, 40).join('\n  ')}${why.length > 40 ? `\n  … ${why.length - 40} more` : ''}`);
  }

  const versions = `Node ${systemMajor} is the system node; ${Object.values(TOOLS).map((t) => t.spec).join(', ')} from the npm registry; workerd from miniflare (devDependency)`;
  const page = join(ROOT, 'docs/runtimes.md');
  if (write || check) {
    const current = readFileSync(page, 'utf8');
    const next = replaceBlock(current, docsBlock(cells, versions));
    if (write && next !== current) {
      writeFileSync(page, next);
      console.log('matrix: docs/runtimes.md updated');
    }
    if (check && next !== current) {
      console.log('matrix: docs/runtimes.md does not match this run (run `npm run runtimes -- --write`)');
      failed = true;
    }
  }
  process.exitCode = failed ? 1 : 0;
}

await main();
