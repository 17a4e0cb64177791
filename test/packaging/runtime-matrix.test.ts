/**
 * The runtime matrix's verdict logic (scripts/runtimes/report.mjs) and the committed page it
 * generates (docs/runtimes.md): a cell passes only with full counts and the backend its conditions
 * must select, and the page shows every cell of the matrix passing. The matrix itself runs in CI
 * (`npm run runtimes -- --check`), not here: it installs runtimes.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { BEGIN, cellPasses, END, matrixTable, replaceBlock } from '../../scripts/runtimes/report.mjs';

const full = { total: 3, passed: 3, failures: [] };
const report = (over: Record<string, unknown> = {}) => ({ runtime: 'node 20', backend: 'node', interop: full, wycheproof: { ...full, families: {} }, fresh: full, ...over });

describe('runtime matrix: cell verdicts', () => {
  it('passes with full counts and the expected backend', () => {
    expect(cellPasses({ label: 'Node 20', how: 'node', expectBackend: 'node', report: report() })).toBe(true);
    expect(cellPasses({ label: 'Bun', how: 'bun', report: report({ backend: 'web' }) })).toBe(true);
  });

  it('fails without a report, with a missing pass, with empty parts, or with the wrong backend', () => {
    expect(cellPasses({ label: 'x', how: 'x' })).toBe(false);
    expect(cellPasses({ label: 'x', how: 'x', report: report({ fresh: { total: 3, passed: 2, failures: ['f'] } }) })).toBe(false);
    expect(cellPasses({ label: 'x', how: 'x', report: report({ interop: { total: 0, passed: 0, failures: [] } }) })).toBe(false);
    expect(cellPasses({ label: 'x', how: 'x', expectBackend: 'web', report: report() })).toBe(false);
  });

  it('the table says FAIL for a failing cell and — for a cell that produced nothing', () => {
    const table = matrixTable([{ label: 'Deno', how: 'deno', expectBackend: 'web', report: report() }, { label: 'Workers', how: 'mf' }]);
    expect(table).toContain('| Deno | deno | node | 3/3 | 3/3 | 3/3 | FAIL |');
    expect(table).toContain('| Workers | mf | — | — | — | — | FAIL |');
  });

  it('replaceBlock swaps only the generated block and needs both markers', () => {
    const page = `head\n${BEGIN}\nold\n${END}\ntail\n`;
    expect(replaceBlock(page, `${BEGIN}\nnew\n${END}`)).toBe(`head\n${BEGIN}\nnew\n${END}\ntail\n`);
    expect(() => replaceBlock('no markers', 'x')).toThrow(/markers/);
  });
});

describe('docs/runtimes.md', () => {
  const page = readFileSync(new URL('../../docs/runtimes.md', import.meta.url), 'utf8');
  const block = page.slice(page.indexOf(BEGIN), page.indexOf(END));
  const rows = block.split('\n').filter((line) => /^\| (Node|Bun|Deno|Workers)/.test(line) && line.split('|').length === 9);

  it('shows every runtime of the matrix, each cell passing', () => {
    const runtimes = rows.map((row) => (row.split('|')[1] as string).trim());
    for (const name of ['Node 20', 'Node 22', 'Node 24', 'Bun', 'Deno', 'Workers']) {
      expect(runtimes.some((r) => r.startsWith(name)), name).toBe(true);
    }
    expect(rows.length).toBeGreaterThanOrEqual(9);
    for (const row of rows) expect(row.trim().endsWith('| pass |'), row).toBe(true);
  });
});
