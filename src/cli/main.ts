#!/usr/bin/env node
/**
 * `webauthn-verify`: the auditor's command line. `main(argv, io)` does the work and returns the
 * exit status, so tests run it in-process; the process wiring at the bottom runs only when this
 * file is the program itself.
 */
import { readFileSync, realpathSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { parseArgs } from './args.js';
import { runInspect } from './inspect.js';
import { type CliIo, CliInputError, nodeIo } from './io.js';
import { runVerify } from './verify.js';

export const USAGE = `Usage:
  webauthn-verify inspect <file|->            annotated tree of a response, vector, attestationObject,
                                              authenticatorData, clientDataJSON or certificate
  webauthn-verify verify <vector.json…|dir>   run vectors with their expectations, summary per format

Options:
  --json         machine-readable output (bytes as base64url or hex)
  -h, --help     this help
  -V, --version  the version

Exit status: 0 success (inspect: every part decoded; verify: every vector met its expected outcome),
1 inspect found a malformed part / verify found a vector that missed its outcome, 2 bad input or usage.
`;

const FLAGS = new Set(['--json', '--help', '--version']);

function version(): string {
  const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string };
  return pkg.version;
}

export async function main(argv: readonly string[], io: CliIo = nodeIo()): Promise<number> {
  try {
    const args = parseArgs(argv, FLAGS);
    if (args.flags.has('--help')) {
      io.stdout(USAGE);
      return 0;
    }
    if (args.flags.has('--version')) {
      io.stdout(`${version()}\n`);
      return 0;
    }
    const json = args.flags.has('--json');
    switch (args.command) {
      case 'inspect': {
        if (args.positionals.length !== 1) throw new CliInputError('inspect takes exactly one file (or - for stdin)');
        return await runInspect(args.positionals[0] as string, json, io);
      }
      case 'verify':
        return await runVerify(args.positionals, json, io);
      case undefined:
        throw new CliInputError('no command given: use inspect or verify (see --help)');
      default:
        throw new CliInputError(`unknown command ${JSON.stringify(args.command)}: use inspect or verify (see --help)`);
    }
  } catch (error) {
    const message = error instanceof CliInputError ? error.message : `internal error: ${error instanceof Error ? error.message : String(error)}`;
    io.stderr(`webauthn-verify: ${message.split('\n')[0]}\n`);
    return 2;
  }
}

function isProgram(): boolean {
  const entry = process.argv[1];
  if (entry === undefined) return false;
  try {
    // npm installs the bin as a symlink, so compare resolved paths.
    return realpathSync(entry) === realpathSync(fileURLToPath(import.meta.url));
  } catch {
    return false;
  }
}

if (isProgram()) {
  main(process.argv.slice(2)).then((status) => {
    process.exitCode = status;
  });
}
