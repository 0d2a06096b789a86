/**
 * The worker side: loads the built entry points, lists their exports, and for each export
 * finds a baseline call (a combination of plausible arguments that works), then replaces one
 * argument (or one option, or one field of a saved blob) at a time by bad values and judges
 * each call. Every call is announced to the main thread first, which kills and restarts the
 * worker when a call exceeds its time limit.
 * @module
 */
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { pathToFileURL } from 'node:url';
import { parentPort } from 'node:worker_threads';
import { damagedBlobs } from '../../testkit/src/damage';
import { type Outcome, disposeAll, findNonFinite, isDescentError, judgeError } from './classify';
import { documentedFor } from './documented';
import { isClass, methodNames, paramCount, paramNames } from './params';
import type { ExportJob, ToMain, ToWorker } from './protocol';
import {
  BAD,
  BAD_OPTION,
  BAD_SIZE,
  type Env,
  GOOD,
  SIZE_OPTION,
  type ValueSpec,
  byName,
  kindOf,
} from './values';

const port = parentPort;
if (!port) throw new Error('worker.ts runs in a worker thread');
const post = (m: ToMain) => port.postMessage(m);

process.on('unhandledRejection', () => {
  // a fuzzed async function may reject after its case ended; the case was judged already
});

const env: Env = { created: [] };
const modules = new Map<string, Record<string, unknown>>();

async function load(file: string): Promise<Record<string, unknown>> {
  let m = modules.get(file);
  if (!m) {
    m = (await import(pathToFileURL(file).href)) as Record<string, unknown>;
    modules.set(file, m);
    if (!env.tf && m.tf && typeof (m.tf as { memory?: unknown }).memory === 'function') env.tf = m.tf;
    if (!env.Rng && typeof m.Rng === 'function') env.Rng = m.Rng as Env['Rng'];
    if (typeof m.ready === 'function' && env.tf && !envReady) {
      envReady = true;
      try {
        await (m.ready as (o?: unknown) => Promise<unknown>)({ backend: 'cpu' });
      } catch {
        // the fuzz cases will see the same failure
      }
    }
  }
  return m;
}
let envReady = false;

/**
 * The private and protected members of each class, from the declaration files next to the built
 * entry (TypeScript keeps `private x;` there): they are not public API and are not fuzzed.
 */
