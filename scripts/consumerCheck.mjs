#!/usr/bin/env node
// The consumer check: what a user gets from npm, checked on every CI run (part of `npm test`).
//
// 1. Packs every publishable package (`pnpm pack`; packages/* without "private") and checks each
//    tarball holds the library only (dist/, README, LICENSE, CHANGELOG, declared data; no bench,
//    no sources, no tests) and that README links point at shipped files or at URLs.
// 2. Installs the tarballs with npm into a temporary project outside the workspace, with the tfjs
//    peers a user would add.
// 3. Typechecks each package's README example (and an import of every entry point) with
//    `--strict`, `skipLibCheck: false`, under `nodenext` and under `bundler` resolution.
// 4. Runs each README example as ESM and as CJS in Node and compares what it prints with what the
//    README says it prints (`// prints: ...` comments, see CONTRIBUTING.md); checks that main
//    entries that need no tfjs do not load it, and times the main entry's import.
// 5. Bundles each entry point (but `./node`) and each README example for the browser with esbuild
//    (`--platform=browser`: a Node built-in reached from a browser entry fails the build), and
//    runs the example in headless Chromium (Debian's /usr/bin/chromium through playwright-core),
//    comparing the printed lines again and checking that the tfjs backend is wasm where tfjs is used.
// Every package must have a README with a ```ts example that has at least one `// prints:` line:
// a package without one fails loudly.
//
// Usage: node scripts/consumerCheck.mjs [--keep] [--json out.json] [package-dir-names...]
// Prints one line per package and check; exits 1 if anything failed.
import { spawn, spawnSync } from 'node:child_process';
import { createServer } from 'node:http';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, extname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const requireRoot = createRequire(join(root, 'package.json'));
const argv = process.argv.slice(2);
const keep = argv.includes('--keep');
const ji = argv.indexOf('--json');
const jsonOut = ji >= 0 ? argv.splice(ji, 2)[1] : null;
const only = argv.filter((a) => !a.startsWith('--'));
const t0 = Date.now();
const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

// ---------------------------------------------------------------------------------------------
// helpers
const results = [];
let failures = 0;
function report(pkg, check, ok, detail = '') {
  results.push({ pkg, check, ok, detail });
  if (!ok) failures++;
  console.error(`${ok ? 'ok  ' : 'FAIL'} ${pkg} ${check}${detail ? `: ${detail}` : ''}`);
}
function run(cmd, args, opts = {}) {
  return spawnSync(cmd, args, { encoding: 'utf8', maxBuffer: 64 << 20, ...opts });
}
function runAsync(cmd, args, opts = {}) {
  return new Promise((res) => {
    const p = spawn(cmd, args, { ...opts });
    let stdout = '';
    let stderr = '';
    p.stdout.on('data', (d) => (stdout += d));
    p.stderr.on('data', (d) => (stderr += d));
    const timer = setTimeout(() => p.kill('SIGKILL'), opts.timeout ?? 300000);
    p.on('close', (status) => {
      clearTimeout(timer);
      res({ status, stdout, stderr });
    });
  });
}
async function pool(items, n, fn) {
  const out = new Array(items.length);
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(n, items.length) }, async () => {
      while (next < items.length) {
        const i = next++;
        out[i] = await fn(items[i], i);
      }
    }),
  );
  return out;
}
const catalog = (name) => {
  const m = new RegExp(`'${name.replace(/[/@.-]/g, '\\$&')}':\\s*([^\\s]+)`).exec(readFileSync(join(root, 'pnpm-workspace.yaml'), 'utf8'));
  if (!m) throw new Error(`no catalog entry for ${name}`);
  return m[1];
};

// the README example convention (CONTRIBUTING.md, "README examples"): scripts/readmeExamples.cjs
const { readmeExample, matchOutput, toCjs } = requireRoot('./scripts/readmeExamples.cjs');

// ---------------------------------------------------------------------------------------------
// 1. pack
await main();

