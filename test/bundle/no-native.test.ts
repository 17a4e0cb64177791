/**
 * Issue 10, item 1: the library never loads a native add-on (cbor-x's optional cbor-extract is
 * installed and compiled in this repository, so it would load if anything asked for it) and reads
 * no environment variable, on import or while verifying.
 *
 * A child Node process hooks process.dlopen, Module._load (CommonJS), ESM resolution and every
 * read of process.env before importing the library (bundled from src/ with every package left to
 * Node's own resolver under the `node` condition), runs a packed x5c registration and a sign-in,
 * and prints what it saw. A control run imports cbor-x itself and must see the add-on: so the hooks
 * do detect what this test forbids.
 */
import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadInteropVectors } from '../helpers/interop.js';
import { bundle, packagesIn, repoRoot, scratchDir } from './build-bundle.js';

const PRELOAD = `
const Module = require('node:module');
const seen = (globalThis.__seen = { dlopen: [], required: [], env: [], esm: [] });
const dlopen = process.dlopen;
process.dlopen = function (module, filename, ...rest) {
  seen.dlopen.push(String(filename));
  return dlopen.call(this, module, filename, ...rest);
};
const load = Module._load;
Module._load = function (request, ...rest) {
  seen.required.push(String(request));
  return load.call(this, request, ...rest);
};
`;

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

const seen = globalThis.__seen;
const { port1, port2 } = new MessageChannel();
port1.on('message', (url) => seen.esm.push(url));
register('./resolve-hook.mjs', import.meta.url, { data: { port: port2 }, transferList: [port2] });

