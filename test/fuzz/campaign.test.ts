/**
 * The short CI variant of the fuzz campaign (docs/fuzzing.md): the same mutators, seeds and
 * invariants as `npm run fuzz`, with a bounded run count and a fixed seed (override with
 * FUZZ_SEED / FUZZ_RUNS). A violation fails the test with fast-check's shrunk input; nothing is
 * written to the working tree (`npm run fuzz` is the one that saves regression fixtures).
 * Timing is reported, never asserted (the 50 ms budget is the long campaign's).
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { type CeremonyStats, type Finding, runCampaign } from '../../scripts/fuzz/campaign.js';
import { type Ceremony, loadSeeds, type Seed } from '../../scripts/fuzz/corpus.js';
import { loadRegressions } from '../../scripts/fuzz/regressions.js';

const SEED = Number(process.env.FUZZ_SEED ?? 20261204);
const RUNS: Record<Ceremony, number> = {
  registration: Number(process.env.FUZZ_RUNS ?? 1500),
  authentication: Number(process.env.FUZZ_RUNS ?? 1000),
};

// Violations an open regression fixture already tracks fail its replay (test/fuzz/regressions.test.ts), not this test.
const KNOWN = loadRegressions().map((f) => `${f.violation.kind}|${f.mutator}`);

let seeds: Seed[];
beforeAll(async () => {
  seeds = await loadSeeds();
});

const describeFinding = (f: Finding) =>
  `${f.signature}: ${f.mutator.name} (${f.mutated.variant}) on ${f.seed.id} [entropy ${JSON.stringify({ ...f.entropy, blob: [...f.entropy.blob] })}] → ${f.verdict.accepted ? 'accepted' : f.verdict.code}; ${f.violations.map((v) => v.detail).join('; ')}`;

function report(ceremony: Ceremony, stats: CeremonyStats): void {
  const slow = stats.slowest[0];
  console.log(
    `fuzz ${ceremony} (seed ${SEED}): ${stats.inputs} inputs, ${stats.accepted} accepted, ${stats.mustReject} must-reject, ` +
      `slowest ${slow?.ms.toFixed(1)} ms (${slow?.mutator} on ${slow?.seed}), ${stats.overBudget} over 50 ms, ` +
      `known (tracked by fixtures/fuzz-regressions): ${JSON.stringify(stats.repeats)}`,
  );
}

describe('fuzz campaign, short variant', () => {
  for (const ceremony of ['registration', 'authentication'] as const) {
    it(`${ceremony}: ${RUNS[ceremony]} mutated inputs, no invariant violated`, async () => {
      const { stats, findings } = await runCampaign(seeds, { ceremony, runs: RUNS[ceremony], seed: SEED, maxFindings: 5, known: KNOWN });
      report(ceremony, stats);
      expect(findings.map(describeFinding)).toEqual([]);
      expect(stats.inputs).toBe(RUNS[ceremony]);
      expect([stats.acceptedSignedChange, stats.acceptedMustReject, stats.errInternal, stats.foreign, stats.trustClaims]).toEqual([0, 0, 0, 0, 0]);
      // The mutators did reach the verifier's checks: most inputs are rejected, some accepted.
      expect(stats.accepted).toBeGreaterThan(0);
      expect(stats.inputs - stats.accepted).toBeGreaterThan(stats.inputs / 2);
    });
  }
});
