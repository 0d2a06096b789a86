/**
 * Decision D1: the float64 core (everything under src/ except src/tf/ and the Node helpers in src/node/) imports no tfjs, directly
 * or through the tf layer, so `import '@descent/tensor'` never loads tfjs. (The consumer check,
 * scripts/consumerCheck.mjs, also verifies it at run time on the installed tarball.)
 */
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';

function sources(dir: string): string[] {
  return readdirSync(dir).flatMap((f) => {
    const p = join(dir, f);
    if (statSync(p).isDirectory()) return (f === 'tf' || f === 'node') && dir === __dirname ? [] : sources(p);
    return /\.(ts|mts|cts|js|mjs|cjs)$/.test(f) && !/\.test\.ts$/.test(f) ? [p] : [];
  });
}

describe('the float64 core imports no tfjs', () => {
  const files = sources(__dirname);
  it('finds the core sources', () => {
    expect(files.length).toBeGreaterThan(30);
  });
  it.each(files.map((f) => [relative(__dirname, f), f]))('%s', (_, file) => {
    const text = readFileSync(file, 'utf8');
    const specifiers = [...text.matchAll(/(?:import|export)[^'"]*?from\s*['"]([^'"]+)['"]|import\s*\(?\s*['"]([^'"]+)['"]/g)].map(
      (m) => m[1] ?? m[2],
    );
    for (const s of specifiers) {
      expect(s).not.toMatch(/^@tensorflow\//);
      expect(s).not.toMatch(/(^|\/)tf(\/|$)|^@descent\/tensor\/tf$|#tfjs-registrations/);
    }
  });
});
