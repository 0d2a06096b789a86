// Shared tsup configuration: every publishable package builds src/index.ts to
// dist/index.js (ESM), dist/index.cjs (CJS), dist/index.d.ts and dist/index.d.cts.
// tfjs packages and every dependency stay external; only relative sources are bundled.
/** @param {Partial<import('tsup').Options>} overrides */
module.exports = function descentTsup(overrides = {}) {
  return {
    entry: ['src/index.ts'],
    format: ['esm', 'cjs'],
    dts: true,
    sourcemap: true,
    clean: true,
    target: 'es2022',
    platform: 'node',
    splitting: false,
    treeshake: true,
    outDir: 'dist',
    ...overrides,
  };
};
