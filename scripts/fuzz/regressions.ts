/**
 * Regression fixtures (fixtures/fuzz-regressions/README.md): a shrunk finding saved as JSON and
 * replayed by test/fuzz/regressions.test.ts. A finding on a project-generated seed (fixtures/)
 * stores the mutated response itself; one on an interop vector stores only the recipe (seed id,
 * mutator, entropy) and the SHA-256 of the mutated response, because the interop vectors are read
 * by path and never copied into the project. Replay rebuilds the input from the recipe and checks
 * the hash, so a changed mutator cannot silently replay something else.
 */
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Vector } from '../../src/cli/vector.js';
import type { Finding } from './campaign.js';
import { fromB64u, REPO_ROOT, type Seed, toB64u } from './corpus.js';
import { mutatorNamed } from './mutators/index.js';

/** Where findings are saved and replayed from. */
export const REGRESSIONS_DIR = join(REPO_ROOT, 'fixtures/fuzz-regressions');

/** A saved finding (fixtures/fuzz-regressions/README.md describes each member). */
export interface RegressionFixture {
  readonly id: string;
  readonly description: string;
  readonly found: { readonly campaignSeed: number; readonly round: number; readonly date: string };
  readonly ceremony: Vector['ceremony'];
  readonly seed: { readonly source: Seed['source']; readonly id: string };
  readonly mutator: string;
  readonly variant: string;
  readonly entropy: { readonly op: number; readonly at: number; readonly value: number; readonly blob: string };
  readonly violation: { readonly kind: string; readonly detail: string };
  readonly observed: { readonly accepted: boolean; readonly code: string | null };
  readonly mutatedSha256: string;
  /**
   * Project-generated seeds only: the mutated response and the seed's other vector members
   * (expected, credential, verificationTime, trustAnchors, …), so that the file is also a vector
   * the CLI verifies (`webauthn-verify verify <file>`).
   */
  readonly response?: Record<string, unknown>;
  readonly [vectorMember: string]: unknown;
  /** The correct verdict, set when the finding is triaged: `invalid` with its exact code, or `valid`. */
  readonly outcome: 'valid' | 'invalid' | 'untriaged';
  readonly expectedError: string | null;
  readonly note: string;
}

/** SHA-256 (hex) of a response's JSON text: the identity of a mutated input. */
export const responseSha256 = (response: unknown): string => createHash('sha256').update(JSON.stringify(response)).digest('hex');

/** The vector members of a finding on a project seed (interop bytes are never copied here). */
export function vectorMembers(finding: { seed: Seed; mutated: { response: Record<string, unknown> } }): Record<string, unknown> {
  const v = finding.seed.vector;
  return {
    source: { repo: 'webauthn-verify', path: 'scripts/fuzz/run.ts', seedVector: v.id, command: 'npm run fuzz' },
    attestationFormat: v.attestationFormat,
    alg: v.alg,
    response: finding.mutated.response,
    expected: v.expected,
    credential: v.credential ?? null,
    verificationTime: v.verificationTime,
    trustAnchors: v.trustAnchors,
  };
}

/** The fixture for a shrunk finding (untriaged: a person sets outcome and expectedError). */
export function toRegression(finding: Finding, campaignSeed: number): RegressionFixture {
  const hash = responseSha256(finding.mutated.response);
  const v = finding.violations.find((x) => `${x.kind}|${finding.mutator.name}` === finding.signature) ?? finding.violations[0]!;
  return {
    id: `fuzz-${finding.seed.ceremony}-${finding.mutator.name}-${hash.slice(0, 8)}`,
    description: `${finding.mutator.name} (${finding.mutated.variant}) on ${finding.seed.id}: ${v.detail}`,
    found: { campaignSeed, round: finding.round, date: new Date().toISOString() },
    ceremony: finding.seed.ceremony,
    seed: { source: finding.seed.source, id: finding.seed.id },
    mutator: finding.mutator.name,
    variant: finding.mutated.variant,
    entropy: { op: finding.entropy.op, at: finding.entropy.at, value: finding.entropy.value, blob: toB64u(finding.entropy.blob) },
    violation: { kind: v.kind, detail: v.detail },
    observed: { accepted: finding.verdict.accepted, code: finding.verdict.code ?? null },
    mutatedSha256: hash,
    ...(finding.seed.source === 'interop' ? {} : vectorMembers(finding)),
    outcome: 'untriaged',
    expectedError: null,
    note: 'untriaged: decide the correct verdict, set outcome and expectedError, and report the bug',
  };
}

/**
 * The file name of a fixture: `<id>.json5`. The content is plain JSON; the extension keeps the
 * CLI's `verify fixtures/` (which reads every *.json below it as a fixture) and its tests from
 * counting findings among the generated fixtures. A finding on a project seed is still a vector:
 * `webauthn-verify verify <file>` checks it.
 */
export const regressionFileName = (fixture: RegressionFixture): string => `${fixture.id}.json5`;

/** Writes a fixture (pretty JSON, one file per finding); never overwrites one (it may be triaged). */
export function saveRegression(fixture: RegressionFixture, dir = REGRESSIONS_DIR): string {
  mkdirSync(dir, { recursive: true });
  const path = join(dir, regressionFileName(fixture));
  if (!existsSync(path)) writeFileSync(path, `${JSON.stringify(fixture, null, 2)}\n`);
  return path;
}

/** Every committed fixture, sorted by file name. */
export function loadRegressions(dir = REGRESSIONS_DIR): RegressionFixture[] {
  return readdirSync(dir)
    .filter((name) => name.endsWith('.json5'))
    .sort()
    .map((name) => JSON.parse(readFileSync(join(dir, name), 'utf8')) as RegressionFixture);
}

/** The input of a fixture as a vector: its stored response, or the recipe re-applied to its seed. */
export function regressionVector(fixture: RegressionFixture, seeds: readonly Seed[]): { vector: Vector; seed: Seed } {
  const seed = seeds.find((s) => s.id === fixture.seed.id && s.source === fixture.seed.source);
  if (seed === undefined) throw new Error(`${fixture.id}: seed ${fixture.seed.source}/${fixture.seed.id} not found`);
  let response = fixture.response;
  if (response === undefined) {
    const entropy = { ...fixture.entropy, blob: fromB64u(fixture.entropy.blob) };
    const mutated = mutatorNamed(fixture.mutator).apply(seed, entropy);
    if (mutated === undefined) throw new Error(`${fixture.id}: the recipe no longer applies to ${seed.id}`);
    response = mutated.response;
  }
  if (responseSha256(response) !== fixture.mutatedSha256) {
    throw new Error(`${fixture.id}: the rebuilt input differs from the one found (mutator or seed changed)`);
  }
  return { vector: { ...seed.vector, response: response as Vector['response'] }, seed };
}
