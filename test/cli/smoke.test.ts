/** One real process: the source entry point runs as a program (shebang file, process wiring, exit status). */
import { execFileSync, spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { repoRoot } from './run-cli.js';

describe('cli as a process', () => {
  it('node --import tsx src/cli/main.ts --help exits 0 with the usage', () => {
    const stdout = execFileSync(process.execPath, ['--import', 'tsx', 'src/cli/main.ts', '--help'], { cwd: repoRoot, encoding: 'utf8' });
    expect(stdout).toContain('webauthn-verify verify');
  });

  it('a usage error exits 2 with one line and no stack trace', () => {
    const run = spawnSync(process.execPath, ['--import', 'tsx', 'src/cli/main.ts', 'inspect', 'no-such-file.json'], {
      cwd: repoRoot,
      encoding: 'utf8',
    });
    expect(run.status).toBe(2);
    expect(run.stderr.trim()).toBe('webauthn-verify: cannot read no-such-file.json: no such file or directory');
  });
});
