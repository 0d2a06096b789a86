/**
 * The README example convention that the consumer check enforces on every package (see
 * CONTRIBUTING.md, "README examples"): what counts as the example, how `// prints:` lines match
 * the output, and how the example becomes a CommonJS script.
 */
const { readmeExample, lineMatches, matchOutput, toCjs } = require('./readmeExamples.cjs');

describe('readmeExample', () => {
  it('takes the first ```ts block and its // prints: lines, in order, at line end or alone', () => {
    const md = 'intro\n```js\nx\n```\n```ts\nconsole.log(1); // prints: 1\nconsole.log(2);\n// prints: 2 3\n```\n```ts\n// prints: no\n```\n';
    expect(readmeExample(md)).toEqual({ code: 'console.log(1); // prints: 1\nconsole.log(2);\n// prints: 2 3\n', expected: ['1', '2 3'] });
  });
  it('is null without a ts block', () => {
    expect(readmeExample('# no example\n```js\n1\n```')).toBeNull();
  });
});

describe('lineMatches', () => {
  it.each([
    ['exact tokens', 'ellipsoid: tolFun', 'ellipsoid: tolFun', true],
    ['a wrong token', 'stop: ftarget', 'stop: tolFun', false],
    ['* is any one token', 'loss 0.31, accuracy 0.9', 'loss * accuracy *', true],
    ['* does not match a missing token', 'loss', 'loss *', false],
    ['... is the rest of the line', 'state [ 1, 2 ]', 'state ...', true],
    ['~x within 5 %', 'MMD 0.0060', 'MMD ~0.0058', true],
    ['~x outside 5 %', 'MMD 0.0070', 'MMD ~0.0058', false],
    ['~x needs a number', 'MMD NaN', 'MMD ~0.0058', false],
    ['~x ignores a trailing comma', 'loss 0.300,', 'loss ~0.3', true],
    ['extra output tokens fail', '1 2 3', '1 2', false],
    ['spaces do not matter', '  a   b ', 'a b', true],
  ])('%s', (_name, line, expected, ok) => {
    expect(lineMatches(line, expected)).toBe(ok);
  });
});

describe('matchOutput', () => {
  it('finds the expectations in order, skipping unchecked lines', () => {
    expect(matchOutput('progress 1\nA 1\nprogress 2\nB 2\n', ['A 1', 'B ~2'])).toBeNull();
  });
  it('reports the first expectation it cannot find, with the output', () => {
    expect(matchOutput('B 2\nA 1\n', ['A 1', 'B 2'])).toMatch(/expected a line matching "B 2"/);
  });
});

describe('toCjs', () => {
  it('turns leading imports (also multi-line, aliased, namespace, bare) into requires and wraps the rest', () => {
    const cjs = toCjs("import { a, b as c } from 'x';\nimport {\n  d,\n  e,\n} from 'y';\nimport * as z from 'z';\nimport 'w';\nawait a();\n");
    expect(cjs).toContain("const { a, b: c } = require('x');");
    expect(cjs).toContain("const { d, e } = require('y');");
    expect(cjs).toContain("const z = require('z');");
    expect(cjs).toContain("require('w');");
    expect(cjs).toContain('(async () => {\nawait a();');
  });
  it('runs: top-level await works inside the wrapper', async () => {
    const lines: string[] = [];
    const fakeRequire = (m: string) => ({ v: `from ${m}` });
    const code = toCjs("import { v } from 'm';\nconst x = await Promise.resolve(2);\nout.push(v, String(x));\n");
    const body = code.replace('\n(async () => {', '\nreturn (async () => {');
    await new Function('require', 'out', 'process', body)(fakeRequire, lines, process);
    expect(lines).toEqual(['from m', '2']);
  });
  it('refuses imports it cannot convert', () => {
    expect(() => toCjs("import def from 'x';\n")).toThrow(/cannot convert to CJS/);
  });
});
