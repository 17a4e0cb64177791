/**
 * The documented disagreements of docs/quirks.md, read from docs/quirks.json (id → {code, quirk})
 * so that the CLI and a human reader work from one list. The file sits two folders above this
 * module both in src/cli and in dist/cli.
 */
import { readFileSync } from 'node:fs';
import { CliInputError } from './io.js';

export interface DocumentedQuirk {
  /** The code a strict verifier rejects the vector with. */
  readonly code: string;
  /** The heading of its entry in docs/quirks.md. */
  readonly quirk: string;
}

export const QUIRKS_URL = new URL('../../docs/quirks.json', import.meta.url);

export function loadQuirks(url: URL = QUIRKS_URL): ReadonlyMap<string, DocumentedQuirk> {
  let json: unknown;
  try {
    json = JSON.parse(readFileSync(url, 'utf8'));
  } catch (error) {
    throw new CliInputError(`cannot read the documented quirks (docs/quirks.json): ${(error as Error).message}`);
  }
  const quirks = new Map<string, DocumentedQuirk>();
  for (const [id, entry] of Object.entries(json as Record<string, unknown>)) {
    const { code, quirk } = (entry ?? {}) as Record<string, unknown>;
    if (typeof code !== 'string' || typeof quirk !== 'string') {
      throw new CliInputError(`docs/quirks.json: entry ${JSON.stringify(id)} needs string "code" and "quirk"`);
    }
    quirks.set(id, { code, quirk });
  }
  return quirks;
}
