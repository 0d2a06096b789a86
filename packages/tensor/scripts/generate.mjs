#!/usr/bin/env node
// Every generation step of @descent/tensor, in order. Each step regenerates its output only
// when the content hash of its inputs changed, so running this is cheap when nothing changed.
// To add a step (e.g. building wasm kernels from a checked-in source), add a script here and
// list its output folder in .gitignore; turbo's `generate` task and the Jest preset's global
// setup run this file, so every build, typecheck and test (also one package's tests alone on a
// fresh clone) sees the generated files.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
// buildWasm.mjs: the BLAS kernels' wasm (helper K), once it lands
const steps = ['bundleTfjsRegistrations.mjs', 'buildWasm.mjs'].filter((s) => existsSync(join(here, s)));
for (const step of steps) {
  const r = spawnSync(process.execPath, [join(here, step), ...process.argv.slice(2)], { stdio: 'inherit' });
  if (r.status !== 0) process.exit(r.status ?? 1);
}
