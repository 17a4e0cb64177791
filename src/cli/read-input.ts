/** Reading the CLI's inputs (a file, a directory listing, stdin), failing with one clear line. */
import { readdir, readFile, stat } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { type CliIo, CliInputError } from './io.js';

function reason(error: unknown): string {
  const code = (error as { code?: unknown }).code;
  if (code === 'ENOENT') return 'no such file or directory';
  if (code === 'EACCES') return 'permission denied';
  if (code === 'EISDIR') return 'is a directory';
  return typeof code === 'string' ? code : error instanceof Error ? error.message : String(error);
}

/** The bytes of `target` (`-` is stdin). */
export async function readTarget(target: string, io: CliIo): Promise<Uint8Array> {
  if (target === '-') return io.readStdin();
  try {
    return new Uint8Array(await readFile(resolve(io.cwd, target)));
  } catch (error) {
    throw new CliInputError(`cannot read ${target}: ${reason(error)}`);
  }
}

async function walk(dir: string, out: string[]): Promise<void> {
  const entries = await readdir(dir, { withFileTypes: true });
  entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  for (const entry of entries) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) await walk(path, out);
    // A fixtures folder lists its vectors in MANIFEST.json, which is not a vector itself.
    else if (entry.isFile() && entry.name.endsWith('.json') && entry.name !== 'MANIFEST.json') out.push(path);
  }
}

/** Every vector file named by `targets`: files as given, directories searched for *.json. */
export async function listVectorFiles(targets: readonly string[], io: CliIo): Promise<string[]> {
  const files: string[] = [];
  for (const target of targets) {
    const path = resolve(io.cwd, target);
    try {
      if ((await stat(path)).isDirectory()) {
        const found: string[] = [];
        await walk(path, found);
        if (found.length === 0) throw new CliInputError(`no .json vector files in ${target}`);
        files.push(...found);
      } else {
        files.push(path);
      }
    } catch (error) {
      if (error instanceof CliInputError) throw error;
      throw new CliInputError(`cannot read ${target}: ${reason(error)}`);
    }
  }
  return [...new Set(files)];
}

/** Runs `task` over `items` with at most `limit` in flight, keeping the order of results. */
export async function mapConcurrent<T, R>(items: readonly T[], limit: number, task: (item: T) => Promise<R>): Promise<R[]> {
  const results = new Array<R>(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const index = next++;
      results[index] = await task(items[index] as T);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return results;
}