const nonPublic = new Map<string, Set<string>>();
const scannedDirs = new Set<string>();
function nonPublicMembers(file: string, className: string): Set<string> {
  const dir = dirname(file);
  if (!scannedDirs.has(dir)) {
    scannedDirs.add(dir);
    for (const f of existsSync(dir) ? readdirSync(dir) : []) {
      if (!f.endsWith('.d.ts')) continue;
      const src = readFileSync(`${dir}/${f}`, 'utf8');
      for (const m of src.matchAll(/^(?:export )?declare (?:abstract )?class (\w+)[^{]*\{([\s\S]*?)^\}/gm)) {
        const set = nonPublic.get(m[1]) ?? new Set<string>();
        for (const p of m[2].matchAll(
          /^\s+(?:private|protected) (?:static )?(?:readonly )?(?:abstract )?(\w+)/gm,
        ))
          set.add(p[1]);
        nonPublic.set(m[1], set);
      }
    }
  }
  return nonPublic.get(className) ?? new Set();
}

/** Whether a class is an Error subclass (error classes carry messages; they are not fuzzed). */
function isErrorClass(C: unknown): boolean {
  return typeof C === 'function' && (C as { prototype?: unknown }).prototype instanceof Error;
}

/** The value of an export path `name` or `ns.member`. */
function lookup(m: Record<string, unknown>, name: string): unknown {
  const [a, b] = name.split('.');
  const v = m[a];
  return b === undefined ? v : (v as Record<string, unknown>)[b];
}

/** Lists the callable exports of the entries. */
async function list(
  entries: { pkg: string; entry: string; file: string }[],
): Promise<{ jobs: ExportJob[]; constants: number }> {
  const jobs: ExportJob[] = [];
  let constants = 0;
  for (const e of entries) {
    const m = await load(e.file);
    for (const name of Object.keys(m).sort()) {
      if (name === 'default') continue;
      const v = m[name];
      if (name === 'tf' && v && typeof v === 'object') {
        constants++; // the tfjs namespace re-export: not ours to fuzz
        continue;
      }
      if (typeof v === 'function' && isErrorClass(v)) constants++;
      else if (typeof v === 'function') jobs.push({ ...e, name, kind: isClass(v) ? 'class' : 'function' });
      else if (
        v !== null &&
        typeof v === 'object' &&
        Object.getPrototypeOf(v) === Object.prototype &&
        Object.values(v).some((x) => typeof x === 'function')
      ) {
        for (const [k, f] of Object.entries(v))
          if (typeof f === 'function') jobs.push({ ...e, name: `${name}.${k}`, kind: 'function' });
      } else constants++;
    }
  }
  return { jobs, constants };
}

// ------------------------------------------------------------------ running one call

interface Prepared {
  self?: unknown;
  args: unknown[];
}

interface CallSpec {
  prepare(): Prepared;
  invoke(p: Prepared): unknown;
  /** Constructors return the instance: its fields are not scanned for NaN (e.g. `fBest = Infinity` is a valid state). */
  scanResult: boolean;
}

interface CallResult {
  ok: boolean;
  value?: unknown;
  error?: unknown;
  ms: number;
  nonFinite: string | null;
  leaked: number;
}

function tensorCount(): number {
  try {
    return env.tf ? (env.tf.memory().numTensors as number) : 0;
  } catch {
    return 0;
  }
}

function cleanup(p: Prepared | null): void {
  disposeAll(env.created as never);
  env.created = [];
  const self = p?.self as { dispose?: () => void } | undefined;
  if (self && typeof self.dispose === 'function') {
    try {
      self.dispose();
    } catch {
      // not ours
    }
  }
}

async function runOnce(spec: CallSpec): Promise<CallResult> {
  let p: Prepared | null = null;
  const t0 = performance.now();
  try {
    p = spec.prepare();
  } catch (error) {
    cleanup(p);
    return { ok: false, error, ms: 0, nonFinite: null, leaked: 0 };
  }
  const before = tensorCount();
  let ok = true;
  let value: unknown;
  let error: unknown;
  try {
    value = spec.invoke(p);
    if (value instanceof Promise) value = await value;
  } catch (e) {
    ok = false;
    error = e;
  }
  const tensors: never[] = [];
  const nonFinite = ok ? findNonFinite(spec.scanResult ? value : undefined, tensors) : null;
  if (ok && !spec.scanResult) findNonFinite(value, tensors); // collect the tensors of an instance anyway
  disposeAll(tensors);
  const leaked = tensorCount() - before;
  const ms = performance.now() - t0;
  cleanup(p);
  return { ok, value, error, ms, nonFinite, leaked };
}

/** Runs a call; a leak is confirmed by a second run (a first call may fill a cache). */
async function runCall(spec: CallSpec): Promise<CallResult> {
  const r = await runOnce(spec);
  if (r.leaked > 0) {
    const again = await runOnce(spec);
    return { ...r, leaked: again.leaked };
  }
  return r;
}

// ------------------------------------------------------------------ one export

interface Resume {
  skipUntil: number;
  timedOut: number[];
}

class ExportFuzzer {
  private ev = 0;
  constructor(
    private readonly job: ExportJob,
    private readonly index: number,
    private readonly resume: Resume | null,
  ) {}

  /** Counted cases, and what had a baseline (for --coverage). */
  cases = 0;
  readonly baselines: string[] = [];

  /** A probe: a call that looks for a baseline; never counted. Returns the result or null. */
  async probe(label: string, spec: CallSpec): Promise<CallResult | null> {
    const idx = this.ev++;
    if (this.resume?.timedOut.includes(idx)) return null;
    post({ t: 'begin', job: this.index, c: idx, probe: true, label });
    const r = await runCall(spec);
    post({ t: 'end', job: this.index, c: idx, probe: true, label });
    if (process.env.FUZZ_DEBUG && this.job.name === process.env.FUZZ_DEBUG) {
      const how = r.ok
        ? `ok in ${r.ms.toFixed(0)} ms${r.nonFinite ? `, non-finite ${r.nonFinite}` : ''}${r.leaked ? `, leaked ${r.leaked}` : ''}`
        : judgeError(r.error).detail;
      post({ t: 'log', text: `probe ${label}: ${how}` });
    }
    return r;
  }

  /** A counted case: a bad input that must give a typed error or a documented result. */
  async case(
    label: string,
    spec: CallSpec,
    accepted: (r: CallResult) => Outcome | null = () => null,
  ): Promise<void> {
    const idx = this.ev++;
    // after a restart: a case that timed out is skipped; the cases before the restart point run
    // again unrecorded (a replay), so that shared state (an instance the methods mutate) and the
    // later baselines are as in an uninterrupted run
    if (this.resume?.timedOut.includes(idx)) return;
    const replay = this.resume !== null && idx < this.resume.skipUntil;
    if (!replay) this.cases++;
    post({ t: 'begin', job: this.index, c: idx, probe: false, label, replay });
    calls.n = 0;
    const r = await runCall(spec);
    let outcome: Outcome;
    if (!r.ok) outcome = judgeError(r.error);
    else if (r.nonFinite) outcome = { kind: 'fail', detail: `silent non-finite result: ${r.nonFinite}` };
    else
      outcome = accepted(r) ?? { kind: 'fail', detail: `bad input accepted (returned ${summary(r.value)})` };
    if (outcome.kind !== 'fail' && r.leaked > 0)
      outcome = { kind: 'fail', detail: `leaked ${r.leaked} tensor(s); ${outcome.detail}` };
    if (outcome.kind === 'fail') {
      const doc = documentedFor(this.job.pkg, this.job.name, label, outcome.detail);
      if (doc) outcome = { kind: 'documented', detail: `${doc} [outcome: ${outcome.detail}]` };
    }
    post({ t: 'end', job: this.index, c: idx, probe: false, label, outcome, replay });
  }
}

function summary(v: unknown): string {
  if (v === undefined) return 'undefined';
  if (v === null) return 'null';
  if (typeof v === 'number' || typeof v === 'boolean') return String(v);
  if (typeof v === 'string') return `string ${JSON.stringify(v.slice(0, 40))}`;
  if (typeof v === 'function') return 'a function';
  if (Array.isArray(v)) return `an array of length ${v.length}`;
  if (ArrayBuffer.isView(v))
    return `${v.constructor.name} of length ${(v as unknown as ArrayLike<number>).length}`;
  return (v as object).constructor?.name ?? 'an object';
}

/** Derived candidates for a method's arguments: what the instance's zero-argument methods return. */
type Candidate = ValueSpec & { derived?: (self: unknown) => unknown };

const sumSqOf = (x: unknown): number => {
  let s = 0;
  if (typeof x === 'number') return x * x;
  const v = x as ArrayLike<unknown>;
  if (v != null && typeof v.length === 'number') for (let i = 0; i < v.length; i++) s += sumSqOf(v[i]);
  return s;
};

/** Combinations of candidate indices for `k` positions, by increasing largest index, at most `max`. */
function* combos(k: number, n: number, max: number): Generator<number[]> {
  let count = 0;
  if (k === 0) {
    yield [];
    return;
  }
  for (let top = 0; top < n; top++) {
    // all tuples with max index exactly `top`
    const rec = function* (pos: number, acc: number[], hasTop: boolean): Generator<number[]> {
      if (pos === k) {
        if (hasTop) yield acc.slice();
        return;
      }
      for (let i = 0; i <= top; i++) {
        acc.push(i);
        yield* rec(pos + 1, acc, hasTop || i === top);
        acc.pop();
      }
    };
    for (const c of rec(0, [], false)) {
      yield c;
      if (++count >= max) return;
    }
  }
}

const MAX_PROBES = 50;
const PROBE_MS = 300;

/** Candidate values for an option key, by what its name suggests. */
function candidatesForKey(key: string, pool: Candidate[]): Candidate[] {
  const plain = pool.filter((c) => c.id !== 'undefined');
  const first = (re: RegExp) => [
    ...plain.filter((c) => re.test(c.id)),
    ...plain.filter((c) => !re.test(c.id)),
  ];
  if (SIZE_OPTION.test(key)) return first(/^(2|3|1)$/);
  if (/^(x0|mean0|means0|init|points|X|x|y|data|center|lower|upper|weights)/.test(key))
    return first(/\[|rows|Float64/);
  if (/^(f|fn|objective|loss|callback|negLogP|logP|score|gradLogP|dynamics|model)$/.test(key))
    return first(/f\(x\)/);
  return plain;
}

/** The option key a typed error is about (`options.sigma0` → `sigma0`), if it is a simple key. */
function keyOf(e: unknown): string | null {
  if (!isDescentError(e) || typeof e.argument !== 'string') return null;
  const parts = e.argument.split('.');
  const last = parts[parts.length - 1];
  if (parts.length > 2 || !/^[A-Za-z_$][\w$]*$/.test(last)) return null;
  return last;
}

/**
 * Looks for a baseline call. First greedily: start from the first (name-hinted) candidate at every
 * position and, while the call fails with a typed error, change the argument the error names
 * (a parameter, by its declared name, or an option of an options object, completed key by key);
 * then, with what is left of the budget, through combinations of candidates.
 */
async function findBaseline(
  fz: ExportFuzzer,
  what: string,
  k: number,
  pool: Candidate[],
  make: (args: unknown[]) => CallSpec,
  self: ((c: Candidate, s: unknown) => unknown) | null,
  names: (string | undefined)[] = [],
): Promise<Baseline | null> {
  let tries = 0;
  const pools = Array.from({ length: k }, (_, i) => byName(names[i], pool));
  const build = (cands: Candidate[], objs: Map<number, Record<string, Candidate>>) => (s: unknown) =>
    cands.map((c, i) => {
      const obj = objs.get(i);
      if (obj) {
        const o: Record<string, unknown> = {};
        for (const [key, kc] of Object.entries(obj)) o[key] = self ? self(kc, s) : kc.make(env);
        return o;
      }
      return self ? self(c, s) : c.make(env);
    });
  const label = (cands: Candidate[], objs: Map<number, Record<string, Candidate>>) =>
    `${what}(${cands.map((c, i) => (objs.has(i) ? `{${Object.keys(objs.get(i) ?? {}).join(', ')}}` : c.id)).join(', ')})`;
  const known = new Map<string, string[]>();
  /** Sets up the options objects of a candidate tuple: small budgets for the options the function lists. */
  const setUp = async (cands: Candidate[]) => {
    const objs = new Map<number, Record<string, Candidate>>();
    cands.forEach((c, i) => {
      if (c.id === '{}') objs.set(i, {});
    });
    for (const [i, obj] of objs) {
      const cacheKey = `${i}:${cands.map((c) => c.id).join('|')}`;
      let listed = known.get(cacheKey);
      if (!listed) {
        tries++;
        listed = await knownOptions(
          fz,
          what,
          make,
          build(
            cands,
            new Map([...objs].map(([j, o]) => [j, j === i ? { ...o, __fuzzUnknownOption__: ONE } : o])),
          ),
        );
        known.set(cacheKey, listed);
      }
      for (const key of listed) {
        const small = SMALL_BUDGETS[key];
        if (small !== undefined) obj[key] = { id: String(small), make: () => small };
      }
      known.set(`obj${i}`, listed);
    }
    return objs;
  };
  const succeeded = (r: CallResult | null) =>
    r !== null && r.ok && !r.nonFinite && r.leaked <= 0 && r.ms < PROBE_MS;
  const positionOf = (arg: string): number => {
    const head = arg.split(/[.[]/)[0];
    const i = names.findIndex((n) => n !== undefined && n === head);
    return i < k ? i : -1;
  };

  // 1. greedy, following the errors
  const idx = new Array(k).fill(0);
  let cands = idx.map((j, p) => pools[p][j]);
  let objs = await setUp(cands);
  while (tries < MAX_PROBES) {
    tries++;
    const r = await fz.probe(label(cands, objs), make([build(cands, objs)]));
    if (r === null) break;
    if (succeeded(r)) {
      fz.baselines.push(label(cands, objs));
      return { args: cands, objects: objs };
    }
    if (r.ok || !isDescentError(r.error) || typeof r.error.argument !== 'string') break;
    const arg = r.error.argument;
    const msg = r.error.message;
    const p = positionOf(arg);
    if (p >= 0 && !objs.has(p)) {
      idx[p]++;
      if (idx[p] >= pools[p].length) break;
      cands = idx.map((j, q) => pools[q][j]);
      objs = await setUp(cands);
      continue;
    }
    // an option of an options object
    const key = keyOf(r.error);
    if (!key || /is not an option/.test(msg)) break;
    const target = [...objs.entries()].find(([i, o]) => {
      const listed = known.get(`obj${i}`) ?? [];
      if (listed.length > 0) return listed.includes(key);
      return key in o || /is required|got undefined/.test(msg);
    });
    if (!target) {
      if (p >= 0) {
        // the options object itself is wrong: try the next candidate there
        idx[p]++;
        if (idx[p] >= pools[p].length) break;
        cands = idx.map((j, q) => pools[q][j]);
        objs = await setUp(cands);
        continue;
      }
      break;
    }
    const [, obj] = target;
    const options = byName(key, candidatesForKey(key, pool));
    const current = obj[key];
    const next = current ? options[options.indexOf(current) + 1] : options[0];
    if (!next) break;
    obj[key] = next;
  }

  // 2. combinations, with what is left of the budget
  for (const combo of combos(k, pool.length, MAX_PROBES)) {
    if (tries >= MAX_PROBES) break;
    const cs = combo.map((i, pos) => pools[pos][i]);
    const os = await setUp(cs);
    tries++;
    const r = await fz.probe(label(cs, os), make([build(cs, os)]));
    if (succeeded(r)) {
      fz.baselines.push(label(cs, os));
      return { args: cs, objects: os };
    }
  }
  return null;
}

const ONE: Candidate = { id: '1', make: () => 1 };

/** Budgets set small while looking for a baseline (when the function has such an option). */
const SMALL_BUDGETS: Record<string, number> = {
  maxEvals: 64,
  maxSteps: 3,
  iterations: 3,
  iters: 3,
  maxIter: 3,
  epochs: 1,
  steps: 3,
  rounds: 3,
};

/** The option names a typed "unknown option" error lists (resolveOptions does), or none. */
async function knownOptions(
  fz: ExportFuzzer,
  what: string,
  make: (args: unknown[]) => CallSpec,
  argsOf: (s: unknown) => unknown[],
): Promise<string[]> {
  const r = await fz.probe(`${what}: option names`, make([argsOf]));
  if (!r || r.ok || !isDescentError(r.error)) return [];
  const listed = /known options: ([\w$, ]+)/.exec(r.error.message);
  return listed
    ? listed[1]
        .split(',')
        .map((t) => t.trim())
        .filter(Boolean)
    : [];
}

/** Mutations of a baseline: every position by the bad values of its kind, every known option by bad option values. */
async function mutate(
  fz: ExportFuzzer,
  what: string,
  base: { args: Candidate[]; objects: Map<number, Record<string, Candidate>> },
  k: number,
  make: (argsOf: (s: unknown) => unknown[]) => CallSpec,
  self: ((c: Candidate, s: unknown) => unknown) | null,
  sampleSelf: () => unknown = () => undefined,
  onlyPos?: number,
): Promise<void> {
  const argValue = (c: Candidate, s: unknown) => (self ? self(c, s) : c.make(env));
  const objectOf = (obj: Record<string, Candidate>, s: unknown, patch?: [string, ValueSpec]) => {
    const o: Record<string, unknown> = {};
    for (const [key, kc] of Object.entries(obj)) o[key] = argValue(kc, s);
    if (patch) o[patch[0]] = patch[1].make(env);
    return o;
  };
  const argsWith = (pos: number, bad: ValueSpec | null, patch?: [string, ValueSpec]) => (s: unknown) =>
    base.args.map((c, i) => {
      if (i === pos && bad) return bad.make(env);
      const obj = base.objects.get(i);
      if (obj) return objectOf(obj, s, i === pos ? patch : undefined);
      return argValue(c, s);
    });
  const shown = (pos: number, id: string) =>
    `${what}(${base.args.map((c, i) => (i === pos ? `«${id}»` : base.objects.has(i) ? `{${Object.keys(base.objects.get(i) ?? {}).join(', ')}}` : c.id)).join(', ')})`;
  for (let pos = 0; pos < k; pos++) {
    if (onlyPos !== undefined && pos !== onlyPos) continue;
    const c = base.args[pos];
    // the baseline value decides the kind of the bad replacements
    let sample: unknown;
    try {
      sample = base.objects.has(pos) ? {} : c.derived ? c.derived(sampleSelf()) : c.make(env);
    } catch {
      sample = null;
    }
    cleanup(null);
    for (const raw of BAD[kindOf(sample)]) {
      const bad = counted(raw);
      await fz.case(shown(pos, bad.id), make(argsWith(pos, bad)), (r) => callbackAccepted(bad, r));
    }
    const obj = base.objects.get(pos);
    if (obj) {
      // the option names: the ones the baseline needed, plus the ones a typed "unknown option" error lists
      const keys = new Set(Object.keys(obj));
      const probe = await fz.probe(
        `${what}: option names`,
        make(argsWith(pos, null, ['__fuzzUnknownOption__', { id: '1', make: () => 1 }])),
      );
      const listed =
        probe && !probe.ok && isDescentError(probe.error)
          ? /known options: ([\w$, ]+)/.exec(probe.error.message)
          : null;
      if (listed) for (const key of listed[1].split(',').map((s) => s.trim())) if (key) keys.add(key);
      for (const key of [...keys].sort()) {
        const bads2 = SIZE_OPTION.test(key) ? [...BAD_OPTION, ...BAD_SIZE] : BAD_OPTION;
        for (const bad of bads2) {
          await fz.case(shown(pos, `{ ${key}: ${bad.id} }`), make(argsWith(pos, null, [key, bad])));
        }
      }
    }
  }
}

type Baseline = { args: Candidate[]; objects: Map<number, Record<string, Candidate>> };

/**
 * For each position where the baseline passes `undefined` (an optional argument), a variant
 * baseline with a defined value there that the function also accepts: its kind gives that
 * position real bad replacements (`gmm4Target(«NaN»)` and not only `gmm4Target(«null»)`).
 */
async function refine(
  fz: ExportFuzzer,
  what: string,
  base: Baseline,
  k: number,
  make: (argsOf: (s: unknown) => unknown[]) => CallSpec,
  self: ((c: Candidate, s: unknown) => unknown) | null,
  pool: Candidate[],
): Promise<{ pos: number; base: Baseline }[]> {
  const out: { pos: number; base: Baseline }[] = [];
  const argValue = (c: Candidate, s: unknown) => (self ? self(c, s) : c.make(env));
  for (let pos = 0; pos < k; pos++) {
    if (base.args[pos].id !== 'undefined') continue;
    for (const c of pool.filter((x) => x.id !== 'undefined').slice(0, 12)) {
      const args = base.args.map((a, i) => (i === pos ? c : a));
      const objects = new Map(base.objects);
      if (c.id === '{}') objects.set(pos, {});
      const argsOf = (s: unknown) =>
        args.map((a, i) => {
          const obj = objects.get(i);
          if (!obj) return argValue(a, s);
          const o: Record<string, unknown> = {};
          for (const [key, kc] of Object.entries(obj)) o[key] = argValue(kc, s);
          return o;
        });
      const r = await fz.probe(`${what}: argument ${pos} = ${c.id}`, make(argsOf));
      if (r?.ok && !r.nonFinite && r.leaked <= 0 && r.ms < PROBE_MS) {
        out.push({ pos, base: { args, objects } });
        break;
      }
    }
  }
  return out;
}

/** Calls of the fuzz suite's bad callbacks during the current case. */
const calls = { n: 0 };

/** Wraps a bad callback so that its calls are counted. */
function counted(bad: ValueSpec): ValueSpec {
  if (!bad.id.startsWith('a callback')) return bad;
  return {
    id: bad.id,
    make: (e) => {
      const f = bad.make(e) as (...a: unknown[]) => unknown;
      return (...a: unknown[]) => {
        calls.n++;
        return f(...a);
      };
    },
  };
}

/** A bad callback that was never called (stored for later, e.g. by a factory) is not a finding. */
function callbackAccepted(bad: ValueSpec, _r: CallResult): Outcome | null {
  if (bad.id.startsWith('a callback') && calls.n === 0) {
    return {
      kind: 'documented',
      detail:
        'the callback is stored, not called, by this function (its results are checked where it is called)',
    };
  }
  return null;
}

async function fuzzFunction(
  fz: ExportFuzzer,
  job: ExportJob,
  fn: (...a: unknown[]) => unknown,
): Promise<void> {
  const k = Math.min(paramCount(fn), 3);
  const make = (argsOf: (s: unknown) => unknown[]): CallSpec => ({
    prepare: () => ({ args: argsOf(undefined) }),
    invoke: (p) => fn(...p.args),
    scanResult: true,
  });
  const base = await findBaseline(
    fz,
    job.name,
    k,
    GOOD,
    (a) => make(a[0] as (s: unknown) => unknown[]),
    null,
    paramNames(fn),
  );
  const fallback = { args: new Array(k).fill(GOOD[0]) as Candidate[], objects: new Map() };
  await mutate(fz, job.name, base ?? fallback, k, make, null);
  for (const v of await refine(fz, job.name, base ?? fallback, k, make, null, GOOD)) {
    await mutate(fz, job.name, v.base, k, make, null, undefined, v.pos);
  }
}

async function fuzzClass(
  fz: ExportFuzzer,
  job: ExportJob,
  C: new (...a: unknown[]) => unknown,
): Promise<void> {
  const k = Math.min(paramCount(C as never), 3);
  const make = (argsOf: (s: unknown) => unknown[]): CallSpec => ({
    prepare: () => ({ args: argsOf(undefined) }),
    invoke: (p) => new C(...p.args),
    scanResult: false,
  });
  const base = await findBaseline(
    fz,
    `new ${job.name}`,
    k,
    GOOD,
    (a) => make(a[0] as (s: unknown) => unknown[]),
    null,
    paramNames(C as never),
  );
  const fallback = { args: new Array(k).fill(GOOD[0]) as Candidate[], objects: new Map() };
  await mutate(fz, `new ${job.name}`, base ?? fallback, k, make, null);
  for (const v of await refine(fz, `new ${job.name}`, base ?? fallback, k, make, null, GOOD)) {
    await mutate(fz, `new ${job.name}`, v.base, k, make, null, undefined, v.pos);
  }
  const instance = (): unknown => {
    if (!base) return undefined;
    const args = base.args.map((c, i) => {
      const obj = base.objects.get(i);
      if (!obj) return c.make(env);
      const o: Record<string, unknown> = {};
      for (const [key, kc] of Object.entries(obj)) o[key] = kc.make(env);
      return o;
    });
    return new C(...args);
  };
  // methods, on a fresh baseline instance per call
  if (base) {
    // protected members inherited from a base class are declared on the base class
    const hidden = new Set<string>();
    for (let P = C as unknown; typeof P === 'function' && P !== Function.prototype; P = Object.getPrototypeOf(P)) {
      const name = P === C ? job.name : (P as { name: string }).name;
      for (const m of nonPublicMembers(job.file, name)) hidden.add(m);
    }
    const methods = methodNames(C as never).filter(
      (m) => !['toJSON', 'dispose', 'toString'].includes(m) && !hidden.has(m),
    );
    const zeroArg = methods.filter((m) => paramCount((C.prototype as Record<string, never>)[m]) === 0);
    const derived: Candidate[] = [];
    for (const z of zeroArg) {
      // only methods that return points or values (arrays), not numbers or the instance
      const seen = await fz.probe(`${job.name}#${z}()`, {
        prepare: () => ({ self: instance(), args: [] }),
        invoke: (p) => (p.self as Record<string, () => unknown>)[z](),
        scanResult: false,
      });
      if (!seen?.ok || !(Array.isArray(seen.value) || ArrayBuffer.isView(seen.value))) continue;
      derived.push({
        id: `this.${z}()`,
        make: () => undefined,
        derived: (s) => (s as Record<string, () => unknown>)[z](),
      });
      derived.push({
        id: `‖·‖² of this.${z}()`,
        make: () => undefined,
        derived: (s) => {
          const r = (s as Record<string, () => unknown>)[z]();
          return Array.isArray(r) ? r.map(sumSqOf) : r;
        },
      });
    }
    const pool: Candidate[] = [...derived, ...GOOD];
    const self = (c: Candidate, s: unknown) => (c.derived ? c.derived(s) : c.make(env));
    for (const m of methods) {
      const method = (C.prototype as Record<string, (...a: unknown[]) => unknown>)[m];
      const km = Math.min(paramCount(method), 3);
      if (km === 0) continue; // extra arguments to a method without parameters are ignored, as in all JS
      const makeM = (argsOf: (s: unknown) => unknown[]): CallSpec => ({
        prepare: () => {
          const s = instance();
          return { self: s, args: argsOf(s) };
        },
        invoke: (p) => (p.self as Record<string, (...a: unknown[]) => unknown>)[m](...p.args),
        scanResult: true,
      });
      const what = `${job.name}#${m}`;
      const mb = await findBaseline(
        fz,
        what,
        km,
        pool,
        (a) => makeM(a[0] as (s: unknown) => unknown[]),
        self,
        paramNames(method),
      );
      const fb = { args: new Array(km).fill(GOOD[0]) as Candidate[], objects: new Map() };
      await mutate(fz, what, mb ?? fb, km, makeM, self, instance);
      for (const v of await refine(fz, what, mb ?? fb, km, makeM, self, pool)) {
        await mutate(fz, what, v.base, km, makeM, self, instance, v.pos);
      }
    }
  }
  // fromJSON: damaged blobs of a real blob, or bad values for the whole blob
  const fromJSON = (C as unknown as { fromJSON?: (j: unknown) => unknown }).fromJSON;
  if (typeof fromJSON !== 'function') return;
  let blob: unknown;
  if (base) {
    try {
      const inst = instance() as { toJSON?: () => unknown };
      if (typeof inst?.toJSON === 'function') blob = JSON.parse(JSON.stringify(inst.toJSON()));
    } catch {
      blob = undefined;
    }
  }
  const fj = (json: () => unknown): CallSpec => ({
    prepare: () => ({ args: [json()] }),
    invoke: (p) => fromJSON.call(C, p.args[0]),
    scanResult: false,
  });
  if (blob === undefined) {
    const roots: ValueSpec[] = [
      { id: 'null', make: () => null },
      { id: '42', make: () => 42 },
      { id: "'abc'", make: () => 'abc' },
      { id: '{}', make: () => ({}) },
      { id: `{ type: '${job.name}', version: 999 }`, make: () => ({ type: job.name, version: 999 }) },
    ];
    for (const r of roots)
      await fz.case(
        `${job.name}.fromJSON(${r.id})`,
        fj(() => r.make(env)),
      );
    return;
  }
  const damages = damagedBlobs(blob);
  const stride = Math.max(1, Math.ceil(damages.length / 250));
  for (let i = 0; i < damages.length; i += stride) {
    const d = damages[i];
    await fz.case(
      `${job.name}.fromJSON(blob with ${d.label})`,
      fj(() => d.blob),
      (r) => {
        if (d.severity === 'invalid')
          return {
            kind: 'fail',
            detail: 'accepted a damaged blob that cannot be valid (fromJSON must throw a typed error)',
          };
        try {
          const again = (r.value as { toJSON?: () => unknown })?.toJSON?.();
          JSON.stringify(again);
          return {
            kind: 'documented',
            detail: 'accepted a plausible blob (the damage may be valid); the restored object serialises',
          };
        } catch (e) {
          return judgeError(e).kind === 'typed'
            ? { kind: 'typed', detail: 'the restored object rejects its state when used' }
            : { kind: 'fail', detail: `accepted, then toJSON threw ${judgeError(e).detail}` };
        }
      },
    );
  }
}

// ------------------------------------------------------------------ message loop

port.on('message', async (msg: ToWorker) => {
  if (msg.t === 'list') {
    const r = await list(msg.entries);
    post({ t: 'listed', jobs: r.jobs, constants: r.constants });
    return;
  }
  if (msg.t === 'run') {
    // every entry first, so that tfjs (on a ./tf entry) is known before any case builds a tensor
    for (const file of new Set([...msg.preload, ...msg.jobs.map((j) => j.file)])) await load(file);
    const last = msg.start.single ? msg.start.job : msg.jobs.length - 1;
    for (let j = msg.start.job; j <= last; j++) {
      const job = msg.jobs[j];
      const resume =
        j === msg.start.job &&
        (msg.start.skipUntil > 0 || msg.start.timedOut.length > 0)
          ? { skipUntil: msg.start.skipUntil, timedOut: msg.start.timedOut }
          : null;
      const m = await load(job.file);
      const v = lookup(m, job.name);
      const fz = new ExportFuzzer(job, j, resume);
      try {
        if (job.kind === 'class') await fuzzClass(fz, job, v as never);
        else await fuzzFunction(fz, job, v as never);
      } catch (e) {
        post({
          t: 'error',
          job: j,
          detail: `the fuzz harness failed on this export: ${(e as Error)?.stack ?? String(e)}`,
        });
      }
      post({ t: 'jobDone', job: j, cases: fz.cases, baselines: fz.baselines });
    }
    post({ t: 'finished' });
  }
});
post({ t: 'hello' });
