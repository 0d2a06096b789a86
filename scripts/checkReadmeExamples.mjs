#!/usr/bin/env node
// Runs the first ```ts example of every package README (the "runnable example"), from inside
// the package so that `@descent/*` imports resolve to the workspace sources. Fails on a throw.
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

const root = new URL('..', import.meta.url).pathname;
const only = process.argv.slice(2);
let failures = 0;
for (const name of readdirSync(join(root, 'packages'))) {
  if (only.length > 0 && !only.includes(name)) continue;
  const dir = join(root, 'packages', name);
  const readme = join(dir, 'README.md');
  if (!existsSync(readme)) {
    console.error(`@descent/${name}: no README.md`);
    failures++;
    continue;
  }
  const m = /```ts\n([\s\S]*?)```/.exec(readFileSync(readme, 'utf8'));
  if (!m) {
    console.error(`@descent/${name}: README has no \`\`\`ts example`);
    failures++;
    continue;
  }
  const file = join(dir, `.readme-example-${process.pid}.mts`);
  writeFileSync(file, m[1]);
  const t0 = Date.now();
  const tsx = join(root, 'apps', 'bench', 'node_modules', '.bin', 'tsx');
  const r = spawnSync(tsx, ['--conditions=@descent/source', file], { cwd: dir, encoding: 'utf8', timeout: 180000 });
  rmSync(file, { force: true });
  if (r.status !== 0) {
    console.error(`@descent/${name}: README example failed (exit ${r.status ?? r.signal})\n${r.stdout}${r.stderr}`);
    failures++;
  } else console.error(`ok @descent/${name}: README example ran in ${((Date.now() - t0) / 1000).toFixed(1)} s`);
}
process.exit(failures === 0 ? 0 : 1);
