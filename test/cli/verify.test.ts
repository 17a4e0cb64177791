import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { SUPPORTED_ATTESTATION_FORMATS } from '../../src/attestation/index.js';
import { loadQuirks } from '../../src/cli/quirks.js';
import { fixturesDir, interopVectorsDir, runCli } from './run-cli.js';

const vectorsDir = interopVectorsDir();
const tmp = mkdtempSync(join(tmpdir(), 'webauthn-verify-cli-verify-'));
const manifest = JSON.parse(readFileSync(join(fixturesDir, 'MANIFEST.json'), 'utf8')) as { id: string }[];
/** Responses captured in Chromium (fixtures/README.md): not generated, so not in the manifest. */
const browserDir = join(fixturesDir, 'browser');
const browserIds = readdirSync(browserDir)
  .filter((name) => name.endsWith('.json'))
  .map((name) => name.slice(0, -'.json'.length));
const fixturePath = (id: string) => join(fixturesDir, 'registration', `${id}.json`);
const readJson = (path: string) => JSON.parse(readFileSync(path, 'utf8'));
function writeTmp(name: string, text: string): string {
  writeFileSync(join(tmp, name), text);
  return join(tmp, name);
}

interface Report {
  id: string;
  status: string;
  format: string | null;
  ceremony: string;
  outcome: string;
  expected: { outcome: string; error?: string };
  error?: { code: string; step: string | null; message: string };
}

async function verifyJson(argv: string[], options?: { stderrIsTTY?: boolean }) {
  const run = await runCli(['verify', '--json', ...argv], options);
  return { ...run, output: JSON.parse(run.stdout) as { ok: boolean; vectors: Report[]; summary: unknown[]; pendingFormats: string[] } };
}

