/** Command-line parsing: a command, its flags and its positional arguments. Unknown flags are errors. */
import { CliInputError } from './io.js';

export interface ParsedArgs {
  readonly command: string | undefined;
  readonly flags: ReadonlySet<string>;
  readonly positionals: readonly string[];
}

/** `-` alone is a positional (stdin); `--` ends the flags. */
export function parseArgs(argv: readonly string[], allowedFlags: ReadonlySet<string>): ParsedArgs {
  const flags = new Set<string>();
  const positionals: string[] = [];
  let command: string | undefined;
  let flagsEnded = false;
  for (const arg of argv) {
    if (!flagsEnded && arg === '--') {
      flagsEnded = true;
    } else if (!flagsEnded && arg.startsWith('-') && arg !== '-') {
      const flag = arg === '-h' ? '--help' : arg === '-V' ? '--version' : arg;
      if (!allowedFlags.has(flag)) throw new CliInputError(`unknown option ${JSON.stringify(arg)} (see --help)`);
      flags.add(flag);
    } else if (command === undefined) {
      command = arg;
    } else {
      positionals.push(arg);
    }
  }
  return { command, flags, positionals };
}
