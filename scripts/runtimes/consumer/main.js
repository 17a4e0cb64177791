/**
 * Entry for Node, Bun and Deno: runs the suite and prints its report as one JSON line on stdout.
 * Anything thrown outside the suite's own checks (an import failure included) is reported on
 * stderr with a non-zero exit, which the matrix counts as a failed cell.
 */
import { runSuite } from './suite.js';

const runtime =
  typeof globalThis.Deno !== 'undefined'
    ? `deno ${globalThis.Deno.version.deno}`
    : typeof globalThis.Bun !== 'undefined'
      ? `bun ${globalThis.Bun.version}`
      : `node ${globalThis.process.versions.node}`;

console.log(JSON.stringify(await runSuite(runtime)));
