// Two entries: the float64 core (dist/index.*) and the tfjs layer (dist/tf/index.*). The tf
// layer imports the core as the external package `@descent/tensor` (its own name), so the core
// code exists once and `instanceof Matrix` holds across both entries; no shared chunks.
// `#tfjs-registrations` stays external too: package.json "imports" sends Node to the generated
// bundle and browser bundlers to tfjs-core's own registration modules (no second tfjs engine).
const { cpSync, mkdirSync } = require('node:fs');

module.exports = require('@descent/tsup-config')({
  entry: { index: 'src/index.ts', 'tf/index': 'src/tf/index.ts' },
  external: ['@descent/tensor', '#tfjs-registrations'],
  async onSuccess() {
    mkdirSync('dist/tf/registrations', { recursive: true });
    cpSync('src/tf/registrations/node.generated.cjs', 'dist/tf/registrations/node.cjs');
    cpSync('src/tf/registrations/browser.mjs', 'dist/tf/registrations/browser.mjs');
  },
});
