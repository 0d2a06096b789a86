// tfjs-core registers no gradients and no chained ops when loaded in Node: both live only in
// extensionless ESM files (dist/register_all_gradients.js,
// dist/public/chained_ops/register_all_chained_ops.js) that plain Node and Jest cannot load.
// This script bundles those two modules with esbuild into one self-contained CommonJS file,
// src/tf/registrations/node.generated.cjs, which is what `#tfjs-registrations` resolves to in
// Node (see package.json "imports"; bundlers targeting browsers get src/tf/registrations/browser.mjs,
// which imports the same modules from tfjs-core and so adds no second copy of tfjs's engine).
// The bundled copy of tfjs-core's internals shares tfjs's global engine, kernel and gradient
// registries and tensor class, so registering through it registers for the
// `@tensorflow/tfjs-core` that users import.
//
// Regenerated when missing or when the content hash of its inputs changes: tfjs-core's version,
// this script's text and esbuild's version (the first line of the output records the hash).
// `node scripts/bundleTfjsRegistrations.mjs --check` exits 1 if the file is missing or stale.
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build, version as esbuildVersion } from 'esbuild';

const self = fileURLToPath(import.meta.url);
const require = createRequire(import.meta.url);
const corePkgPath = require.resolve('@tensorflow/tfjs-core/package.json');
const coreDir = dirname(corePkgPath);
const coreVersion = JSON.parse(readFileSync(corePkgPath, 'utf8')).version;
const outFile = join(dirname(self), '..', 'src', 'tf', 'registrations', 'node.generated.cjs');
const hash = createHash('sha256')
  .update(`tfjs-core ${coreVersion}\nesbuild ${esbuildVersion}\n`)
  .update(readFileSync(self))
  .digest('hex')
  .slice(0, 16);
const stamp = `// inputs ${hash} (tfjs-core ${coreVersion}, esbuild ${esbuildVersion}, generator text)`;

const fresh = existsSync(outFile) && readFileSync(outFile, 'utf8').startsWith(`${stamp}\n`);
if (process.argv.includes('--check')) {
  if (!fresh) console.error(`${outFile} is missing or stale: run node scripts/bundleTfjsRegistrations.mjs`);
  process.exit(fresh ? 0 : 1);
}
if (fresh) process.exit(0);
mkdirSync(dirname(outFile), { recursive: true });
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
  `${stamp}\n// gradients and chained ops of tfjs-core, bundled by scripts/bundleTfjsRegistrations.mjs. Do not edit.\n${result.outputFiles[0].text}`,
);
console.log(`wrote ${outFile} (${(result.outputFiles[0].text.length / 1024).toFixed(0)} KiB, inputs ${hash})`);
