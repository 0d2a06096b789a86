#!/usr/bin/env node
// Bundles the fuzz suite (TypeScript sources + the testkit's damaged-blob generator) with esbuild
// and runs it on the built packages. Usage: node tooling/fuzz/run.mjs [--only tensor,stein-es]
// [--update] [--write-expected] [--list-failures] [--list-documented]. Run the build first (npm test does).
import { spawnSync } from 'node:child_process';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const require = createRequire(join(here, 'package.json'));
const esbuild = require('esbuild');
const out = join(here, '.out');
await esbuild.build({
  entryPoints: { main: join(here, 'src', 'main.ts'), worker: join(here, 'src', 'worker.ts') },
  outdir: out,
  outExtension: { '.js': '.mjs' },
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node20',
  logLevel: 'warning',
});
const r = spawnSync(process.execPath, [join(out, 'main.mjs'), ...process.argv.slice(2)], { stdio: 'inherit' });
process.exit(r.status ?? 1);
