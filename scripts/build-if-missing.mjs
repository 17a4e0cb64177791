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
const built = () => existsSync(resolve(root, 'dist/index.js'));
if (!built()) {
  try {
    execSync('npm run build', { cwd: root, stdio: 'inherit' });
  } catch (error) {
    // tsc still emits on a type error: an install is not the place to fail for one (`npm run
    // check` is); it fails only when there is nothing to install.
    if (!built()) throw error;
    console.warn('prepare: the build reported errors; dist/ was written anyway (run `npm run check`)');
  }
}
