// The short mutation run of CI (`npm run mutate:ci`, .ci/run): src/policy against its own unit
// tests only (test/policy), not incremental. The policy folder is where a surviving mutant is a
// missed security decision (origin, challenge, counter, flags, trust), and its own tests run in
// well under a second, so the whole run fits in a few minutes on the CI machine. `break` fails CI
// below 75 %: a tripwire with room for policy code that lands with its tests elsewhere (test/spec);
// the per-folder scores and the ≥ 85 % goal are in docs/security.md ("Mutation score").
import base from './stryker.config.mjs';

/** @type {import('@stryker-mutator/api/core').PartialStrykerOptions} */
export default {
  ...base,
  mutate: ['src/policy/**/*.ts'],
  testFiles: ['test/policy/**/*.test.ts'],
  incremental: false,
  reporters: ['clear-text', 'progress'],
  thresholds: { ...base.thresholds, break: 75 },
};
