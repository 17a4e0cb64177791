/**
 * Duplicated dependencies in an application's node_modules (issue 10): an app that also depends on
 * another asn1js/pkijs user gets two physical copies of each, and a bundler then ships both. ASN.1
 * libraries that keep global state (a schema registry, pkijs's `setEngine`) or compare classes with
 * `instanceof` across copies break in exactly that layout. This test builds such layouts from the
 * library's sources, bundles a consumer with esbuild (as an application would, by package name),
 * proves the bundle really contains two copies, runs it in a fresh Node process and requires the
 * same verdict for each registration vector as the library gives in-process.
 *
 * Layouts:
 * - `nested`: webauthn-verify/node_modules/{asn1js,pkijs} (copy A) and, hoisted, {asn1js,pkijs}
 *   (copy B) used by another package that parses a certificate with copy B and installs a global
 *   pkijs engine that fails every call.
 * - `split`: webauthn-verify/node_modules/asn1js (copy A) only; pkijs hoisted with asn1js copy B,
 *   so the library's own asn1js differs from the one its pkijs uses.
 */
import { execFileSync } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import { afterAll, describe, expect, it } from 'vitest';
import { verifyRegistrationResponse } from '../../src/ceremony/verify-registration.js';
import { WebAuthnError } from '../../src/errors.js';
import { COSE_ALGORITHMS } from '../../src/parse/cose-constants.js';
import { interopDir } from '../helpers/interop.js';
import { ALL_ALGORITHMS, type RegistrationVector, registrationExpectationsOf } from './registration-vector.js';

const repoRoot = fileURLToPath(new URL('../..', import.meta.url));
const modules = join(repoRoot, 'node_modules');

/** Registrations whose attestation goes through asn1js and pkijs (certificate chains). */
const VECTOR_IDS = [
  'w3c-packed-es256',
  'w3c-tpm-es256',
  'w3c-apple-es256',
  'w3c-fido-u2f-es256',
  'pyw-android-key-pixel-8a',
  'gow-android-safetynet-webauthn-io',
  'gow-android-safetynet-webauthn-io-tampered',
];

const vectors = VECTOR_IDS.map(
  (id) => JSON.parse(readFileSync(join(interopDir(), 'vectors', `${id}.json`), 'utf8')) as RegistrationVector,
);

type Verdict = { readonly ok: true; readonly format: string; readonly trusted: boolean } | { readonly ok: false; readonly code: string };

async function inProcess(vector: RegistrationVector): Promise<Verdict> {
  try {
    const result = await verifyRegistrationResponse(vector.response as never, registrationExpectationsOf(vector));
    return { ok: true, format: result.attestation.format, trusted: result.attestation.trusted };
  } catch (error) {
    return { ok: false, code: error instanceof WebAuthnError ? error.code : `foreign ${(error as Error).name}` };
  }
}

/**
 * A copy of an installed package, its own nested node_modules included (not a symlink: a bundler
 * would fold a symlink into one copy).
 */
function copyPackage(name: string, to: string): void {
  cpSync(join(modules, name), to, { recursive: true });
}

/** The library as a package whose exports point at its sources (esbuild compiles the .ts). */
function writeLibrary(dir: string): void {
  const manifest = JSON.parse(readFileSync(join(repoRoot, 'package.json'), 'utf8'));
  const toSource = (value: unknown): unknown =>
    typeof value === 'string'
      ? value.replace('./dist/', './src/').replace(/\.d\.ts$|\.js$/, '.ts')
      : Object.fromEntries(Object.entries(value as object).map(([k, v]) => [k, toSource(v)]));
  const library = { name: manifest.name, version: manifest.version, type: 'module', exports: toSource(manifest.exports), imports: toSource(manifest.imports) };
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'package.json'), JSON.stringify(library, null, 2));
  cpSync(join(repoRoot, 'src'), join(dir, 'src'), { recursive: true });
}

/** Another dependency of the application: uses its own asn1js/pkijs and pkijs's global engine. */
const OTHER_LIBRARY = `
import * as asn1js from 'asn1js';
import * as pkijs from 'pkijs';
export function interfere(certificateDer) {
  const certificate = pkijs.Certificate.fromBER(certificateDer);
  const failing = new Proxy({}, { get: () => () => { throw new Error('the global pkijs engine was used'); } });
  pkijs.setEngine('other-library', failing);
  // Under Node pkijs keeps the engine in a process-wide global, shared by every copy of pkijs.
  let engineFails = false;
  try { pkijs.getCrypto(true).getRandomValues(new Uint8Array(1)); } catch { engineFails = true; }
  return engineFails && certificate.subject.typesAndValues.length > 0 && asn1js.fromBER(certificateDer).offset > 0;
}
`;

