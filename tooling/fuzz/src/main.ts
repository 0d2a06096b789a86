/**
 * The bad-input fuzz suite (issue 11). Enumerates every export of every entry point of every
 * package (from the `exports` maps of packages/*, built files), fuzzes them in worker threads with
 * a time limit per call, and prints the counts. Fails when an outcome is neither a typed
 * DescentError naming the argument nor a documented result, unless it is on the expected-failures
 * list (tooling/fuzz/expected-failures.json; each entry: package, export, input, reason, owner).
 *
 *   node tooling/fuzz/run.mjs [--only pkg,pkg] [--update] [--write-expected] [--list-failures]
 * @module
 */
import { existsSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import type { Outcome } from './classify';
import type { ExportJob, RunStart, ToMain, ToWorker } from './protocol';

const here = dirname(fileURLToPath(import.meta.url));
const root = join(here, '..', '..', '..');
const expectedFile = join(root, 'tooling', 'fuzz', 'expected-failures.json');
const args = process.argv.slice(2);
const flag = (f: string) => args.includes(f);
const argValue = (f: string) => {
  const i = args.indexOf(f);
  return i >= 0 ? args[i + 1] : undefined;
};
const only = argValue('--only')?.split(',');
const CASE_MS = Number(argValue('--case-ms') ?? 8000);
const PROBE_MS = Number(argValue('--probe-ms') ?? 4000);
/**
 * The machine may be busy (2 cores shared by many jobs): a timed-out probe is re-run once with
 * this longer limit before it counts as "no baseline", and a timed-out case is re-run alone (no
 * other worker running) after the parallel pass with RETRY_MS before it counts as a failure.
 * A case already on the expected-failures list as a timeout (a known hang) is not re-run.
 */
const PROBE_RETRY_MS = Number(argValue('--probe-retry-ms') ?? Math.max(30000, 4 * PROBE_MS));
const RETRY_MS = Number(argValue('--retry-ms') ?? Math.max(30000, 4 * CASE_MS));
const REPLAY_MS = 300000;
const WORKERS = Number(argValue('--workers') ?? Math.min(2, availableParallelism()));

/** Who fixes what (for the expected-failures list). */
const OWNERS: Record<string, string> = {
  tensor: 'F2',
  'stein-es': 'F2',
  'robust-phase': 'P',
  'multi-index': 'P',
  'forks-okl': 'O',
  'automata-grad': 'A',
  nn: 'N',
  datasets: 'F1',
  stability: 'S',
  'feature-averaging': 'S',
  'sam-dynamics': 'SAM',
  lezo: 'LZ',
  'bilevel-sgld': 'BL',
};

/** Exports of @descent/tensor defined under src/linalg or src/blas belong to K (decision D4). */
function tensorOwnerOverrides(): Map<string, string> {
  const out = new Map<string, string>();
  for (const sub of ['linalg', 'blas']) {
    const dir = join(root, 'packages', 'tensor', 'src', sub);
    if (!existsSync(dir)) continue;
    for (const f of readdirSync(dir)) {
      if (!f.endsWith('.ts') || f.endsWith('.test.ts')) continue;
      const src = readFileSync(join(dir, f), 'utf8');
      for (const m of src.matchAll(/^export (?:async )?(?:function|class|const) (\w+)/gm)) out.set(m[1], 'K');
    }
  }
  return out;
}
const tensorOwners = tensorOwnerOverrides();
tensorOwners.set('fitPowerLaw', 'S'); // S's power-law fit (packages/tensor/src/powerLaw.ts)
const ownerOf = (pkg: string, exportName: string) =>
  (pkg === 'tensor' ? tensorOwners.get(exportName.split(/[.#:]/).pop() ?? exportName) : undefined) ??
  OWNERS[pkg] ??
  '?';

interface Expected {
  package: string;
  export: string;
  input: string;
  reason: string;
  owner: string;
}

interface Failure {
  package: string;
  export: string;
  input: string;
  detail: string;
}

/** The entry points users import: every `exports` key but `./package.json` and bench entries, built. */
function entries(all = false): { pkg: string; entry: string; file: string }[] {
  const out: { pkg: string; entry: string; file: string }[] = [];
  for (const pkg of readdirSync(join(root, 'packages')).sort()) {
    const dir = join(root, 'packages', pkg);
    const pj = join(dir, 'package.json');
    if (!existsSync(pj)) continue;
    if (only && !all && !only.includes(pkg)) continue;
    const meta = JSON.parse(readFileSync(pj, 'utf8'));
    if (meta.private) continue;
    for (const [entry, spec] of Object.entries(meta.exports ?? {})) {
      if (entry === './package.json' || entry.includes('bench') || entry.includes('*')) continue;
      const s = spec as { import?: { default?: string } | string; default?: string };
      const rel =
        typeof s === 'string'
          ? s
          : typeof s.import === 'string'
            ? s.import
            : (s.import?.default ?? s.default);
      if (!rel) continue;
      const file = join(dir, rel);
      if (!existsSync(file)) {
        console.error(`fuzz: ${pkg} ${entry}: ${rel} is missing — run the build first (npm test does)`);
        process.exit(2);
      }
      out.push({ pkg, entry, file });
    }
  }
  return out;
}

function spawn(): Worker {
  return new Worker(join(here, 'worker.mjs'), { stdout: true, stderr: true });
}

function once(w: Worker, type: ToMain['t']): Promise<ToMain> {
  return new Promise((resolve, reject) => {
    const on = (m: ToMain) => {
      if (m.t === type) {
        w.off('message', on);
        resolve(m);
      }
    };
    w.on('message', on);
    w.once('error', reject);
  });
}

interface Tally {
  tried: number;
  typed: number;
  documented: number;
  failures: Failure[];
  timeouts: number;
  restarts: number;
  harnessErrors: string[];
  /** Cases that timed out in the parallel pass, re-run alone afterwards (their export replayed). */
  retries: Retry[];
  /** Of those, how many finished when re-run alone. */
  retriedOk: number;
  /** Probes that finished only with the longer limit. */
  slowProbes: number;
}

/** A case that timed out in the parallel pass: re-run alone with RETRY_MS. */
interface Retry {
  /** The worker queue the case ran in, and its job's index there. */
  jobs: ExportJob[];
  job: ExportJob;
  jobIndex: number;
  c: number;
  label: string;
  timedOut: number[];
}

/**
 * The shared package's entry points, loaded by every worker before its jobs (tfjs started on the
 * cpu backend): a run with --only sees the same environment, hence the same baselines and labels,
 * as the full run in npm test.
 */
let preload: string[] = [];

/** Whether a case label is on the expected-failures list as a timeout (a known hang: not re-run). */
let knownTimeout: (job: ExportJob, label: string) => boolean = () => false;

/** Runs `jobs` on one worker, restarting it after a call exceeds its time limit. */
async function runQueue(jobs: ExportJob[], tally: Tally, onCase: () => void): Promise<void> {
  let start: RunStart = { job: 0, skipUntil: 0, timedOut: [] };
  /** Probes (job:event) that timed out once: the next run of that probe gets PROBE_RETRY_MS. */
  const slow = new Set<string>();
  while (start.job < jobs.length) {
    const w = spawn();
    w.stdout?.resume();
    w.stderr?.resume();
    await once(w, 'hello');
    type Call = {
      job: number;
      c: number;
      probe: boolean;
      replay: boolean;
      label: string;
      at: number;
      limit: number;
    };
    let current: Call | null = null;
    let lastDone = start.job - 1;
    // the call running when the worker was given up (captured then: later messages are ignored)
    let atStop: Call | null = null;
    let settled = false;
    const finished = new Promise<'finished' | 'timeout' | 'crash'>((res) => {
      const resolve = (how: 'finished' | 'timeout' | 'crash') => {
        if (settled) return;
        settled = true;
        atStop = current;
        res(how);
      };
      const timer = setInterval(() => {
        if (!current) return;
        if (performance.now() - current.at > current.limit) {
          clearInterval(timer);
          resolve('timeout');
        }
      }, 100);
      w.on('message', (m: ToMain) => {
        if (settled) return;
        if (m.t === 'begin') {
          const limit = !m.probe ? CASE_MS : slow.has(`${m.job}:${m.c}`) ? PROBE_RETRY_MS : PROBE_MS;
          current = {
            job: m.job,
            c: m.c,
            probe: m.probe,
            replay: m.replay === true,
            label: m.label,
            at: performance.now(),
            limit,
          };
        } else if (m.t === 'end') {
          if (current) slowest.push([performance.now() - current.at, `${jobs[m.job].pkg} ${m.label}`]);
          if (slowest.length > 200) slowest.sort((a, b) => b[0] - a[0]).splice(20);
          if (m.probe && slow.has(`${m.job}:${m.c}`)) tally.slowProbes++;
          current = null;
          if (!m.probe && !m.replay && m.outcome) record(jobs[m.job], m.label, m.outcome, tally);
          if (!m.probe && !m.replay) onCase();
        } else if (m.t === 'jobDone') {
          lastDone = m.job;
          if (flag('--verbose'))
            console.log(
              `fuzz: done ${jobs[m.job].pkg} ${jobs[m.job].name} at ${(performance.now() / 1000).toFixed(1)} s`,
            );
          if (flag('--coverage'))
            console.log(
              `coverage: ${jobs[m.job].pkg} ${jobs[m.job].name}: ${m.cases} inputs; baselines: ${m.baselines.join('; ') || 'none'}`,
            );
        } else if (m.t === 'log') console.log(`fuzz: ${m.text}`);
        else if (m.t === 'error')
          tally.harnessErrors.push(`${jobs[m.job].pkg} ${jobs[m.job].name}: ${m.detail}`);
        else if (m.t === 'finished') {
          clearInterval(timer);
          resolve('finished');
        }
      });
      w.on('error', (e) => {
        clearInterval(timer);
        tally.harnessErrors.push(`worker crashed: ${e?.stack ?? e}`);
        resolve('crash');
      });
      w.on('exit', () => {
        clearInterval(timer);
        resolve('crash');
      });
    });
    w.postMessage({ t: 'run', jobs, start, preload } satisfies ToWorker);
    const how = await finished;
    const cur = atStop as Call | null;
    if (flag('--verbose') && how !== 'finished')
      console.log(`fuzz: worker ${how} during ${cur ? cur.label : 'no call'}`);
    await w.terminate();
    if (how === 'finished') return;
    tally.restarts++;
    if (cur) {
      const earlier = cur.job === start.job ? start.timedOut : [];
      // a replayed probe may come before cases that already ran: never run a case twice
      const done = cur.job === start.job ? start.skipUntil : 0;
      const key = `${cur.job}:${cur.c}`;
      if (cur.probe && !slow.has(key)) {
        // maybe only a busy machine: replay from here with the longer limit for this probe
        slow.add(key);
        start = { job: cur.job, skipUntil: Math.max(done, cur.c), timedOut: earlier };
        continue;
      }
      if (!cur.probe && !cur.replay) {
        if (knownTimeout(jobs[cur.job], cur.label)) {
          tally.timeouts++;
          record(
            jobs[cur.job],
            cur.label,
            { kind: 'fail', detail: `timed out after ${CASE_MS} ms (a hang, or far too slow for a bad input)` },
            tally,
          );
          onCase();
        } else {
          tally.retries.push({
            jobs,
            job: jobs[cur.job],
            jobIndex: cur.job,
            c: cur.c,
            label: cur.label,
            timedOut: earlier,
          });
        }
      }
      start = {
        job: cur.job,
        skipUntil: Math.max(done, cur.c + 1),
        timedOut: [...earlier, cur.c],
      };
    } else {
      // a crash between calls: skip the export that was running
      start = { job: lastDone + 2, skipUntil: 0, timedOut: [] };
    }
  }
}

/**
 * Re-runs one case that timed out in the parallel pass, alone: a fresh worker replays the whole
 * export from its start (the same probes skipped as in the first run, so the same baseline and the
 * same earlier calls, e.g. on a shared instance), every call with RETRY_MS, and the outcome of the
 * case with the same label counts (the same event index preferred). A second timeout of that case
 * is a failure; any other call exceeding RETRY_MS ends the replay (the case counts as timed out).
 */
async function retryAlone(r: Retry, tally: Tally, onCase: () => void): Promise<void> {
  const w = spawn();
  w.stdout?.resume();
  w.stderr?.resume();
  await once(w, 'hello');
  const outcome = await new Promise<Outcome | null>((resolve) => {
    let candidate: Outcome | null = null;
    let current: { at: number; c: number } | null = null;
    const overall = performance.now();
    const timer = setInterval(() => {
      if (performance.now() - overall > REPLAY_MS) done(candidate);
      else if (current && performance.now() - current.at > RETRY_MS) done(candidate);
    }, 100);
    const done = (o: Outcome | null) => {
      clearInterval(timer);
      resolve(o);
    };
    w.on('message', (m: ToMain) => {
      if (m.t === 'begin') current = { at: performance.now(), c: m.c };
      else if (m.t === 'end') {
        current = null;
        if (!m.probe && m.label === r.label && m.outcome) {
          if (m.c === r.c) done(m.outcome);
          else candidate ??= m.outcome;
        }
      } else if (m.t === 'finished') done(candidate);
      else if (m.t === 'error') tally.harnessErrors.push(`${r.job.pkg} ${r.job.name}: ${m.detail}`);
    });
    w.on('error', () => done(candidate));
    w.on('exit', () => done(candidate));
    // the whole queue (job indices as in the first run; every entry loaded first), this job only
    w.postMessage({
      t: 'run',
      preload,
      jobs: r.jobs,
      start: { job: r.jobIndex, skipUntil: r.c, timedOut: r.timedOut, single: true },
    } satisfies ToWorker);
  });
  await w.terminate();
  if (outcome) {
    tally.retriedOk++;
    record(r.job, r.label, outcome, tally);
  } else {
    tally.timeouts++;
    record(
      r.job,
      r.label,
      {
        kind: 'fail',
        detail: `timed out after ${CASE_MS} ms, and again (limit ${RETRY_MS} ms) when its export was re-run alone (a hang, or far too slow for a bad input)`,
      },
      tally,
    );
  }
  onCase();
}

/** The export column of the expected-failures list: `name`, or `entry:name` for a sub-entry. */
function exportLabel(job: ExportJob): string {
  return job.entry === '.' ? job.name : `${job.entry.slice(2)}:${job.name}`;
}

function record(job: ExportJob, label: string, o: Outcome, tally: Tally): void {
  tally.tried++;
  if (o.kind === 'typed') tally.typed++;
  else if (o.kind === 'documented') {
    tally.documented++;
    if (flag('--list-documented')) console.log(`  documented: ${job.pkg} ${exportLabel(job)}: ${label} → ${o.detail}`);
  }
  else
    tally.failures.push({
      package: job.pkg,
      export: exportLabel(job),
      input: label,
      detail: o.detail,
    });
}

/** The slowest calls (ms, label), for --slowest. */
const slowest: [number, string][] = [];

const key = (p: string, e: string, i: string) => `${p}\u0000${e}\u0000${i}`;

async function main(): Promise<void> {
  const t0 = performance.now();
  const es = entries();
  preload = entries(true)
    .filter((e) => e.pkg === 'tensor')
    .map((e) => e.file);
  const lister = spawn();
  lister.stdout?.resume();
  lister.stderr?.resume();
  await once(lister, 'hello');
  lister.postMessage({ t: 'list', entries: es } satisfies ToWorker);
  const listed = (await once(lister, 'listed')) as Extract<ToMain, { t: 'listed' }>;
  await lister.terminate();
  const jobs = listed.jobs;
  const classes = jobs.filter((j) => j.kind === 'class').length;
  console.log(
    `fuzz: ${es.length} entry points of ${new Set(es.map((e) => e.pkg)).size} packages, ${jobs.length} exports to fuzz (${jobs.length - classes} functions, ${classes} classes with their methods and fromJSON), ${listed.constants} constants and error classes not called; ${WORKERS} workers, ${CASE_MS} ms per call`,
  );
  const queues: ExportJob[][] = Array.from({ length: WORKERS }, () => []);
  jobs.forEach((j, i) => {
    queues[i % WORKERS].push(j);
  });
  const tally: Tally = {
    tried: 0,
    typed: 0,
    documented: 0,
    failures: [],
    timeouts: 0,
    restarts: 0,
    harnessErrors: [],
    retries: [],
    retriedOk: 0,
    slowProbes: 0,
  };
  let done = 0;
  const tick = () => {
    done++;
    if (process.stderr.isTTY && done % 500 === 0) process.stderr.write(`\rfuzz: ${done} inputs…`);
  };
  const expected: Expected[] = existsSync(expectedFile) ? JSON.parse(readFileSync(expectedFile, 'utf8')) : [];
  const expectedKeys = new Map(expected.map((e) => [key(e.package, e.export, e.input), e]));
  knownTimeout = (job, label) =>
    /^timed out/.test(expectedKeys.get(key(job.pkg, exportLabel(job), label))?.reason ?? '');
  await Promise.all(queues.map((q) => runQueue(q, tally, tick)));
  // timeouts of the parallel pass, re-run one at a time (nothing else of ours running)
  for (const r of tally.retries) await retryAlone(r, tally, tick);
  if (process.stderr.isTTY) process.stderr.write('\r');
  const failedKeys = new Set(tally.failures.map((f) => key(f.package, f.export, f.input)));
  const fresh = tally.failures.filter((f) => !expectedKeys.has(key(f.package, f.export, f.input)));
  const ran = new Set(es.map((e) => e.pkg));
  const fixed = expected.filter(
    (e) => ran.has(e.package) && !failedKeys.has(key(e.package, e.export, e.input)),
  );

  if (flag('--write-expected') || flag('--update')) {
    const keep = flag('--write-expected')
      ? tally.failures.map(
          (f) =>
            expectedKeys.get(key(f.package, f.export, f.input)) ?? {
              package: f.package,
              export: f.export,
              input: f.input,
              reason: f.detail,
              owner: ownerOf(f.package, f.export),
            },
        )
      : expected.filter((e) => !ran.has(e.package) || failedKeys.has(key(e.package, e.export, e.input)));
    keep.sort((a, b) =>
      a.owner + a.package + a.export + a.input < b.owner + b.package + b.export + b.input ? -1 : 1,
    );
    writeFileSync(expectedFile, `${JSON.stringify(keep, null, 1)}\n`);
    console.log(`fuzz: wrote ${keep.length} expected failures to ${expectedFile}`);
  }

  const byOwner = new Map<string, number>();
  for (const f of tally.failures) {
    const o = ownerOf(f.package, f.export);
    byOwner.set(o, (byOwner.get(o) ?? 0) + 1);
  }
  const s = ((performance.now() - t0) / 1000).toFixed(0);
  console.log(
    `fuzz: inputs tried ${tally.tried}; typed errors ${tally.typed}; documented results ${tally.documented}; everything else ${tally.failures.length} (${tally.failures.length - fresh.length} on the expected-failures list${byOwner.size ? `: ${[...byOwner].map(([o, n]) => `${o} ${n}`).join(', ')}` : ''}; ${fresh.length} new) — ${tally.timeouts} timeouts (${tally.retries.length} re-run alone with ${RETRY_MS} ms, ${tally.retriedOk} of them finished; ${tally.slowProbes} slow probes), ${tally.restarts} worker restarts, ${s} s`,
  );
  if (flag('--list-failures'))
    for (const f of tally.failures) console.log(`  ${f.package} ${f.export}: ${f.input} → ${f.detail}`);
  if (fixed.length > 0 && !flag('--update') && !flag('--write-expected')) {
    console.log(
      `fuzz: ${fixed.length} expected failures pass now — run \`node tooling/fuzz/run.mjs --update\` to drop them from the list:`,
    );
    for (const e of fixed.slice(0, 10)) console.log(`  fixed: ${e.package} ${e.export}: ${e.input}`);
  }
  if (flag('--slowest')) {
    slowest.sort((a, b) => b[0] - a[0]);
    for (const [ms, l] of slowest.slice(0, 15)) console.log(`  slow: ${ms.toFixed(0)} ms ${l}`);
  }
  for (const h of tally.harnessErrors) console.log(`fuzz: harness error: ${h}`);
  if (fresh.length > 0 && !flag('--write-expected')) {
    console.log('fuzz: new failures (not on the expected-failures list):');
    for (const f of fresh.slice(0, 60)) console.log(`  ${f.package} ${f.export}: ${f.input} → ${f.detail}`);
    if (fresh.length > 60) console.log(`  … and ${fresh.length - 60} more`);
  }
  const ok = (fresh.length === 0 || flag('--write-expected')) && tally.harnessErrors.length === 0;
  process.exit(ok ? 0 : 1);
}

main().catch((e) => {
  console.error(e);
  process.exit(2);
});
