// tfjs-core registers no gradients and no chained ops when loaded in Node: both live only in
// extensionless ESM files (dist/register_all_gradients.js,
// dist/public/chained_ops/register_all_chained_ops.js) that plain Node and Jest cannot load.
// This script bundles those two modules with esbuild into one self-contained CommonJS file that
// src/backend.ts imports for its side effects. The bundled copy of tfjs-core's internals shares
// tfjs's global engine, kernel and gradient registries and tensor class, so registering through it
// registers for the `@tensorflow/tfjs-core` that users import.
// Regenerated only when missing or when tfjs-core's version changes.
import { build } from 'esbuild';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const require = createRequire(import.meta.url);
const corePkgPath = require.resolve('@tensorflow/tfjs-core/package.json');
const coreDir = dirname(corePkgPath);
const version = JSON.parse(readFileSync(corePkgPath, 'utf8')).version;
const outDir = join(here, '..', 'src', 'generated');
const outFile = join(outDir, 'tfjsRegistrations.cjs');
const stamp = `// tfjs-core ${version}`;

if (existsSync(outFile) && readFileSync(outFile, 'utf8').startsWith(stamp)) process.exit(0);
mkdirSync(outDir, { recursive: true });
const result = await build({
  stdin: {
    contents: [
      `import '${join(coreDir, 'dist/public/chained_ops/register_all_chained_ops.js')}';`,
      `import '${join(coreDir, 'dist/register_all_gradients.js')}';`,
    ].join('\n'),
    resolveDir: coreDir,
    loader: 'js',
  },
  bundle: true,
  format: 'cjs',
  platform: 'node',
  target: 'es2020',
  write: false,
  logLevel: 'warning',
  legalComments: 'none',
});
writeFileSync(
  outFile,
  `${stamp}: gradients and chained ops, bundled by scripts/bundleTfjsRegistrations.mjs. Do not edit.\n${result.outputFiles[0].text}`,
);
console.log(`wrote ${outFile} (${(result.outputFiles[0].text.length / 1024).toFixed(0)} KiB)`);
