// StrykerJS mutation testing (docs/security.md, "Mutation score").
//   npm run mutate                         all of src/, incremental (reports/stryker-incremental.json)
//   npm run mutate -- --mutate 'src/parse/**/*.ts'   one folder (the per-folder scores)
//   npm run mutate:ci                      the short CI variant (see package.json), not incremental
// Incremental mode is switched on by `npm run mutate` (`--incremental`): Stryker's CLI cannot turn
// a configured `incremental: true` off again, and the CI variant must not depend on a local file.
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = dirname(fileURLToPath(import.meta.url));
// Stryker runs the tests in a copy of the tree (.stryker-tmp/sandbox-*), where the tests' default
// `../shared/...` would point inside .stryker-tmp: pin the shared vectors to absolute paths here.
process.env.WEBAUTHN_INTEROP_DIR ??= resolve(root, '../shared/interop');
process.env.INTEROP_DIR ??= process.env.WEBAUTHN_INTEROP_DIR; // test/crypto/interop-signatures.test.ts
process.env.WYCHEPROOF_DIR ??= resolve(root, '../shared/wycheproof');

/** @type {import('@stryker-mutator/api/core').PartialStrykerOptions} */
export default {
  testRunner: 'vitest',
  vitest: { configFile: 'vitest.stryker.config.ts' },
  plugins: ['@stryker-mutator/vitest-runner'],
  // Everything the library ships; the CLI is mutated too (its score is reported, not gated).
  mutate: ['src/**/*.ts', '!src/**/*.d.ts'],
  coverageAnalysis: 'perTest',
  // The machine is shared: one test runner process. Crypto tests (RSA/TPM synthetic chains,
  // Wycheproof files) are slow and a mutant's run repeats their setup (key generation in
  // beforeAll), which the baseline's net time does not include: 10 s on top of 1.5 × baseline.
  concurrency: 1,
  timeoutMS: 10_000,
  timeoutFactor: 1.5,
  incremental: false,
  incrementalFile: 'reports/stryker-incremental.json',
  reporters: ['clear-text', 'progress', 'html', 'json'],
  htmlReporter: { fileName: 'reports/mutation/mutation.html' },
  jsonReporter: { fileName: 'reports/mutation/mutation.json' },
  clearTextReporter: { allowColor: false, logTests: false, reportScoreTable: true, reportMutants: false },
  tempDirName: '.stryker-tmp',
  cleanTempDir: 'always',
  thresholds: { high: 85, low: 70, break: null },
};