const ENTRY = `
import { interfere } from 'other-library';
import { WebAuthnError, verifyRegistrationResponse } from 'webauthn-verify';
import { registrationExpectationsOf } from './registration-vector.js';
import vectors from './vectors.json' with { type: 'json' };
const der = (pem: string) => Uint8Array.from(atob(pem.replace(/-----[^-]+-----|\\s/g, '')), (c) => c.charCodeAt(0));
if (!interfere(der(vectors[0].trustAnchors[0]))) throw new Error('the other library did not install its failing engine');
const verdicts: unknown[] = [];
for (const vector of vectors) {
  try {
    const result = await verifyRegistrationResponse(vector.response, registrationExpectationsOf(vector));
    verdicts.push({ ok: true, format: result.attestation.format, trusted: result.attestation.trusted });
  } catch (error) {
    const e = error as Error;
    verdicts.push({ ok: false, code: error instanceof WebAuthnError ? error.code : 'foreign ' + e.name + ': ' + e.message });
  }
}
console.log(JSON.stringify(verdicts));
`;

const scratch = mkdtempSync(join(tmpdir(), 'webauthn-verify-duplicated-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

function createApp(layout: 'nested' | 'split'): string {
  const app = join(scratch, layout);
  const top = join(app, 'node_modules');
  const library = join(top, 'webauthn-verify');
  writeLibrary(library);
  copyPackage('asn1js', join(top, 'asn1js'));
  copyPackage('pkijs', join(top, 'pkijs'));
  copyPackage('asn1js', join(library, 'node_modules/asn1js'));
  if (layout === 'nested') copyPackage('pkijs', join(library, 'node_modules/pkijs'));
  // The remaining dependencies once, as links into the repository's node_modules.
  for (const name of ['@noble', 'bytestreamjs']) symlinkSync(join(modules, name), join(top, name), 'dir');
  mkdirSync(join(top, 'other-library'));
  writeFileSync(join(top, 'other-library/package.json'), JSON.stringify({ name: 'other-library', type: 'module', exports: './index.js' }));
  writeFileSync(join(top, 'other-library/index.js'), OTHER_LIBRARY);
  writeFileSync(join(app, 'package.json'), JSON.stringify({ name: `app-${layout}`, private: true, type: 'module' }));
  writeFileSync(join(app, 'entry.ts'), ENTRY);
  cpSync(join(dirname(fileURLToPath(import.meta.url)), 'registration-vector.ts'), join(app, 'registration-vector.ts'));
  writeFileSync(join(app, 'vectors.json'), JSON.stringify(vectors));
  return app;
}

describe('a registration through a bundle with duplicated asn1js/pkijs', async () => {
  const expected = await Promise.all(vectors.map(inProcess));

  it('the shared expectations allow every registered algorithm, as the CLI does', () => {
    expect([...ALL_ALGORITHMS].sort()).toEqual(Object.keys(COSE_ALGORITHMS).map(Number).sort());
  });

  it('the in-process verdicts are the labelled outcomes (the reference is right)', () => {
    expect(expected.map((v) => v.ok)).toEqual(vectors.map((v) => v.outcome === 'valid'));
  });

  describe.each(['nested', 'split'] as const)('layout %s', (layout) => {
    const app = createApp(layout);
    it.each(['node', 'neutral'] as const)('platform %s: two copies bundled, same verdicts as in-process', async (platform) => {
      const outfile = join(app, `bundle-${platform}.mjs`);
      const result = await build({
        absWorkingDir: app,
        entryPoints: ['entry.ts'],
        bundle: true,
        format: 'esm',
        platform,
        ...(platform === 'neutral' ? { mainFields: ['module', 'main'] } : {}),
        outfile,
        metafile: true,
        logLevel: 'silent',
      });
      const inputs = Object.keys(result.metafile.inputs);
      // The folder each bundled copy of `pkg` sits in, relative to the app.
      const copies = (pkg: string) =>
        new Set(inputs.filter((p) => p.includes(`node_modules/${pkg}/`)).map((p) => p.slice(0, p.indexOf(`node_modules/${pkg}/`))));
      expect([...copies('asn1js')].sort()).toEqual(['', 'node_modules/webauthn-verify/']);
      expect(copies('pkijs').size).toBe(layout === 'nested' ? 2 : 1);
      const backend = inputs.find((p) => /src\/crypto\/backend-(node|web)\.ts$/.test(p));
      expect(backend).toContain(platform === 'node' ? 'backend-node.ts' : 'backend-web.ts');

      const output = execFileSync(process.execPath, [outfile], { cwd: app, encoding: 'utf8' });
      expect(JSON.parse(output.trim().split('\n').pop() as string)).toEqual(expected);
    });
  });
});
