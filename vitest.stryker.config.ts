import { defineConfig } from 'vitest/config';

// Single-project config for StrykerJS (stryker.config.mjs): the `node` project of vitest.config.ts.
// Stryker's vitest runner runs one project; the portable backend (`web`) shares every module
// except src/crypto/backend-web.ts, which is mutated only through the tests that reach it here.
// Excluded, because they cannot run inside Stryker's sandbox: test/browser (Chromium) and
// test/e2e (the demo relying party, a Chromium run and its sql.js storage; neither tests src/).
// A file URL's path, decoded (no node:url here: root-level .ts files are linted as portable code).
const nodeBackend = decodeURIComponent(new URL('./src/crypto/backend-node.ts', import.meta.url).pathname);

export default defineConfig({
  resolve: { alias: { '#crypto-backend': nodeBackend } },
  test: {
    include: ['test/**/*.test.ts'],
    exclude: ['test/browser/**', 'test/e2e/**', '**/node_modules/**'],
    testTimeout: 60_000,
  },
});
