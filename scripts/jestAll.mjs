#!/usr/bin/env node
// Runs every project's Jest suite in one Jest invocation (2 workers) and ends with the line
// `tests: N passed, N failed`. Each failed step before the tests (`--prior-failures K`) counts as a
// failed test, so a broken build can never end on "0 failed".
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, readdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const args = process.argv.slice(2);
const pi = args.indexOf('--prior-failures');
const prior = pi >= 0 ? Number(args.splice(pi, 2)[1]) : 0;

const projects = ['packages', 'apps', 'tooling']
  .flatMap((d) => readdirSync(join(root, d)).map((p) => join(root, d, p)))
  .concat([join(root, 'scripts')])
  .filter((p) => existsSync(join(p, 'jest.config.cjs')));
mkdirSync(join(root, '.jest-results'), { recursive: true });
const out = join(root, '.jest-results', 'results.json');
const jestPkg = createRequire(join(root, 'packages', 'tensor', 'package.json')).resolve('jest/package.json');
const jestBin = join(dirname(jestPkg), 'bin', 'jest.js');
const r = spawnSync(
  process.execPath,
  [jestBin, '--projects', ...projects, '--maxWorkers=2', '--json', '--outputFile', out, ...args],
  { cwd: root, stdio: 'inherit' },
);
let passed = 0;
let failed = prior;
try {
  const res = JSON.parse(readFileSync(out, 'utf8'));
  passed += res.numPassedTests;
  failed += res.numFailedTests + res.numRuntimeErrorTestSuites;
} catch {
  failed += 1; // jest itself failed before writing results
}
if (r.status !== 0 && failed === 0) failed = 1;
console.log(`tests: ${passed} passed, ${failed} failed`);
process.exit(failed === 0 ? 0 : 1);
