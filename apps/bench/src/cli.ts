/**
 * descent bench: runs the registered experiments and writes a report.
 *
 *   pnpm bench                      every experiment, quick profile
 *   pnpm bench linalg stein-es      a chosen few
 *   pnpm bench --full --seed 7      the full profile, seeds 7, 8, ...
 *   pnpm bench --list               what is registered
 *   pnpm bench --out DIR            where to write (default apps/bench/results)
 *
 * Output: DIR/<experiment>.json (records + environment), DIR/<experiment>-<plot>.svg,
 * DIR/README.md (the report: one section per experiment with tables, verdicts and plots).
 */
import { execSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { type BenchProfile, type BenchRecord, Rng } from '@descent/tensor';
import { backendInfo, ready } from '@descent/tensor/tf';
import { ProgressBar } from './progress';
import { registry } from './registry';
import { type ExperimentResult, experimentSection } from './report/markdown';
import { plotSpec, renderSvg } from './report/plots';

interface Args {
  names: string[];
  profile: BenchProfile;
  seed: number;
  out: string;
  list: boolean;
}

function parseArgs(argv: string[]): Args {
  const here = dirname(fileURLToPath(import.meta.url));
  const args: Args = { names: [], profile: 'quick', seed: 0, out: resolve(here, '..', 'results'), list: false };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--full') args.profile = 'full';
    else if (a === '--quick') args.profile = 'quick';
    else if (a === '--list') args.list = true;
    else if (a === '--seed') {
      const v = Number(argv[++i]);
      if (!Number.isInteger(v) || v < 0) throw new Error(`--seed must be a non-negative integer, got ${argv[i]}`);
      args.seed = v;
    } else if (a === '--out') args.out = resolve(process.cwd(), argv[++i]);
    else if (a === '--') continue;
    else if (a.startsWith('-')) throw new Error(`unknown option ${a} (options: --full, --quick, --seed N, --out DIR, --list)`);
    else args.names.push(a);
  }
  return args;
}

function environment(): Record<string, string | number | boolean> {
  let git = 'unknown';
  try {
    git = execSync('git rev-parse --short HEAD', { stdio: ['ignore', 'pipe', 'ignore'] }).toString().trim();
  } catch {
    // not a checkout
  }
  const info = backendInfo();
  return {
    date: new Date().toISOString(),
    git,
    node: process.version,
    platform: `${os.platform()} ${os.arch()}`,
    cpu: os.cpus()[0]?.model ?? 'unknown',
    cores: os.cpus().length,
    memoryGiB: Math.round(os.totalmem() / 2 ** 30),
    backend: info.backend,
    simd: info.simd,
    tfjs: info.tfjsVersion,
  };
}

