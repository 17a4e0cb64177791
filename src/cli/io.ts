/** The CLI's only contact with the process: output streams, stdin, environment, working directory. */
import { stdin } from 'node:process';

export interface CliIo {
  readonly stdout: (text: string) => void;
  readonly stderr: (text: string) => void;
  /** The whole of standard input (used for `inspect -`). */
  readonly readStdin: () => Promise<Uint8Array>;
  /** Progress is drawn only on a terminal, never into a log file or a pipe. */
  readonly stderrIsTTY: boolean;
  readonly env: Readonly<Record<string, string | undefined>>;
  readonly cwd: string;
}

async function readAll(): Promise<Uint8Array> {
  const chunks: Buffer[] = [];
  for await (const chunk of stdin) chunks.push(chunk as Buffer);
  return new Uint8Array(Buffer.concat(chunks));
}

export function nodeIo(): CliIo {
  return {
    stdout: (text) => process.stdout.write(text),
    stderr: (text) => process.stderr.write(text),
    readStdin: readAll,
    stderrIsTTY: process.stderr.isTTY === true,
    env: process.env,
    cwd: process.cwd(),
  };
}

/** An error in the CLI's own input: reported as one line on stderr, exit status 2. */
export class CliInputError extends Error {
  override readonly name = 'CliInputError';
}
