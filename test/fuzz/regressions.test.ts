/**
 * Replays every fuzz finding saved in fixtures/fuzz-regressions/ (README there) and asserts the
 * CORRECT verdict recorded when it was triaged — so a finding that is a bug fails here until the
 * library is fixed, and passes for good afterwards. An untriaged fixture fails too: a finding
 * must not be committed without a decision.
 */
import { readdirSync } from 'node:fs';
import { beforeAll, describe, expect, it } from 'vitest';
import { authenticationExpectations, registrationExpectations, type Vector } from '../../src/cli/vector.js';
import { verifyAuthenticationResponse, verifyRegistrationResponse } from '../../src/index.js';
import type { WebAuthnErrorCode } from '../../src/errors.js';
import type { AuthenticationResponseJSON, RegistrationResponseJSON } from '../../src/types.js';
import { loadSeeds, type Seed } from '../../scripts/fuzz/corpus.js';
import { loadRegressions, REGRESSIONS_DIR, regressionFileName, regressionVector } from '../../scripts/fuzz/regressions.js';
import { expectRejection } from '../helpers/expect-code.js';

const fixtures = loadRegressions();
let seeds: Seed[];
beforeAll(async () => {
  seeds = await loadSeeds();
});

function verify(vector: Vector): Promise<unknown> {
  if (vector.ceremony === 'registration') {
    return verifyRegistrationResponse(vector.response as unknown as RegistrationResponseJSON, registrationExpectations(vector));
  }
  const c = vector.credential!;
  return verifyAuthenticationResponse(
    vector.response as unknown as AuthenticationResponseJSON,
    { id: c.id, publicKey: c.publicKey, algorithm: vector.alg!, signCount: c.signCount },
    authenticationExpectations(vector),
  );
}

describe('fuzz regressions', () => {
  it('every file is a fixture named <id>.json5 (plain JSON), a vector when its seed is ours, with a README', () => {
    const files = readdirSync(REGRESSIONS_DIR);
    expect(files).toContain('README.md');
    expect(files.filter((f) => f !== 'README.md').sort()).toEqual(fixtures.map(regressionFileName).sort());
    for (const fixture of fixtures) expect(fixture.response === undefined, fixture.id).toBe(fixture.seed.source === 'interop');
  });

  for (const fixture of fixtures) {
    it(`${fixture.id}: ${fixture.outcome === 'invalid' ? fixture.expectedError : fixture.outcome} (${fixture.variant} on ${fixture.seed.id})`, async () => {
      expect(fixture.outcome, `${fixture.id} is untriaged: set outcome and expectedError`).not.toBe('untriaged');
      const { vector } = regressionVector(fixture, seeds);
      if (fixture.outcome === 'invalid') {
        expect(fixture.expectedError).toMatch(/^ERR_/);
        await expectRejection(verify(vector), fixture.expectedError as WebAuthnErrorCode);
      } else {
        await verify(vector);
      }
    });
  }
});