describe('cli verify: fixtures/', () => {
  it('every fixture meets its labelled outcome and code, exit 0', async () => {
    const { status, output, stderr } = await verifyJson([fixturesDir]);
    expect(stderr).toBe('');
    expect(status).toBe(0);
    expect(output.ok).toBe(true);
    expect(output.vectors.map((v) => v.id).sort()).toEqual([...manifest.map((m) => m.id), ...browserIds].sort());
    expect(output.vectors.every((v) => v.status === 'met')).toBe(true);
    for (const vector of output.vectors.filter((v) => v.expected.error !== undefined)) {
      expect(vector.error?.code, vector.id).toBe(vector.expected.error);
    }
  });

  it('prints per vector and a summary table in text', async () => {
    const run = await runCli(['verify', fixturesDir]);
    expect(run.status).toBe(0);
    expect(run.stdout).toMatch(/^met +syn-fido-u2f-es256 +registration +fido-u2f +valid +valid +fido-u2f\/basic\//m);
    expect(run.stdout).toMatch(/ERR_ATTESTATION_SIGNATURE_INVALID \[[0-9.]+\] /);
    expect(run.stdout).toMatch(/^ceremony +format +total +met +disagreement +pending +not met$/m);
    expect(run.stdout).toContain('every vector met its expected outcome');
  });
});

describe('cli verify: interop vectors', () => {
  it('exit 0: unsupported formats are pending, documented disagreements are not failures', async () => {
    const { status, output } = await verifyJson([vectorsDir]);
    const notMet = output.vectors.filter((v) => v.status === 'not-met');
    expect(notMet.map((v) => `${v.id}: ${v.error?.code ?? v.outcome}`)).toEqual([]);
    expect(status).toBe(0);
    expect(output.vectors).toHaveLength(readdirSync(vectorsDir).filter((n) => n.endsWith('.json')).length);

    const supported = new Set<string>(SUPPORTED_ATTESTATION_FORMATS);
    const unsupported = new Set(
      output.vectors.filter((v) => v.ceremony === 'registration' && v.format !== null && !supported.has(v.format)).map((v) => v.format),
    );
    expect(output.pendingFormats).toEqual([...unsupported].sort());
    for (const vector of output.vectors.filter((v) => v.status === 'pending')) expect(supported.has(vector.format ?? '')).toBe(false);

    const quirks = loadQuirks();
    for (const vector of output.vectors.filter((v) => v.status === 'disagreement')) {
      expect(vector.error?.code).toBe(quirks.get(vector.id)?.code);
    }
    expect(output.vectors.filter((v) => v.status === 'disagreement').map((v) => v.id).sort()).toEqual([...quirks.keys()].sort());
  });

  it('lists pending formats in the text summary', async () => {
    const run = await runCli(['verify', vectorsDir]);
    const { output } = await verifyJson([vectorsDir]);
    if (output.pendingFormats.length > 0) expect(run.stdout).toContain(`pending formats (not yet supported): ${output.pendingFormats.join(', ')}`);
    expect(run.stdout).toContain('disagreement (documented)');
  });

  it('docs/quirks.json names every documented disagreement of docs/quirks.md', () => {
    const ids = [...loadQuirks().keys()];
    for (const id of [
      'pyw-fido-u2f-yubico-webauthn-io-2019',
      'pyw-auth-es256-u2f-webauthn-io-2019',
      'pyw-auth-es256-u2f-webauthn-io-2019-bad-signature',
    ]) {
      expect(ids).toContain(id);
    }
  });
});

describe('cli verify: unmet expectations and bad input', () => {
  it('a vector whose labelled outcome is wrong: exit 1', async () => {
    const vector = readJson(fixturePath('syn-none-es256'));
    const path = join(tmp, 'wrong-outcome.json');
    writeFileSync(path, JSON.stringify({ ...vector, outcome: 'invalid', expectedError: 'ERR_SIGNATURE_INVALID' }));
    const { status, output } = await verifyJson([path]);
    expect(status).toBe(1);
    expect(output.ok).toBe(false);
    expect(output.vectors[0]).toMatchObject({ status: 'not-met', outcome: 'valid' });
    const text = await runCli(['verify', path]);
    expect(text.status).toBe(1);
    expect(text.stdout).toMatch(/^NOT MET +syn-none-es256 /m);
  });

  it('a fixture rejected with another code than its expectedError: exit 1', async () => {
    const vector = readJson(fixturePath('syn-fido-u2f-es256-bad-signature'));
    const path = join(tmp, 'wrong-code.json');
    writeFileSync(path, JSON.stringify({ ...vector, expectedError: 'ERR_CERT_EXPIRED' }));
    const { status, output } = await verifyJson([path]);
    expect(status).toBe(1);
    expect(output.vectors[0]?.error).toMatchObject({ code: 'ERR_ATTESTATION_SIGNATURE_INVALID' });
    expect(output.vectors[0]?.error?.step).toBe('8.6');
  });

  const bad: [string, () => string[], RegExp][] = [
    ['no target', () => [], /at least one/],
    ['a missing file', () => [join(tmp, 'nope.json')], /cannot read .*no such file/],
    ['a JSON file that is not a vector', () => [writeTmp('resp.json', '{"id":"x"}')], /not a vector/],
    ['invalid JSON', () => [writeTmp('broken.json', '{')], /not valid JSON/],
    ['an unknown flag', () => ['--strict'], /unknown option/],
  ];
  for (const [what, argv, message] of bad) {
    it(`${what}: one line on stderr, exit 2`, async () => {
      const run = await runCli(['verify', ...argv()]);
      expect(run.status).toBe(2);
      expect(run.stdout).toBe('');
      expect(run.stderr).toMatch(message);
      expect(run.stderr.trimEnd().split('\n')).toHaveLength(1);
    });
  }
});

describe('cli verify: progress', () => {
  it('on a TTY with more than 50 vectors, progress goes to stderr; never otherwise', async () => {
    const tty = await runCli(['verify', '--json', fixturesDir], { stderrIsTTY: true });
    expect(tty.stderr).toMatch(/verifying \d+\/\d+/);
    JSON.parse(tty.stdout);
    const few = await runCli(['verify', '--json', fixturePath('syn-none-es256')], { stderrIsTTY: true });
    expect(few.stderr).toBe('');
  });
});
