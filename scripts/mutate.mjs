#!/usr/bin/env node
// Runs the StrykerJS CLI (`stryker run …`, arguments passed through) on this project's Node.
//
// StrykerJS 10 declares `engines.node >=22` and refuses, when its CLI module is imported, any older
// Node. The project supports Node >= 20.19 (package.json engines) and its machines and CI run
// Node 20. Stryker 10.1.1 uses no Node 22-only API (checked: no Promise.withResolvers,
// Array.fromAsync, Object.groupBy, Set methods, fs.glob, process.getBuiltinModule in its dist), and
// a full run on Node 20.20 completes; so this wrapper lifts only that import-time version check,
// leaving everything else to Stryker. On Node >= 22 it changes nothing.
const actual = Object.getOwnPropertyDescriptor(process, 'version');
const major = Number(process.versions.node.split('.')[0]);
if (major < 22) Object.defineProperty(process, 'version', { ...actual, value: 'v22.0.0' });
let StrykerCli;
try {
  ({ StrykerCli } = await import('@stryker-mutator/core'));
} finally {
  Object.defineProperty(process, 'version', actual);
}
process.title = 'stryker';
new StrykerCli(['node', 'stryker', 'run', ...process.argv.slice(2)]).run();
