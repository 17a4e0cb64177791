import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { ERROR_CODES } from '../../src/errors.js';

describe('docs/errors.md', () => {
  const doc = readFileSync(new URL('../../docs/errors.md', import.meta.url), 'utf8');

  it('documents every error code with a table row', () => {
    const missing = Object.keys(ERROR_CODES).filter((code) => !doc.includes(`| \`${code}\` |`));
    expect(missing).toEqual([]);
  });

  it('documents no code that does not exist', () => {
    const documented = [...doc.matchAll(/\| `(ERR_[A-Z0-9_]+)` \|/g)].map((m) => m[1]);
    const unknown = documented.filter((code) => !(code! in ERROR_CODES));
    expect(unknown).toEqual([]);
  });
});