// From here on, record every environment read (get, has, enumeration) made by code other than Node
// itself and this program: Node's ESM loader reads WATCH_REPORT_DEPENDENCIES on each import() with
// only node:internal frames and this program's import() call on the stack.
Error.stackTraceLimit = 64;
const fromUserCode = () =>
  new Error().stack.split('\\n').slice(4).some((line) => /file:|\\(\\//.test(line) && !line.includes('/program.mjs:'));
const record = (key) => { if (fromUserCode()) seen.env.push(key); };
const env = process.env;
process.env = new Proxy(env, {
  get(target, key) { if (typeof key === 'string') record(key); return Reflect.get(target, key); },
  has(target, key) { if (typeof key === 'string') record(key); return Reflect.has(target, key); },
  ownKeys(target) { record('*'); return Reflect.ownKeys(target); },
});

const [mode, vectorsFile] = process.argv.slice(2);
if (mode === 'control') {
  await import('cbor-x');
} else {
  const lib = await import('./entry.js');
  const { registration, authentication } = JSON.parse(readFileSync(vectorsFile, 'utf8'));
  const reg = await lib.verifyRegistrationResponse(registration.response, lib.registrationExpectations(registration));
  const a = authentication;
  const auth = await lib.verifyAuthenticationResponse(
    a.response,
    { id: a.credential.id, publicKey: a.credential.publicKey, algorithm: a.alg, signCount: a.credential.signCount },
    lib.authenticationExpectations(a),
  );
  seen.result = { format: reg.attestation.format, type: reg.attestation.type, rpId: auth.rpId };
}
process.env = env;
await new Promise((done) => setTimeout(done, 100)); // let the hook thread's last messages arrive
port1.close();
process.stdout.write(JSON.stringify(seen));
`;

interface Seen {
  dlopen: string[];
  required: string[];
  env: string[];
  esm: string[];
  result?: { format: string; type: string; rpId: string };
}

let dir = '';

function runChild(mode: 'library' | 'control'): Seen {
  const out = execFileSync(process.execPath, ['--require', './preload.cjs', 'program.mjs', mode, 'vectors.json'], {
    cwd: dir,
    env: { PATH: process.env.PATH ?? '' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  return JSON.parse(out.toString()) as Seen;
}

beforeAll(async () => {
  dir = scratchDir('no-native');
  await bundle({
    entry: [
      "export { verifyRegistrationResponse, verifyAuthenticationResponse } from './src/index.js';",
      "export { registrationExpectations, authenticationExpectations } from './src/cli/vector.js';",
    ].join('\n'),
    backend: 'node',
    platform: 'node',
    externalPackages: true,
    outdir: dir,
  });
  const vectors = loadInteropVectors();
  const registration = vectors.find((v) => v.id === 'pyw-packed-yubico-es256');
  const authentication = vectors.find((v) => v.id === 'w3c-auth-packed-es256');
  expect(registration?.response.response.attestationObject).toBeTypeOf('string');
  writeFileSync(join(dir, 'vectors.json'), JSON.stringify({ registration, authentication }));
  writeFileSync(join(dir, 'preload.cjs'), PRELOAD);
  writeFileSync(join(dir, 'resolve-hook.mjs'), RESOLVE_HOOK);
  writeFileSync(join(dir, 'program.mjs'), PROGRAM);
}, 60_000);

afterAll(() => {
  if (dir !== '') rmSync(dir, { recursive: true, force: true });
});

describe('no native add-on, no environment read', () => {
  it('control: importing cbor-x itself loads cbor-extract and a .node file (the hooks work)', () => {
    const seen = runChild('control');
    expect(seen.esm.some((url) => url.includes('/cbor-x/node-index.js'))).toBe(true);
    expect(seen.required).toContain('cbor-extract');
    expect(seen.dlopen.some((file) => file.endsWith('.node'))).toBe(true);
    expect(seen.env).toContain('CBOR_NATIVE_ACCELERATION_DISABLED');
  });

  it('the library registers (packed x5c) and signs in without loading cbor-x, an add-on or reading env', () => {
    const seen = runChild('library');
    expect(seen.result).toEqual({ format: 'packed', type: 'basic', rpId: expect.any(String) });
    // The library's own packages were resolved through the hook (it does see them) …
    expect(seen.esm.some((url) => url.includes('/node_modules/asn1js/'))).toBe(true);
    // … and nothing of cbor-x or cbor-extract, no native module and no environment variable.
    expect(seen.esm.filter((url) => /cbor-x|cbor-extract/.test(url))).toEqual([]);
    expect(seen.required.filter((request) => /cbor|node-gyp-build/.test(request))).toEqual([]);
    expect(seen.dlopen).toEqual([]);
    expect(seen.env).toEqual([]);
  });

  it('the library bundle holds no cbor-x and no code of src/cli beyond the vector helper', async () => {
    const { metafile } = await bundle({
      entry: "export * from './src/index.js'; export * from './src/low-level.js';",
      backend: 'node',
      platform: 'node',
    });
    expect(packagesIn(metafile).has('cbor-x')).toBe(false);
    const inputs = Object.keys(metafile.inputs);
    expect(inputs.some((path) => path.startsWith('src/encoding/cbor-decode.ts'))).toBe(true);
    expect(inputs.filter((path) => path.startsWith('src/cli/'))).toEqual([]);
  });
});

describe('nothing in the library reads the environment (no Deno --allow-env needed)', () => {
  // src/cli is the Node-only command-line tool (bin): its io.ts hands process.env to the CLI. It is
  // never reachable from the package entries (the test above checks the bundle).
  const files = (readdirSync(join(repoRoot, 'src'), { recursive: true }) as string[])
    .filter((name) => name.endsWith('.ts') && !name.startsWith('cli/'))
    .map((name) => join(repoRoot, 'src', name));

  it('covers the library sources', () => {
    expect(files.length).toBeGreaterThan(50);
  });

  it('no process.env, Deno.env, import.meta.env or Bun.env in src/ outside src/cli', () => {
    const offenders = files.filter((file) =>
      /\bprocess\s*\.\s*env\b|\bprocess\s*\[|\bDeno\s*\.\s*env\b|import\.meta\.env\b|\bBun\s*\.\s*env\b/.test(readFileSync(file, 'utf8')),
    );
    expect(offenders.map((file) => relative(repoRoot, file))).toEqual([]);
  });
});
