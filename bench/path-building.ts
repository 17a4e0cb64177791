/**
 * Path-building cost (issue 11): what building the certification path costs a registration, and
 * how long the hostile x5c sets take to be refused.
 *
 *   npx tsx bench/path-building.ts [--runs N] [--registration-only] [--compare <checkout>]
 *
 * Registration rows use only the public API (verifyRegistrationResponse), so the same script runs
 * against a checkout from before path building (`--registration-only`) for the before/after ratio.
 * "cold": the X.509 and key caches are emptied before every run (every certificate parsed, every
 * signature checked); "warm": caches kept (a relying party registering many authenticators of one
 * model). `--compare <checkout>` (a checkout of the code before, e.g. `git archive <commit>` with
 * node_modules and dist linked) measures the registration rows of both in one process, interleaved
 * run by run (VM drift hits both alike), and prints the median of the paired ratios after/before.
 * Hostile rows (20 certificates: the leaf and 19 CAs of one name) include parsing the 20
 * certificates, with cold caches. Times are wall-clock (performance.now) and CPU
 * (process.cpuUsage, user + system) of the awaited call; medians and maxima over N runs.
 */
import { availableParallelism, cpus } from 'node:os';
import { verifyRegistrationResponse } from '../src/index.js';
import { clearKeyCache } from '../src/low-level.js';
import { clearX509Caches, parseCertificate } from '../src/x509/index.js';
import { createRegistration, DEFAULT_AAGUID } from '../test/helpers/synthetic-registration.js';
import { issueCertificate } from '../test/helpers/test-ca.js';

const runsArg = process.argv.indexOf('--runs');
const RUNS = runsArg > 0 ? Number(process.argv[runsArg + 1]) : 30;
const REGISTRATION_ONLY = process.argv.includes('--registration-only');
const compareArg = process.argv.indexOf('--compare');
const COMPARE = compareArg > 0 ? process.argv[compareArg + 1] : undefined;

interface Row {
  readonly scenario: string;
  readonly outcome: string;
  readonly wallMedianMs: number;
  readonly wallMaxMs: number;
  readonly cpuMedianMs: number;
}

async function measure(scenario: string, cold: boolean, run: () => Promise<unknown>): Promise<Row> {
  const wall: number[] = [];
  const cpu: number[] = [];
  let outcome = '';
  for (let i = 0; i < RUNS + 1; i++) {
    if (cold) {
      clearX509Caches();
      clearKeyCache();
    }
    const cpuStart = process.cpuUsage();
    const start = performance.now();
    try {
      await run();
      outcome = 'ok';
    } catch (error) {
      const e = error as { code?: string; details?: { reason?: string } };
      outcome = `${e.code ?? String(error)}${e.details?.reason === undefined ? '' : ` (${e.details.reason})`}`;
    }
    const elapsed = performance.now() - start;
    const used = process.cpuUsage(cpuStart);
    // The first run also loads code paths: not counted.
    if (i > 0) {
      wall.push(elapsed);
      cpu.push((used.user + used.system) / 1000);
    }
  }
  const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? 0;
  const round = (x: number) => Number(x.toFixed(3));
  return { scenario, outcome, wallMedianMs: round(median(wall)), wallMaxMs: round(Math.max(...wall)), cpuMedianMs: round(median(cpu)) };
}

async function registrationRows(): Promise<Row[]> {
  const rows: Row[] = [];
  for (const intermediates of [1, 3]) {
    const registration = await createRegistration({
      aaguid: DEFAULT_AAGUID,
      format: 'packed',
      ca: { name: `Bench path ${intermediates}`, intermediates },
    });
    const expected = {
      ...registration.expected,
      attestation: { ...registration.expected.attestation, trustAnchors: registration.ca?.trustAnchors ?? [], require: 'trusted' as const },
    };
    for (const cold of [true, false]) {
      rows.push(
        await measure(`packed x5c of ${intermediates + 1}, anchor given, ${cold ? 'cold' : 'warm'}`, cold, () =>
          verifyRegistrationResponse(registration.response, expected),
        ),
      );
    }
  }
  return rows;
}

