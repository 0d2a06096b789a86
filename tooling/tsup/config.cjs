// Shared tsup configuration. Every publishable package builds its entry points to ESM (.js) and
// CJS (.cjs) with their declarations (.d.ts / .d.cts), no source maps (the output is readable,
// unminified JavaScript).
//
// Entry points are found by convention, the same list the exports map declares:
//   src/index.ts       -> dist/index.*        "."        (platform-neutral main entry)
//   src/tf/index.ts    -> dist/tf/index.*     "./tf"     (the part that needs tfjs)
//   src/node/index.ts  -> dist/node/index.*   "./node"   (Node-only loaders)
// Bench experiments (bench/) are never built: apps/bench runs them from source.
// With more than one entry, code splitting puts modules shared by the entries (e.g. a hook
// registry that ./tf fills) in one chunk, so each module exists once per format.
// tfjs packages and every dependency stay external; only relative sources are bundled.
const { existsSync } = require('node:fs');
const path = require('node:path');

/** The entry points of the package in `dir`, by convention. */
function entries(dir = process.cwd()) {
  const out = { index: 'src/index.ts' };
  for (const sub of ['tf', 'node']) {
    if (existsSync(path.join(dir, 'src', sub, 'index.ts'))) out[`${sub}/index`] = `src/${sub}/index.ts`;
  }
  return out;
}

/** @param {Partial<import('tsup').Options>} overrides */
function descentTsup(overrides = {}) {
  const entry = overrides.entry ?? entries();
  return {
    entry,
    format: ['esm', 'cjs'],
    dts: true,
    sourcemap: false,
    clean: true,
    target: 'es2022',
    platform: 'node',
    splitting: Object.keys(entry).length > 1,
    treeshake: true,
    outDir: 'dist',
    ...overrides,
  };
}

module.exports = descentTsup;
module.exports.entries = entries;
