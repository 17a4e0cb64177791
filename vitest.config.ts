import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

// The whole suite runs twice: once against the Node backend (node:crypto), once against the
// portable backend (WebCrypto + @noble), by pointing `#crypto-backend` at each in turn.
const backend = (name: 'node' | 'web') => fileURLToPath(new URL(`./src/crypto/backend-${name}.ts`, import.meta.url));

export default defineConfig({
  test: {
    projects: [
      {
        resolve: { alias: { '#crypto-backend': backend('node') } },
        test: { name: 'node', include: ['test/**/*.test.ts'], testTimeout: 60_000 },
      },
      {
        resolve: { alias: { '#crypto-backend': backend('web') } },
        test: { name: 'web', include: ['test/**/*.test.ts'], testTimeout: 60_000 },
      },
    ],
  },
});
