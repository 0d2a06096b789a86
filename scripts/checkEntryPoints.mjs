#!/usr/bin/env node
// Checks the built entry points of every publishable package in the workspace: each load under
// both ESM (`import`) and CJS (`require`), expose the same names, and ship their type files;
// workspace-only entries (./bench) have only the @descent/source condition; arethetypeswrong
// (`attw --pack`) finds the types resolving under node16 CJS, node16 ESM and bundler resolution.
// (What users get from npm, installed from the packed tarballs, is checked by
// scripts/consumerCheck.mjs.)
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';

const root = new URL('..', import.meta.url).pathname;
let failures = 0;
for (const name of readdirSync(join(root, 'packages'))) {
  const dir = join(root, 'packages', name);
  const pkg = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8'));
  for (const [sub, entry] of Object.entries(pkg.exports)) {
    if (typeof entry === 'string') continue;
    if (!entry.import) {
      // workspace-only entries (e.g. ./bench) resolve under the @descent/source condition only
      if (Object.keys(entry).join() !== '@descent/source' || !existsSync(join(dir, entry['@descent/source']))) {
        console.error(`${pkg.name} ${sub}: an entry without import/require must only have an existing @descent/source path`);
        failures++;
      }
      continue;
    }
    const esm = join(dir, entry.import.default);
    const cjs = join(dir, entry.require.default);
    for (const f of [esm, cjs, join(dir, entry.import.types), join(dir, entry.require.types)]) {
      if (!existsSync(f)) {
        console.error(`${pkg.name} ${sub}: missing ${f}`);
        failures++;
      }
    }
    if (!existsSync(esm) || !existsSync(cjs)) continue;
    try {
      const m = await import(pathToFileURL(esm).href);
      const c = createRequire(join(dir, 'package.json'))(cjs);
      const a = Object.keys(m).filter((k) => k !== 'default').sort();
      const b = Object.keys(c).sort();
      if (a.length === 0 || a.join() !== b.join()) {
        console.error(`${pkg.name} ${sub}: ESM exports [${a.length}] and CJS exports [${b.length}] differ or are empty`);
        failures++;
      } else console.error(`ok ${pkg.name}${sub === '.' ? '' : sub.slice(1)}: ${a.length} exports (ESM = CJS)`);
    } catch (e) {
      console.error(`${pkg.name} ${sub}: failed to load: ${e.message}`);
      failures++;
    }
  }
}
const attw = join(root, 'node_modules', '.bin', 'attw');
for (const name of readdirSync(join(root, 'packages'))) {
  const dir = join(root, 'packages', name);
  const r = spawnSync(attw, ['--pack', dir, '--profile', 'node16', '--format', 'table-flipped'], { encoding: 'utf8' });
  if (r.status !== 0) {
    console.error(`attw @descent/${name}: problems found\n${r.stdout}${r.stderr}`);
    failures++;
  } else console.error(`ok attw @descent/${name}: types resolve under node16 (CJS and ESM) and bundler`);
}
process.exit(failures === 0 ? 0 : 1);
