/**
 * The split sign-in bundle runs (issue 10, item 3): esbuild's `import()` chunks are fetched only
 * when a key needs them, and then verify. A child Node process (an ESM runtime with WebCrypto, as
 * Deno, Workers and browsers are) imports the bundle written to disk, with a resolve hook that
 * reports every module URL it loads:
 * - an ES256 sign-in loads no chunk of @noble/curves or @noble/post-quantum;
 * - ES256K and ML-DSA-44 sign-ins load exactly their chunks, verify, and a flipped signature is
 *   ERR_SIGNATURE_INVALID (so the chunk is the real verifier, not a stub).
 */
import { execFileSync } from 'node:child_process';
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bytesToBase64Url } from '../../src/encoding/base64url.js';
import { createAssertion } from '../helpers/synthetic-authenticator.js';
import { type AlgName, flipBit, testKey } from '../helpers/keys.js';
import { bundle, inputsIn, scratchDir } from './build-bundle.js';

const RESOLVE_HOOK = `
let port;
export function initialize(data) { port = data.port; }
export async function resolve(specifier, context, next) {
  const result = await next(specifier, context);
  port.postMessage(result.url);
  return result;
}
`;

const PROGRAM = `
import { register } from 'node:module';
import { MessageChannel } from 'node:worker_threads';
import { readFileSync } from 'node:fs';
const urls = [];
const { port1, port2 } = new MessageChannel();
port1.on('message', (url) => urls.push(url));
register('./resolve-hook.mjs', import.meta.url, { data: { port: port2 }, transferList: [port2] });

const cases = JSON.parse(readFileSync(process.argv[2], 'utf8'));
const { verifyAuthenticationResponse } = await import('./entry.js');
const results = [];
for (const c of cases) {
  try {
    const r = await verifyAuthenticationResponse(c.response, c.record, c.expected);
    results.push(r.counter);
  } catch (error) {
    results.push(error.code ?? String(error));
  }
}
await new Promise((done) => setTimeout(done, 100));
port1.close();
process.stdout.write(JSON.stringify({ results, urls }));
`;

let dir = '';
let chunkOf: (file: string) => string;

function assertionCase(name: AlgName, tamper = false) {
  const a = createAssertion(testKey(name));
  const response = tamper
    ? { ...a.response, response: { ...a.response.response, signature: bytesToBase64Url(flipBit(a.signature, 8)) } }
    : a.response;
  return { response, record: a.record, expected: a.expected };
}

function run(cases: ReturnType<typeof assertionCase>[]): { results: string[]; urls: string[] } {
  writeFileSync(join(dir, 'cases.json'), JSON.stringify(cases));
  const out = execFileSync(process.execPath, ['program.mjs', 'cases.json'], { cwd: dir, stdio: ['ignore', 'pipe', 'pipe'] });
  return JSON.parse(out.toString());
}

beforeAll(async () => {
  dir = scratchDir('lazy-chunks');
  const { metafile } = await bundle({
    entry: "export { verifyAuthenticationResponse } from './src/index.js';",
    backend: 'web',
    platform: 'neutral',
    outdir: dir,
  });
  // The output chunk that holds a given source file.
  chunkOf = (file: string) => {
    const path = Object.keys(metafile.outputs).find((output) => inputsIn(metafile, [output]).has(file));
    if (path === undefined) throw new Error(`no chunk holds ${file}`);
    return path.split('/').pop() as string;
  };
  writeFileSync(join(dir, 'resolve-hook.mjs'), RESOLVE_HOOK);
  writeFileSync(join(dir, 'program.mjs'), PROGRAM);
  expect(readFileSync(join(dir, 'entry.js'), 'utf8')).toContain('import(');
}, 60_000);

afterAll(() => {
  if (dir !== '') rmSync(dir, { recursive: true, force: true });
});

describe('split sign-in bundle at run time', () => {
  it('an ES256 sign-in loads no @noble/curves or ML-DSA chunk', () => {
    const { results, urls } = run([assertionCase('ES256'), assertionCase('ES256', true)]);
    expect(results).toEqual(['increased', 'ERR_SIGNATURE_INVALID']);
    const secp = chunkOf('src/crypto/noble-secp256k1.ts');
    const mlDsa = chunkOf('node_modules/@noble/post-quantum/ml-dsa.js');
    expect(urls.some((url) => url.endsWith('/entry.js'))).toBe(true);
    expect(urls.filter((url) => url.endsWith(`/${secp}`) || url.endsWith(`/${mlDsa}`))).toEqual([]);
  });

  it('ES256K and ML-DSA-44 sign-ins load their chunks on first use and verify with them', () => {
    const { results, urls } = run([
      assertionCase('ES256K'),
      assertionCase('ES256K', true),
      assertionCase('ML-DSA-44'),
      assertionCase('ML-DSA-44', true),
    ]);
    expect(results).toEqual(['increased', 'ERR_SIGNATURE_INVALID', 'increased', 'ERR_SIGNATURE_INVALID']);
    for (const file of ['src/crypto/noble-secp256k1.ts', 'node_modules/@noble/post-quantum/ml-dsa.js']) {
      const chunk = chunkOf(file);
      expect(urls.filter((url) => url.endsWith(`/${chunk}`)), chunk).toHaveLength(1);
    }
  });
});
