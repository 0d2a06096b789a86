// Tests of the fuzz suite's documented results (src/documented.test.ts): every entry of
// src/documented.ts cites files that exist, and the behaviours no owner's test pins are pinned here.
// The preset maps `@descent/<pkg>` to the sources; the tf subpath is mapped here because this
// private tooling package does not depend on @descent/tensor (it fuzzes the built packages).
const path = require('node:path');
const preset = require('../jest/preset.cjs')(__dirname);
module.exports = {
  ...preset,
  displayName: 'fuzz',
  moduleNameMapper: {
    '^@descent/tensor/tf$': path.resolve(__dirname, '../../packages/tensor/src/tf/index.ts'),
    ...preset.moduleNameMapper,
  },
};