async function main() {
  const packages = readdirSync(join(root, 'packages'))
    .filter((d) => existsSync(join(root, 'packages', d, 'package.json')))
    .map((d) => ({ dir: join(root, 'packages', d), short: d, pj: JSON.parse(readFileSync(join(root, 'packages', d, 'package.json'), 'utf8')) }))
    .filter((p) => !p.pj.private && (only.length === 0 || only.includes(p.short)));
  const work = mkdtempSync(join(tmpdir(), 'descent-consumer-'));
  const tgzDir = join(work, 'tgz');
  mkdirSync(tgzDir);
  console.error(`consumer check: ${packages.length} packages in ${work}`);

  await pool(packages, 2, async (p) => {
    const r = await runAsync('pnpm', ['pack', '--pack-destination', tgzDir], { cwd: p.dir });
    const tgz = r.stdout.trim().split('\n').pop().trim();
    if (r.status !== 0 || !existsSync(tgz)) {
      report(p.pj.name, 'pack', false, r.stderr.slice(-500));
      return;
    }
    p.tgz = tgz;
    p.tgzBytes = statSync(tgz).size;
    const files = run('tar', ['tzf', tgz]).stdout.split('\n').filter(Boolean).map((f) => f.replace(/^package\//, ''));
    p.files = files;
    const allowed = (f) =>
      /^(dist\/|README\.md$|LICENSE$|CHANGELOG\.md$|package\.json$)/.test(f) ||
      (p.pj.files ?? []).some((d) => d !== 'dist' && (f === d || f.startsWith(`${d}/`)));
    const bad = files.filter((f) => !allowed(f) || /(^|\/)bench[./]|\.test\.|\.map$|^src\//.test(f));
    report(p.pj.name, 'tarball holds the library only', bad.length === 0, bad.length ? `unexpected: ${bad.slice(0, 8).join(', ')}` : `${files.length} files, ${(p.tgzBytes / 1024).toFixed(0)} KiB`);
    // README links must ship or be absolute
    const md = existsSync(join(p.dir, 'README.md')) ? readFileSync(join(p.dir, 'README.md'), 'utf8') : '';
    const broken = [...md.matchAll(/\]\(([^)\s]+)\)/g)]
      .map((m) => m[1])
      .filter((l) => !/^(https?:|mailto:|#)/.test(l))
      .filter((l) => !files.includes(l.replace(/^\.\//, '').replace(/#.*$/, '')));
    report(p.pj.name, 'README links ship or are URLs', broken.length === 0, broken.join(', '));
  });
  const packed = packages.filter((p) => p.tgz);

  // -------------------------------------------------------------------------------------------
  // 2. install into a project outside the workspace
  const app = join(work, 'app');
  mkdirSync(app);
  const deps = Object.fromEntries(packed.map((p) => [p.pj.name, `file:${p.tgz}`]));
  const tfjs = {
    '@tensorflow/tfjs-core': catalog('@tensorflow/tfjs-core'),
    '@tensorflow/tfjs-backend-wasm': catalog('@tensorflow/tfjs-backend-wasm'),
    '@tensorflow/tfjs-backend-cpu': catalog('@tensorflow/tfjs-backend-cpu'),
  };
  writeFileSync(
    join(app, 'package.json'),
    JSON.stringify({ name: 'descent-consumer', private: true, type: 'module', dependencies: { ...deps, ...tfjs }, overrides: deps }, null, 2),
  );
  const ins = await runAsync('npm', ['install', '--no-audit', '--no-fund', '--prefer-offline', '--loglevel=error'], {
    cwd: app,
    env: { ...process.env, PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD: '1' },
    timeout: 600000,
  });
  if (ins.status !== 0) {
    report('all', 'npm install of the tarballs', false, ins.stderr.slice(-2000));
    return finish(work, packed);
  }
  report('all', 'npm install of the tarballs', true, `${((Date.now() - t0) / 1000).toFixed(0)} s so far`);

  // README examples, as TypeScript files in the app
  const esbuild = createRequire(join(root, 'packages', 'tensor', 'package.json'))('esbuild');
  for (const p of packed) {
    const md = existsSync(join(p.dir, 'README.md')) ? readFileSync(join(p.dir, 'README.md'), 'utf8') : null;
    const ex = md ? readmeExample(md) : null;
    if (!ex) {
      report(p.pj.name, 'README example', false, 'no README.md with a ```ts example: every package needs one');
      continue;
    }
    // a missing `// prints:` fails, but the example still runs (its output is in --json's results)
    if (ex.expected.length === 0) report(p.pj.name, 'README example', false, 'the example has no `// prints:` line (see CONTRIBUTING.md, README examples)');
    p.example = ex;
    p.entries = Object.keys(p.pj.exports ?? { '.': {} }).filter((k) => k !== './package.json' && !k.includes('*'));
    writeFileSync(join(app, `ex-${p.short}.ts`), ex.code);
    const imports = p.entries.map((e, i) => `import * as e${i} from '${p.pj.name}${e === '.' ? '' : e.slice(1)}';`);
    writeFileSync(join(app, `entries-${p.short}.ts`), `${imports.join('\n')}\nexport const n = [${p.entries.map((_, i) => `Object.keys(e${i}).length`).join(', ')}];\n`);
    const js = await esbuild.transform(ex.code, { loader: 'ts', format: 'esm', target: 'es2022' });
    writeFileSync(join(app, `ex-${p.short}.mjs`), js.code);
    try {
      writeFileSync(join(app, `ex-${p.short}.cjs`), toCjs(js.code));
    } catch (err) {
      writeFileSync(join(app, `ex-${p.short}.cjs`), `throw new Error(${JSON.stringify(err.message)});`);
    }
  }
  const withEx = packed.filter((p) => p.example);

  // -------------------------------------------------------------------------------------------
  // 3. strict types, nodenext and bundler
  const tsc = join(dirname(requireRoot.resolve('typescript/package.json')), 'bin', 'tsc');
  const typeJobs = [
    ['nodenext', { module: 'nodenext', moduleResolution: 'nodenext' }],
    ['bundler', { module: 'esnext', moduleResolution: 'bundler' }],
  ].map(async ([mode, opts]) => {
    const files = withEx.flatMap((p) => [`ex-${p.short}.ts`, `entries-${p.short}.ts`]);
    const cfg = join(app, `tsconfig.${mode}.json`);
    writeFileSync(cfg, JSON.stringify({ compilerOptions: { ...opts, strict: true, skipLibCheck: false, target: 'es2022', noEmit: true, lib: ['es2023', 'dom'] }, files }));
    const r = await runAsync(process.execPath, [tsc, '-p', cfg], { cwd: app, timeout: 600000 });
    const errs = r.stdout.split('\n').filter((l) => /error TS\d+/.test(l));
    for (const p of withEx) {
      const mine = errs.filter((l) => l.startsWith(`ex-${p.short}.ts`) || l.startsWith(`entries-${p.short}.ts`) || l.includes(`node_modules/${p.pj.name}/`));
      p[`types_${mode}`] = mine.length;
      report(p.pj.name, `strict types (${mode}, skipLibCheck false)`, mine.length === 0, mine.length ? `${mine.length} errors:\n    ${mine.slice(0, 6).join('\n    ')}` : '0 errors');
    }
    const other = errs.filter((l) => !withEx.some((p) => l.startsWith(`ex-${p.short}.ts`) || l.startsWith(`entries-${p.short}.ts`) || l.includes(`node_modules/${p.pj.name}/`)));
    if (other.length) report('all', `strict types (${mode}): errors outside our packages`, false, other.slice(0, 6).join('\n    '));
  });

  // -------------------------------------------------------------------------------------------
  // 4. Node: examples as ESM and CJS, main-entry import time and tfjs
  const nodeJobs = pool(withEx, 2, async (p) => {
    for (const fmt of ['mjs', 'cjs']) {
      const r = await runAsync(process.execPath, [`ex-${p.short}.${fmt}`], { cwd: app, timeout: 300000 });
      const miss = r.status === 0 ? matchOutput(r.stdout, p.example.expected) : `exit ${r.status}: ${r.stderr.slice(-1500)}`;
      if (fmt === 'mjs') p.stdout = r.stdout;
      report(p.pj.name, `README example in Node (${fmt === 'mjs' ? 'ESM' : 'CJS'})`, !miss, miss ?? `${p.example.expected.length} printed lines as the README says`);
    }
    const probe = `import { createRequire } from 'node:module'; const t0 = performance.now(); await import('${p.pj.name}'); const ms = performance.now() - t0; const tf = Object.keys(createRequire(import.meta.url).cache).some((k) => k.includes('@tensorflow')); console.log(JSON.stringify({ ms, tf }));`;
    const r = await runAsync(process.execPath, ['--input-type=module', '-e', probe], { cwd: app });
    try {
      const { ms, tf } = JSON.parse(r.stdout.trim().split('\n').pop());
      p.importMs = ms;
      p.loadsTfjs = tf;
      const mainNeedsTf = p.pj.peerDependencies?.['@tensorflow/tfjs-core'] && !p.pj.peerDependenciesMeta?.['@tensorflow/tfjs-core']?.optional;
      report(p.pj.name, 'main entry and tfjs', mainNeedsTf || !tf, `import ${ms.toFixed(0)} ms, tfjs ${tf ? 'loaded' : 'not loaded'}${!mainNeedsTf && tf ? ' (but tfjs is not a required peer)' : ''}`);
    } catch {
      report(p.pj.name, 'main entry import', false, r.stderr.slice(-1000));
    }
  });

  // -------------------------------------------------------------------------------------------
  // 5. browser: bundles, then Chromium
  const wasmDir = join(app, 'node_modules', '@tensorflow', 'tfjs-backend-wasm', 'dist');
  const site = join(work, 'site');
  mkdirSync(join(site, 'wasm'), { recursive: true });
  for (const f of readdirSync(wasmDir).filter((f) => f.endsWith('.wasm'))) copyFileSync(join(wasmDir, f), join(site, 'wasm', f));
  const bundles = [];
  for (const p of withEx) {
    for (const e of p.entries.filter((e) => e !== './node' && !e.endsWith('/node'))) {
      const spec = `${p.pj.name}${e === '.' ? '' : e.slice(1)}`;
      try {
        await esbuild.build({
          stdin: { contents: `import * as m from '${spec}'; console.log(Object.keys(m).length);`, resolveDir: app },
          bundle: true, platform: 'browser', format: 'esm', write: false, logLevel: 'silent',
        });
        report(p.pj.name, `browser bundle of ${spec}`, true);
      } catch (err) {
        report(p.pj.name, `browser bundle of ${spec}`, false, (err.errors ?? []).map((x) => x.text).slice(0, 4).join(' | ') || err.message);
      }
    }
    if (/from '[^']+\/node'/.test(p.example.code)) {
      report(p.pj.name, 'README example in Chromium', true, 'skipped: the example uses a Node-only entry');
      continue;
    }
    try {
      // the minified size of the example alone (what a user ships)
      const min = await esbuild.build({ entryPoints: [join(app, `ex-${p.short}.mjs`)], bundle: true, platform: 'browser', format: 'esm', minify: true, write: false, metafile: true, logLevel: 'silent' });
      p.bundleBytes = min.outputFiles[0].contents.length;
      p.usesTf = Object.keys(min.metafile.inputs).some((k) => k.includes('@tensorflow/tfjs-core'));
      p.engineCopies = (Buffer.from(min.outputFiles[0].contents).toString('utf8').match(/gradient function not found for/g) ?? []).length;
      // the page: set wasmPaths first where tfjs is used, run the example, report the backend
      const entry = join(app, `page-${p.short}.mjs`);
      writeFileSync(
        entry,
        p.usesTf
          ? `import { ready, backendInfo } from '@descent/tensor/tf';\ntry { await ready({ wasmPaths: '/wasm/' }); await import('./ex-${p.short}.mjs'); window.__backend = backendInfo().backend; window.__done = true; } catch (e) { window.__error = String(e && e.stack || e); }\n`
          : `try { await import('./ex-${p.short}.mjs'); window.__done = true; } catch (e) { window.__error = String(e && e.stack || e); }\n`,
      );
      await esbuild.build({ entryPoints: [entry], bundle: true, platform: 'browser', format: 'esm', minify: true, outfile: join(site, `${p.short}.js`), logLevel: 'silent' });
      writeFileSync(join(site, `${p.short}.html`), `<!doctype html><meta charset="utf-8"><script type="module" src="/${p.short}.js"></script>`);
      bundles.push(p);
      report(p.pj.name, 'README example browser bundle', p.engineCopies <= 1, `${(p.bundleBytes / 1024).toFixed(0)} KiB minified${p.usesTf ? `, tfjs engine copies: ${p.engineCopies}` : ', no tfjs'}`);
    } catch (err) {
      report(p.pj.name, 'README example browser bundle', false, (err.errors ?? []).map((x) => x.text).slice(0, 4).join(' | ') || err.message);
    }
  }
  await Promise.all([...typeJobs, nodeJobs]);
  await chromium(site, bundles);
  return finish(work, packed);
}

async function chromium(site, bundles) {
  if (bundles.length === 0) return;
  if (!existsSync(CHROMIUM)) {
    report('all', 'Chromium', false, `${CHROMIUM} not found: install Debian's chromium (apt-get install -y chromium); .ci/run does`);
    return;
  }
  const types = { '.html': 'text/html', '.js': 'text/javascript', '.wasm': 'application/wasm' };
  const server = createServer((req, res) => {
    const file = join(site, decodeURIComponent(new URL(req.url, 'http://x').pathname));
    if (!file.startsWith(site) || !existsSync(file) || statSync(file).isDirectory()) {
      res.writeHead(404).end();
      return;
    }
    res.writeHead(200, { 'content-type': types[extname(file)] ?? 'application/octet-stream' }).end(readFileSync(file));
  });
  await new Promise((r) => server.listen(0, '127.0.0.1', r));
  const port = server.address().port;
  const { chromium: pw } = requireRoot('playwright-core');
  const userDataDir = mkdtempSync(join(tmpdir(), 'descent-chromium-'));
  const context = await pw.launchPersistentContext(userDataDir, {
    executablePath: CHROMIUM,
    headless: true,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
  try {
    await pool(bundles, 2, async (p) => {
      const page = await context.newPage();
      const lines = [];
      page.on('console', (m) => {
        if (m.type() === 'log' || m.type() === 'info') lines.push(m.text());
      });
      page.on('pageerror', (e) => lines.push(`pageerror: ${e.message}`));
      const t = Date.now();
      try {
        await page.goto(`http://127.0.0.1:${port}/${p.short}.html`);
        await page.waitForFunction(() => window.__done || window.__error, null, { timeout: 240000 });
        const { error, backend } = await page.evaluate(() => ({ error: window.__error, backend: window.__backend }));
        const miss = error ? error : matchOutput(lines.join('\n'), p.example.expected);
        const backendOk = !p.usesTf || backend === 'wasm';
        p.chromium = !miss && backendOk ? `pass${p.usesTf ? ' (wasm)' : ''}` : 'FAIL';
        report(p.pj.name, 'README example in Chromium', !miss && backendOk, miss ?? (backendOk ? `${((Date.now() - t) / 1000).toFixed(1)} s${p.usesTf ? ', backend wasm' : ''}` : `backend ${backend}, expected wasm`));
      } catch (err) {
        p.chromium = 'FAIL';
        report(p.pj.name, 'README example in Chromium', false, `${err.message}\n    ${lines.slice(-10).join('\n    ')}`);
      } finally {
        await page.close();
      }
    });
  } finally {
    await context.close();
    server.close();
    rmSync(userDataDir, { recursive: true, force: true });
  }
}

function finish(work, packed) {
  const summary = packed.map((p) => ({
    name: p.pj.name,
    tarballBytes: p.tgzBytes,
    files: p.files?.length,
    strictErrorsNodenext: p.types_nodenext,
    strictErrorsBundler: p.types_bundler,
    importMs: p.importMs,
    loadsTfjs: p.loadsTfjs,
    browserBundleBytes: p.bundleBytes,
    tfjsEngineCopies: p.engineCopies,
    chromium: p.chromium,
    stdout: p.stdout,
  }));
  if (jsonOut) writeFileSync(jsonOut, JSON.stringify({ summary, results }, null, 2));
  if (!keep) rmSync(work, { recursive: true, force: true });
  else console.error(`kept ${work}`);
  console.error(`consumer check: ${results.length - failures} passed, ${failures} failed in ${((Date.now() - t0) / 1000).toFixed(0)} s`);
  process.exit(failures === 0 ? 0 : 1);
}
