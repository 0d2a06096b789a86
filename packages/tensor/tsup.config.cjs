// Three entries: the float64 core (dist/index.*), the tfjs layer (dist/tf/index.*) and Node
// helpers (dist/node/index.*). The tf and node entries import the core as the external package
// `@descent/tensor` (its own name), so the core code exists once and `instanceof Matrix` holds
// across the entries; no shared chunks.
// `#tfjs-registrations` stays external too: package.json "imports" sends Node to the generated
// bundle and browser bundlers to tfjs-core's own registration modules (no second tfjs engine).
const { cpSync, mkdirSync } = require('node:fs');

module.exports = require('@descent/tsup-config')({
  entry: { index: 'src/index.ts', 'tf/index': 'src/tf/index.ts', 'node/index': 'src/node/index.ts' },
  external: ['@descent/tensor', '#tfjs-registrations'],
  splitting: false,
  async onSuccess() {
    mkdirSync('dist/tf/registrations', { recursive: true });
    cpSync('src/tf/registrations/node.generated.cjs', 'dist/tf/registrations/node.cjs');
    cpSync('src/tf/registrations/browser.mjs', 'dist/tf/registrations/browser.mjs');
  },
});
