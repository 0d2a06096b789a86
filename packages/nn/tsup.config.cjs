module.exports = require('@descent/tsup-config')({
  entry: { index: 'src/index.ts', bench: 'bench/experiments.ts' },
});
