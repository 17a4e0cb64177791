#!/usr/bin/env node
/**
 * The `prepare` script: builds dist/ when it is missing. That is the case npm needs it for —
 * `npm install git+<url>` clones the repository (dist/ is not committed), installs its
 * devDependencies and runs `prepare` before packing it — and a fresh checkout's `npm ci`. When
 * dist/ exists nothing runs, so `npm pack` (also a `prepare` trigger, through attw, publint and
 * the runtime matrix) does not rebuild the tree others may be using; `npm run build` stays the
 * way to refresh it.
 */
import { execSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';

const root = resolve(import.meta.dirname, '..');
if (!existsSync(resolve(root, 'dist/index.js'))) {
  execSync('npm run build', { cwd: root, stdio: 'inherit' });
}
