/** Runs the CLI in-process with captured output (no subprocess). */
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { CliIo } from '../../src/cli/io.js';
import { main } from '../../src/cli/main.js';

export const repoRoot = fileURLToPath(new URL('../..', import.meta.url));
export const fixturesDir = join(repoRoot, 'fixtures');

export function interopVectorsDir(): string {
  const dir = join(process.env.WEBAUTHN_INTEROP_DIR ?? resolve(repoRoot, '../shared/interop'), 'vectors');
  if (!existsSync(dir)) throw new Error(`Interop vectors not found at ${dir} (set WEBAUTHN_INTEROP_DIR)`);
  return dir;
}

export interface CliRun {
  readonly status: number;
  readonly stdout: string;
  readonly stderr: string;
}

export async function runCli(
  argv: readonly string[],
  options: { stdin?: Uint8Array | string; stderrIsTTY?: boolean; cwd?: string } = {},
): Promise<CliRun> {
  let stdout = '';
  let stderr = '';
  const io: CliIo = {
    stdout: (text) => {
      stdout += text;
    },
    stderr: (text) => {
      stderr += text;
    },
    readStdin: async () =>
      typeof options.stdin === 'string' ? new TextEncoder().encode(options.stdin) : (options.stdin ?? new Uint8Array()),
    stderrIsTTY: options.stderrIsTTY ?? false,
    env: {},
    cwd: options.cwd ?? repoRoot,
  };
  const status = await main(argv, io);
  return { status, stdout, stderr };
}
