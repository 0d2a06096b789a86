#!/usr/bin/env node
// The two Quick-start entry points, runnable with only Node 20 and npm:
//   npm run bench [-- names... --full --seed N]   install from the lockfile, run the bench, write the report
//   npm test                                      install from the lockfile, build, typecheck, lint,
//                                                 check the published entry points, run the consumer
//                                                 check (packed tarballs, README examples in Node and
//                                                 Chromium), run every test;
//                                                 the last line is `tests: N passed, N failed`.
// pnpm is taken from package.json's packageManager field (through npx when not installed).
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const wanted = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')).packageManager.split('@')[1];

function sh(cmd, args, { allowFail = false } = {}) {
  console.error(`\n$ ${[cmd, ...args].join(' ')}`);
  const r = spawnSync(cmd, args, { cwd: root, stdio: 'inherit', env: { ...process.env, FORCE_COLOR: process.env.FORCE_COLOR ?? '0' } });
  const ok = r.status === 0;
  if (!ok && !allowFail) {
    console.error(`failed: ${cmd} ${args.join(' ')} (exit ${r.status ?? r.signal})`);
    process.exit(r.status || 1);
  }
  return ok;
}

function pnpmCommand() {
  const r = spawnSync('pnpm', ['--version'], { encoding: 'utf8' });
  if (r.status === 0 && r.stdout.trim() === wanted) return ['pnpm', []];
  return ['npx', ['-y', `pnpm@${wanted}`]];
}

const [pnpm, pre] = pnpmCommand();
const run = (args, opts) => sh(pnpm, [...pre, ...args], opts);
const [task, ...rest] = process.argv.slice(2);

if (task === 'bench') {
  run(['install', '--frozen-lockfile']);
  run(['--filter', '@descent/tensor', 'run', 'generate']);
  run(['--filter', '@descent/bench', 'run', 'bench', ...rest.filter((a) => a !== '--')]);
} else if (task === 'ci') {
  run(['install', '--frozen-lockfile']);
  const failures = [];
  const step = (name, args) => {
    if (!run(args, { allowFail: true })) failures.push(name);
  };
  step('build', ['exec', 'turbo', 'run', 'build', '--concurrency=2', '--output-logs=errors-only']);
  step('typecheck', ['exec', 'turbo', 'run', 'typecheck', '--concurrency=2', '--output-logs=errors-only']);
  step('lint', ['exec', 'turbo', 'run', 'lint', '--concurrency=2', '--output-logs=errors-only']);
  step('entry points', ['exec', 'node', 'scripts/checkEntryPoints.mjs']);
  // packs every package, installs the tarballs with npm outside the workspace, typechecks, runs
  // each README example in Node (ESM, CJS) and in headless Chromium
  step('consumer check', ['exec', 'node', 'scripts/consumerCheck.mjs']);
  // the bad-input fuzz suite (issue 11) on the built packages; prints its counts
  step('bad-input fuzz', ['exec', 'node', 'tooling/fuzz/run.mjs']);
  if (failures.length > 0) console.error(`\nfailed steps before the tests: ${failures.join(', ')}`);
  // the test runner prints the closing `tests: N passed, N failed` line
  const testsOk = sh('node', ['scripts/jestAll.mjs', ...(failures.length > 0 ? ['--prior-failures', String(failures.length)] : [])], { allowFail: true });
  process.exit(testsOk && failures.length === 0 ? 0 : 1);
} else {
  console.error('usage: node scripts/run.mjs bench [names...] [--full] [--seed N] | ci');
  process.exit(2);
}
