// The README example convention (CONTRIBUTING.md, "README examples"), shared by the consumer
// check (scripts/consumerCheck.mjs) and its tests (scripts/readmeExamples.test.ts).
'use strict';

/** The first ```ts block of a README and the `// prints:` expectations in it, in order. */
function readmeExample(md) {
  const m = /```ts\n([\s\S]*?)```/.exec(md);
  if (!m) return null;
  const code = m[1];
  const expected = [];
  for (const line of code.split('\n')) {
    const p = /\/\/\s*prints:\s*(.*)$/.exec(line);
    if (p) expected.push(p[1].trim());
  }
  return { code, expected };
}

/**
 * Whether an output line matches an expectation: tokens separated by spaces; `*` matches any one
 * token, `...` any rest of the line, `~x` a number within 5% of x (or 1e-9 absolute), other tokens
 * exactly.
 */
function lineMatches(line, expected) {
  const a = line.trim().split(/\s+/);
  const b = expected.trim().split(/\s+/);
  for (let i = 0; i < b.length; i++) {
    if (b[i] === '...') return true;
    if (i >= a.length) return false;
    if (b[i] === '*') continue;
    if (b[i].startsWith('~') && b[i].length > 1) {
      const x = Number(b[i].slice(1));
      const v = Number(a[i].replace(/,$/, ''));
      if (!Number.isFinite(x) || !Number.isFinite(v) || Math.abs(v - x) > Math.max(0.05 * Math.abs(x), 1e-9)) return false;
      continue;
    }
    if (a[i] !== b[i]) return false;
  }
  return a.length === b.length;
}

/** Matches the expectations, in order, as a subsequence of the output lines; returns the first miss. */
function matchOutput(stdout, expected) {
  const lines = stdout.split('\n').filter((l) => l.trim() !== '');
  let j = 0;
  for (const e of expected) {
    while (j < lines.length && !lineMatches(lines[j], e)) j++;
    if (j === lines.length) return `expected a line matching "${e}"; got:\n    ${lines.join('\n    ')}`;
    j++;
  }
  return null;
}

/** An ESM example (imports first, top-level await allowed) as a CommonJS script. */
function toCjs(esm) {
  const head = [];
  let rest = esm;
  for (;;) {
    rest = rest.replace(/^\s+/, '');
    let m;
    if ((m = /^import\s*\{([^}]*)\}\s*from\s*(['"][^'"]+['"]);?/.exec(rest))) {
      const names = m[1].split(',').map((s) => s.trim()).filter(Boolean).map((s) => s.replace(/^type\s+/, '').replace(/\s+as\s+/, ': '));
      head.push(`const { ${names.join(', ')} } = require(${m[2]});`);
    } else if ((m = /^import\s+\*\s+as\s+(\w+)\s+from\s*(['"][^'"]+['"]);?/.exec(rest))) {
      head.push(`const ${m[1]} = require(${m[2]});`);
    } else if ((m = /^import\s*(['"][^'"]+['"]);?/.exec(rest))) {
      head.push(`require(${m[1]});`);
    } else if (/^import[\s{*]/.test(rest)) {
      throw new Error(`cannot convert to CJS: ${rest.split('\n')[0]}`);
    } else break;
    rest = rest.slice(m[0].length);
  }
  return `${head.join('\n')}\n(async () => {\n${rest}\n})().catch((e) => { console.error(e); process.exit(1); });\n`;
}

module.exports = { readmeExample, lineMatches, matchOutput, toCjs };