async function hostileRows(): Promise<Row[]> {
  // Imported here: these helpers and options exist only with path building.
  const { createSameNameCas, createSelfIssuedRing } = await import('../test/helpers/path-ca.js');
  const { validateCertificatePath } = await import('../src/x509/index.js');
  const rootName = { C: 'ZZ', O: 'Bench hostile', CN: 'Bench hostile Root' };
  const root = await issueCertificate({ subject: rootName });
  const anchor = parseCertificate(root.der);
  const sets = {
    'none real': await createSameNameCas({ name: 'Bench none', count: 19, realIssuer: root, issuerName: rootName, realIndex: undefined }),
    'one real, last': await createSameNameCas({ name: 'Bench last', count: 19, realIssuer: root, issuerName: rootName, realIndex: 18 }),
    'one real, 5th': await createSameNameCas({ name: 'Bench fifth', count: 19, realIssuer: root, issuerName: rootName, realIndex: 4 }),
    'self-issued ring': await createSelfIssuedRing('Bench ring', 19),
  };
  const rows: Row[] = [];
  for (const [name, set] of Object.entries(sets)) {
    const ders = [set.leaf, ...set.cas].map((c) => c.der);
    for (const allowUnorderedChain of [true, false]) {
      rows.push(
        await measure(`hostile 20 (${name}), ${allowUnorderedChain ? 'any order' : 'x5c order'}`, true, () =>
          validateCertificatePath({
            chain: ders.map((der) => parseCertificate(der)),
            trustAnchors: [anchor],
            now: new Date('2030-06-01T00:00:00Z'),
            maxLength: 32,
            allowUnorderedChain,
          }),
        ),
      );
    }
  }
  return rows;
}

/** The same registrations verified by this checkout and by `dir`, alternating, with paired ratios. */
async function compareRows(dir: string): Promise<void> {
  const before = (await import(`${dir}/src/index.ts`)) as typeof import('../src/index.js');
  const beforeLow = (await import(`${dir}/src/low-level.ts`)) as typeof import('../src/low-level.js');
  const beforeX509 = (await import(`${dir}/src/x509/index.ts`)) as { clearX509Caches: () => void };
  const rows: Record<string, unknown>[] = [];
  for (const intermediates of [1, 3]) {
    const registration = await createRegistration({ aaguid: DEFAULT_AAGUID, format: 'packed', ca: { name: `Compare ${intermediates}`, intermediates } });
    const expected = {
      ...registration.expected,
      attestation: { ...registration.expected.attestation, trustAnchors: registration.ca?.trustAnchors ?? [], require: 'trusted' as const },
    };
    for (const cold of [true, false]) {
      const ratios: number[] = [];
      const times: [number[], number[]] = [[], []];
      for (let i = 0; i < RUNS + 1; i++) {
        const pair: number[] = [];
        for (const side of i % 2 === 0 ? [0, 1] : [1, 0]) {
          if (cold) {
            if (side === 0) {
              beforeX509.clearX509Caches();
              beforeLow.clearKeyCache();
            } else {
              clearX509Caches();
              clearKeyCache();
            }
          }
          const verify = side === 0 ? before.verifyRegistrationResponse : verifyRegistrationResponse;
          const start = performance.now();
          await verify(registration.response, expected);
          pair[side] = performance.now() - start;
        }
        if (i === 0) continue;
        times[0].push(pair[0] as number);
        times[1].push(pair[1] as number);
        ratios.push((pair[1] as number) / (pair[0] as number));
      }
      const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? 0;
      rows.push({
        scenario: `packed x5c of ${intermediates + 1}, anchor given, ${cold ? 'cold' : 'warm'}`,
        beforeMedianMs: Number(median(times[0]).toFixed(3)),
        afterMedianMs: Number(median(times[1]).toFixed(3)),
        'after/before (median of paired ratios)': Number(median(ratios).toFixed(3)),
      });
    }
  }
  console.table(rows);
}

if (COMPARE !== undefined) {
  await compareRows(COMPARE);
  process.exit(0);
}

console.log(`path building cost, ${RUNS} runs each; ${cpus()[0]?.model ?? 'cpu'} × ${availableParallelism()}, node ${process.version}`);
console.table([...(await registrationRows()), ...(REGISTRATION_ONLY ? [] : await hostileRows())]);