async function main(): Promise<void> {
  const args = parseArgs(process.argv.slice(2));
  if (args.list) {
    for (const { pkg, experiment } of registry) console.log(`${experiment.name.padEnd(20)} ${pkg}  ${experiment.claim}`);
    return;
  }
  const unknown = args.names.filter((n) => !registry.some((r) => r.experiment.name === n));
  if (unknown.length > 0) {
    throw new Error(`unknown experiment(s): ${unknown.join(', ')}; registered: ${registry.map((r) => r.experiment.name).join(', ')}`);
  }
  const chosen = args.names.length > 0 ? registry.filter((r) => args.names.includes(r.experiment.name)) : registry;
  await ready();
  const env = environment();
  mkdirSync(args.out, { recursive: true });
  console.error(`descent bench: ${chosen.length} experiment(s), ${args.profile} profile, base seed ${args.seed}, ${env.backend} backend (SIMD ${env.simd}), ${env.cpu} x${env.cores}`);
  const results: ExperimentResult[] = [];
  const started = Date.now();
  for (const [index, { pkg, experiment }] of chosen.entries()) {
    const nSeeds = experiment.seeds?.[args.profile] ?? (args.profile === 'quick' ? 3 : 10);
    const seeds = Array.from({ length: nSeeds }, (_, i) => args.seed + i);
    const bar = new ProgressBar(`[${index + 1}/${chosen.length}] ${experiment.name}`);
    const records: BenchRecord[] = [];
    const runTimesMs: number[] = [];
    const artifacts: string[] = [];
    let error: string | undefined;
    for (const [s, seed] of seeds.entries()) {
      await ready(); // an experiment may switch backends; each run starts on the default
      const t0 = performance.now();
      try {
        const out = await experiment.run({
          profile: args.profile,
          seed,
          rng: new Rng(seed).fold('bench', experiment.name),
          progress: (f, msg) => bar.update((s + Math.max(0, Math.min(1, f))) / seeds.length, `seed ${seed} ${msg ?? ''}`),
          log: (msg) => process.stderr.write(`  ${experiment.name}: ${msg}\n`),
          artifact: (name, content) => {
            const file = `${experiment.name}-seed${seed}-${name.replace(/[^a-zA-Z0-9._-]+/g, '_')}`;
            writeFileSync(join(args.out, file), content);
            artifacts.push(file);
          },
        });
        for (const r of out) records.push({ ...r, seed });
      } catch (e) {
        error = `seed ${seed}: ${(e as Error).stack ?? String(e)}`;
        runTimesMs.push(performance.now() - t0);
        break;
      }
      runTimesMs.push(performance.now() - t0);
      bar.update((s + 1) / seeds.length, `seed ${seed} done`);
    }
    let verdict: string;
    if (error) verdict = `ERROR (${error.split('\n')[0]})`;
    else {
      try {
        verdict = experiment.verdict ? experiment.verdict(records) : 'INFO (no verdict defined)';
      } catch (e) {
        verdict = `ERROR in verdict: ${(e as Error).message}`;
      }
    }
    const plots: string[] = [];
    for (const [i, p] of (experiment.plots ?? []).entries()) {
      const spec = plotSpec(records, p);
      if (!spec) continue;
      const file = `${experiment.name}-${i + 1}-${p.metric.replace(/[^a-zA-Z0-9]+/g, '_')}.svg`;
      try {
        writeFileSync(join(args.out, file), await renderSvg(spec));
        writeFileSync(join(args.out, file.replace(/\.svg$/, '.vl.json')), JSON.stringify(spec, null, 1));
        plots.push(file);
      } catch (e) {
        process.stderr.write(`  plot ${file} failed: ${(e as Error).message}\n`);
      }
    }
    const total = runTimesMs.reduce((a, b) => a + b, 0);
    bar.done(`${(total / 1000).toFixed(1)} s: ${verdict}`);
    const result: ExperimentResult = { pkg, experiment, records, seeds, runTimesMs, verdict, plots, artifacts, error };
    results.push(result);
    writeFileSync(
      join(args.out, `${experiment.name}.json`),
      JSON.stringify(
        { experiment: experiment.name, package: pkg, paper: experiment.paper, claim: experiment.claim, profile: args.profile, seeds, runTimesMs, verdict, environment: env, records },
        null,
        1,
      ),
    );
  }
  const header = [
    '# descent bench report',
    '',
    `Profile **${args.profile}**, base seed ${args.seed}, written ${env.date} at ${env.git}.`,
    `Machine: ${env.cpu} × ${env.cores} cores, ${env.memoryGiB} GiB, ${env.platform}, Node ${env.node}, tfjs ${env.tfjs} (${env.backend}, SIMD ${env.simd}, 1 thread).`,
    'Timings depend on the machine and on what else runs on it: compare ratios measured in one run, not absolute numbers across runs.',
    '',
    '| experiment | package | verdict | time (s) |',
    '|---|---|---|---|',
    ...results.map((r) => `| [${r.experiment.name}](#${r.experiment.name}) | ${r.pkg} | ${r.verdict.replace(/\|/g, '\\|')} | ${(r.runTimesMs.reduce((a, b) => a + b, 0) / 1000).toFixed(1)} |`),
    '',
  ];
  writeFileSync(join(args.out, 'README.md'), [...header, ...results.map(experimentSection)].join('\n'));
  console.error(`\nreport: ${join(args.out, 'README.md')} (${((Date.now() - started) / 1000).toFixed(1)} s)`);
  for (const r of results) console.log(`${r.experiment.name}: ${r.verdict}`);
  if (results.some((r) => r.error)) process.exitCode = 1;
}

main().catch((e) => {
  console.error((e as Error).message);
  process.exit(2);
});
