/**
 * `webauthn-verify verify <vector.json…|dir>`: every vector through its ceremony, one line each,
 * then a summary per ceremony and format. Exit status 0 only when no vector missed its outcome.
 */
import { relative } from 'node:path';
import { renderTable } from './format.js';
import { type CliIo, CliInputError } from './io.js';
import { loadQuirks } from './quirks.js';
import { listVectorFiles, mapConcurrent, readTarget } from './read-input.js';
import { runVector, type VectorReport, type VectorStatus } from './run-vector.js';
import { type Vector, vectorProblem } from './vector.js';

/** Enough to overlap file reads without opening a thousand descriptors at once. */
const READ_CONCURRENCY = 16;
const PROGRESS_THRESHOLD = 50;

export interface SummaryRow {
  readonly ceremony: string;
  readonly format: string;
  readonly total: number;
  readonly met: number;
  readonly disagreement: number;
  readonly pending: number;
  readonly notMet: number;
}

const STATUS_TEXT: Record<VectorStatus, string> = {
  met: 'met',
  'not-met': 'NOT MET',
  disagreement: 'disagreement (documented)',
  pending: 'pending',
};

async function loadVector(path: string, shown: string, io: CliIo): Promise<Vector> {
  const text = new TextDecoder().decode(await readTarget(path, io));
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    throw new CliInputError(`${shown}: not valid JSON`);
  }
  const problem = vectorProblem(json);
  if (problem !== undefined) throw new CliInputError(`${shown}: not a vector (${problem})`);
  return json as Vector;
}

export function summarize(reports: readonly VectorReport[]): SummaryRow[] {
  const rows = new Map<string, { -readonly [K in keyof SummaryRow]: SummaryRow[K] }>();
  for (const report of reports) {
    const format = report.format ?? '-';
    const key = `${report.ceremony}\u0000${format}`;
    const row = rows.get(key) ?? { ceremony: report.ceremony, format, total: 0, met: 0, disagreement: 0, pending: 0, notMet: 0 };
    row.total++;
    if (report.status === 'not-met') row.notMet++;
    else row[report.status]++;
    rows.set(key, row);
  }
  return [...rows.values()].sort((a, b) => a.ceremony.localeCompare(b.ceremony) || a.format.localeCompare(b.format));
}

function detail(report: VectorReport): string {
  const parts: string[] = [];
  if (report.error !== undefined) {
    parts.push(`${report.error.code}${report.error.step === null ? '' : ` [${report.error.step}]`} ${report.error.message}`);
  }
  if (report.note !== undefined) parts.push(`— ${report.note}`);
  return parts.join(' ');
}

function renderText(reports: readonly VectorReport[], summary: readonly SummaryRow[], pendingFormats: readonly string[], ms: number): string {
  const vectorRows = reports.map((r) => [
    STATUS_TEXT[r.status],
    r.id,
    r.ceremony,
    r.format ?? '-',
    r.expected.error === undefined ? r.expected.outcome : `${r.expected.outcome} ${r.expected.error}`,
    r.outcome,
    r.attestation === undefined ? '-' : `${r.attestation.format}/${r.attestation.type}/${r.attestation.trusted ? 'trusted' : 'untrusted'}`,
    detail(r),
  ]);
  const totals = summary.reduce(
    (t, row) => ({ met: t.met + row.met, disagreement: t.disagreement + row.disagreement, pending: t.pending + row.pending, notMet: t.notMet + row.notMet }),
    { met: 0, disagreement: 0, pending: 0, notMet: 0 },
  );
  const summaryRows = summary.map((row) => [row.ceremony, row.format, row.total, row.met, row.disagreement, row.pending, row.notMet]);
  summaryRows.push(['all', '', reports.length, totals.met, totals.disagreement, totals.pending, totals.notMet]);
  return [
    renderTable(['status', 'id', 'ceremony', 'format', 'expected', 'outcome', 'attestation', 'detail'], vectorRows),
    renderTable(['ceremony', 'format', 'total', 'met', 'disagreement', 'pending', 'not met'], summaryRows),
    pendingFormats.length > 0 ? `pending formats (not yet supported): ${pendingFormats.join(', ')}\n` : '',
    `${reports.length} vectors in ${(ms / 1000).toFixed(2)} s: ${totals.notMet === 0 ? 'every vector met its expected outcome' : `${totals.notMet} did not meet the expected outcome`}\n`,
  ].join('\n');
}

export async function runVerify(targets: readonly string[], json: boolean, io: CliIo): Promise<number> {
  if (targets.length === 0) throw new CliInputError('verify needs at least one vector file or directory (see --help)');
  const started = performance.now();
  const quirks = loadQuirks();
  const files = await listVectorFiles(targets, io);
  const shown = files.map((file) => relative(io.cwd, file) || file);
  const vectors = await mapConcurrent(
    files.map((file, index) => ({ file, shown: shown[index] as string })),
    READ_CONCURRENCY,
    ({ file, shown: name }) => loadVector(file, name, io),
  );

  const progress = io.stderrIsTTY && vectors.length > PROGRESS_THRESHOLD;
  const reports: VectorReport[] = [];
  for (const [index, vector] of vectors.entries()) {
    reports.push(await runVector(vector, shown[index] as string, quirks.get(vector.id)));
    if (progress && (index % 10 === 0 || index === vectors.length - 1)) io.stderr(`\rverifying ${index + 1}/${vectors.length}`);
  }
  if (progress) io.stderr('\r\x1b[K');

  const summary = summarize(reports);
  const pendingFormats = [...new Set(reports.filter((r) => r.status === 'pending').map((r) => r.format ?? '-'))].sort();
  const notMet = reports.filter((r) => r.status === 'not-met').length;
  const ms = performance.now() - started;
  if (json) {
    const output = { ok: notMet === 0, vectors: reports, summary, pendingFormats, durationMs: Math.round(ms) };
    io.stdout(`${JSON.stringify(output, null, 2)}\n`);
  } else {
    io.stdout(renderText(reports, summary, pendingFormats, ms));
  }
  return notMet === 0 ? 0 : 1;
}
