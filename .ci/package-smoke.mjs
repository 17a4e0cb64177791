// Packs the built library, installs the tarball into a scratch project, and checks that another
// package can import it: in Node (the `node` condition → node:crypto backend), with the portable
// backend forced, and bundled for a neutral (non-Node) platform, which proves that the default
// entry pulls in no `node:` module.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

const root = resolve(import.meta.dirname, '..');
const interop = process.env.WEBAUTHN_INTEROP_DIR ?? resolve(root, '../shared/interop');
const vector = JSON.parse(readFileSync(join(interop, 'vectors/w3c-auth-packed-es256.json'), 'utf8'));
const scratch = mkdtempSync(join(tmpdir(), 'webauthn-verify-smoke-'));
const run = (cmd, args, opts = {}) => execFileSync(cmd, args, { cwd: scratch, stdio: ['ignore', 'pipe', 'inherit'], ...opts }).toString();

const tarball = run('npm', ['pack', '--silent', '--pack-destination', scratch, root], { cwd: root }).trim().split('\n').pop();
writeFileSync(join(scratch, 'package.json'), JSON.stringify({ name: 'smoke', private: true, type: 'module' }));
run('npm', ['install', '--prefer-offline', '--no-audit', '--no-fund', '--silent', join(scratch, tarball)]);

const program = `
import { verifyAuthenticationResponse, WebAuthnError } from 'webauthn-verify';
const v = ${JSON.stringify(vector)};
const result = await verifyAuthenticationResponse(v.response,
  { id: v.credential.id, publicKey: v.credential.publicKey, algorithm: v.alg, signCount: v.credential.signCount },
  { challenge: v.expected.challenge, origin: v.expected.origin, rpId: v.expected.rpId });
if (result.rpId !== v.expected.rpId || typeof WebAuthnError !== 'function') throw new Error('unexpected result');
const bad = await verifyAuthenticationResponse(v.response,
  { id: v.credential.id, publicKey: v.credential.publicKey, algorithm: v.alg, signCount: v.credential.signCount },
  { challenge: 'x' + v.expected.challenge, origin: v.expected.origin, rpId: v.expected.rpId }).catch((e) => e);
if (!(bad instanceof WebAuthnError) || bad.code !== 'ERR_CHALLENGE_MISMATCH') throw new Error('expected ERR_CHALLENGE_MISMATCH');
console.log('ok');
`;
writeFileSync(join(scratch, 'smoke.mjs'), program);

console.log('node condition:', run('node', ['smoke.mjs']).trim());
console.log('portable backend in Node:', run('node', ['--conditions=webauthn-verify-portable', 'smoke.mjs']).trim());

// A neutral-platform bundle resolves without the `node` condition; it must contain no node: import.
const esbuild = join(root, 'node_modules/.bin/esbuild');
run(esbuild, ['smoke.mjs', '--bundle', '--platform=neutral', '--format=esm', '--main-fields=module,main', '--outfile=bundle.mjs', '--log-level=warning']);
const bundle = readFileSync(join(scratch, 'bundle.mjs'), 'utf8');
if (/from\s*["']node:|require\(["']node:/.test(bundle)) throw new Error('the portable bundle imports a node: module');
console.log('neutral-platform bundle:', run('node', ['bundle.mjs']).trim());
