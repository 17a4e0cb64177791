/**
 * CPU profile of one sign-in scenario on the built package, and a summary of where the time goes:
 *
 *   npm run build && TSX_TSCONFIG_PATH=bench/tsconfig.json \
 *     node --import tsx bench/profile.ts es256-warm [seconds] [out.cpuprofile]
 *   TSX_TSCONFIG_PATH=bench/tsconfig.json node --import tsx bench/profile.ts --summary out.cpuprofile
 *
 * The profile (the format of `node --cpu-prof`) covers the timed loop only, not building the
 * inputs: it is started through node:inspector once they are ready.
 *
 * Scenarios: es256-warm, rs256-warm, ed25519-warm, es256-cold (20 000 credentials), each awaited
 * per call with @simplewebauthn/server run after every 4 calls (the headline's mixed load), or
 * `…-alone` without it; packed-registration, tpm-registration, android-key-registration (caches
 * emptied before each call, as in the registration-vs-limit rows). The summary prints self time per function (top 25) and per category
 * (native verify, GC, our code by file, the peer, the rest).
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { Session } from 'node:inspector/promises';
import { cycling, ours, simple } from './contenders.js';
import { type BenchAlg, makeCredential } from './inputs.js';
import { registrationScenarios } from './registration-limit.js';

interface ProfileNode {
  readonly id: number;
  readonly callFrame: { readonly functionName: string; readonly url: string; readonly lineNumber: number };
  readonly children?: readonly number[];
}

interface Profile {
  readonly nodes: readonly ProfileNode[];
  readonly samples: readonly number[];
  readonly timeDeltas: readonly number[];
}

function category(frame: ProfileNode['callFrame']): string {
  const { url, functionName } = frame;
  if (functionName === '(garbage collector)') return 'GC';
  if (functionName === '(program)' || functionName === '(idle)') return functionName;
  if (/@simplewebauthn|@levischuck/.test(url)) return 'peer (@simplewebauthn/server)';
  if (/@peculiar|asn1js|pkijs/.test(url)) return 'pkijs, asn1js, @peculiar (X.509 parsing: ours and the peer)';
  const dist = /\/dist\/(.+)$/.exec(url);
  if (dist) return `ours: ${dist[1]}`;
  if (url === '' || url.startsWith('node:')) return `node: ${functionName || '(anonymous)'}`;
  return 'other';
}

function summarize(file: string): void {
  const profile = JSON.parse(readFileSync(file, 'utf8')) as Profile;
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const self = new Map<number, number>();
  profile.samples.forEach((id, i) => {
    self.set(id, (self.get(id) ?? 0) + (profile.timeDeltas[i] ?? 0));
  });
  const total = [...self.values()].reduce((a, b) => a + b, 0);
  const functions = new Map<string, number>();
  const categories = new Map<string, number>();
  for (const [id, time] of self) {
    const frame = byId.get(id)!.callFrame;
    const name = `${frame.functionName || '(anonymous)'} ${frame.url.replace(/^.*\/(dist|node_modules)\//, '$1/')}:${frame.lineNumber + 1}`;
    functions.set(name, (functions.get(name) ?? 0) + time);
    const c = category(frame);
    categories.set(c, (categories.get(c) ?? 0) + time);
  }
  const table = (m: Map<string, number>, top: number) =>
    [...m.entries()]
      .sort((a, b) => b[1] - a[1])
      .slice(0, top)
      .map(([name, time]) => ({ name, ms: (time / 1000).toFixed(1), '%': ((100 * time) / total).toFixed(1) }));
  console.log(`${file}: ${(total / 1000).toFixed(0)} ms sampled`);
  console.table(table(categories, 30));
  console.table(table(functions, 25));
}

/** Registration with every cache emptied (bench/registration-limit.ts), alone. */
const session = new Session();

async function startProfile(): Promise<void> {
  session.connect();
  await session.post('Profiler.enable');
  await session.post('Profiler.setSamplingInterval', { interval: 100 });
  await session.post('Profiler.start');
}

async function stopProfile(file: string): Promise<void> {
  const { profile } = await session.post('Profiler.stop');
  writeFileSync(file, JSON.stringify(profile));
  console.log(`profile written to ${file}`);
}

async function runRegistration(index: number, seconds: number): Promise<void> {
  const s = (await registrationScenarios())[index]!;
  await startProfile();
  const end = performance.now() + seconds * 1000;
  let calls = 0;
  while (performance.now() < end) {
    await s.ours.fn();
    calls++;
  }
  console.log(`${s.label}: ${calls} registrations in ${seconds} s`);
}

async function run(scenario: string, seconds: number): Promise<void> {
  const registration = ['packed-registration', 'tpm-registration', 'android-key-registration'].indexOf(scenario);
  if (registration >= 0) return runRegistration(registration, seconds);
  const alone = scenario.endsWith('-alone');
  const [name, kind] = scenario.replace(/-alone$/, '').split('-') as [string, string];
  const alg = ({ es256: 'ES256', rs256: 'RS256', ed25519: 'Ed25519' } as Record<string, BenchAlg>)[name];
  if (alg === undefined || (kind !== 'warm' && kind !== 'cold')) throw new Error(`unknown scenario ${scenario}`);
  const creds = kind === 'warm' ? [makeCredential(alg, 0)] : Array.from({ length: 20_000 }, (_, i) => makeCredential(alg, i));
  const peerCredential = makeCredential('ES256', 999_999);
  const next = cycling(creds, ours);
  await startProfile();
  const end = performance.now() + seconds * 1000;
  let calls = 0;
  while (performance.now() < end) {
    for (let i = 0; i < 4; i++) await next();
    calls += 4;
    if (!alone) await simple(peerCredential);
  }
  console.log(`${scenario}: ${calls} sign-ins in ${seconds} s`);
}

const at = process.argv.indexOf('--summary');
if (at > 0) summarize(process.argv[at + 1] as string);
else {
  await run(process.argv[2] ?? 'es256-warm', Number(process.argv[3] ?? 5));
  await stopProfile(process.argv[4] ?? `/tmp/${process.argv[2] ?? 'es256-warm'}.cpuprofile`);
}
