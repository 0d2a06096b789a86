import { kernelInfo } from '@descent/tensor';
import { SkeGd } from './baselines/skeGd';
import { Forks } from './forks';
import { gaussianKernel } from './kernel';
import type { SketchedKernelLearner } from './sketchedKernelLearner';
import { codRnaLike, standardize, xorStream } from './streams';

type Learner = Forks | SkeGd;
const stream = standardize(codRnaLike(1400, 7));
const N = stream.X.length;
/** Defaults (B = 100: k = 56, above the level-2 crossover) with sketch updates every 24 margin errors. */
const make = (seed: number, policy?: 'restart'): Learner => new Forks({ kernel: gaussianKernel(1.5), seed, ...(policy ? { onSketchUpdate: policy } : {}) });

/** Scores and final blob of `learner` over rows [from, to). */
function run(learner: Learner, from: number, to: number, scores: number[]): void {
  for (let t = from; t < to; t++) scores.push(learner.learnOne(stream.X[t], stream.y[t]).score);
}

function sameBits(a: number[], b: number[]): boolean {
  return a.length === b.length && a.every((v, i) => Object.is(v, b[i]));
}

/** Whether the learner's hot arrays are views of the shared arena now (private state, read for the test). */
const isResident = (l: Learner) => (l as unknown as { residentViews?: unknown }).residentViews !== undefined;

describe('shared kernel arena for the steady-state rounds (residentState.ts)', () => {
  const solo = new Map<string, { scores: number[]; blob: string }>();
  const soloRun = (key: string, mk: () => Learner) => {
    if (!solo.has(key)) {
      const l = mk();
      const scores: number[] = [];
      run(l, 0, N, scores);
      solo.set(key, { scores, blob: JSON.stringify(l.toJSON()) });
    }
    return solo.get(key) as { scores: number[]; blob: string };
  };

  it('holds the arena while a learner streams alone (wasm available)', () => {
    const l = make(1);
    run(l, 0, N, []);
    expect(l.isInitialized).toBe(true);
    expect(l.sketchUpdateCount).toBeGreaterThan(3);
    expect(l.featureDimension).toBeGreaterThanOrEqual(20);
    if (kernelInfo().mode.startsWith('wasm')) expect(isResident(l)).toBe(true);
  });

  it('learners run interleaved round by round give the bits (scores and blobs) of each learner run alone', () => {
    const mks: [string, () => Learner][] = [
      ['forks 1', () => make(1)],
      ['forks 2 restart', () => make(2, 'restart')],
      ['skegd 3', () => new SkeGd({ kernel: gaussianKernel(1.5), seed: 3, rank: 40, sampleSize: 50 })],
    ];
    const refs = mks.map(([key, mk]) => soloRun(key, mk));
    const ls = mks.map(([, mk]) => mk());
    const scores: number[][] = ls.map(() => []);
    for (let t = 0; t < N; t++) {
      for (let i = 0; i < ls.length; i++) scores[i].push(ls[i].learnOne(stream.X[t], stream.y[t]).score);
    }
    // interleaved: one learner holds the arena (given up at each of its sketch updates, taken by the
    // next round of whichever learner comes first), the others run on ordinary arrays
    refs.forEach((ref, i) => {
      expect(sameBits(scores[i], ref.scores)).toBe(true);
      expect(JSON.stringify(ls[i].toJSON()) === ref.blob).toBe(true);
    });
    for (const l of ls) l.predictScore(stream.X[0]);
    if (kernelInfo().mode.startsWith('wasm')) expect(ls.filter(isResident).length).toBe(1);
  });

  it('an idle owner loses the arena to the next learner and gets it back later, with unchanged results', () => {
    const a = make(1);
    const b = make(2, 'restart');
    const sa: number[] = [];
    const sb: number[] = [];
    const half = 700;
    run(a, 0, half, sa);
    run(b, 0, half, sb); // b claims the arena at its second steady round (a did not run in between)
    const wasm = kernelInfo().mode.startsWith('wasm');
    if (wasm) expect([isResident(a), isResident(b)]).toEqual([false, true]);
    const blobA = JSON.stringify(a.toJSON());
    run(a, half, N, sa);
    run(b, half, N, sb);
    expect(sameBits(sa, soloRun('forks 1', () => make(1)).scores)).toBe(true);
    expect(sameBits(sb, soloRun('forks 2 restart', () => make(2, 'restart')).scores)).toBe(true);
    // a blob saved while evicted restores and continues with the same bits
    const a2 = Forks.fromJSON(JSON.parse(blobA));
    const s2: number[] = [];
    run(a2, half, N, s2);
    expect(sameBits(s2, sa.slice(half))).toBe(true);
  });

  it('a resident learner saves the blob a non-resident one saves, and its getters return copies', () => {
    const x = xorStream(900, 4);
    const f = new Forks({ kernel: gaussianKernel(0.5), budget: 60, seed: 9 });
    for (let t = 0; t < x.X.length; t++) f.learnOne(x.X[t], x.y[t]);
    const blob = JSON.stringify(f.toJSON());
    const g = Forks.fromJSON(JSON.parse(blob)); // not resident
    expect(JSON.stringify(g.toJSON()) === blob).toBe(true);
    const w = f.weights;
    const A = f.inverseCurvature;
    expect(w.buffer).not.toBe((f as unknown as SketchedKernelLearner & { w: Float64Array }).w.buffer);
    w.fill(0);
    A.fill(0);
    expect(JSON.stringify(f.toJSON()) === blob).toBe(true);
  });
});

describe('row reading of a steady-state round', () => {
  it('copies a finite Float64Array row and rejects non-finite entries and wrong lengths with typed errors naming x', () => {
    const f = make(5);
    run(f, 0, 400, []);
    expect(f.isInitialized).toBe(true);
    const row = Float64Array.from(stream.X[400]);
    const before = f.toJSON();
    for (const bad of [Number.NaN, Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY]) {
      const x = row.slice();
      x[3] = bad;
      expect(() => f.learnOne(x, 1)).toThrow(expect.objectContaining({ name: 'ValueError', argument: 'x' }));
    }
    expect(() => f.learnOne(row.subarray(0, 7), 1)).toThrow(expect.objectContaining({ name: 'ShapeError', argument: 'x' }));
    expect(JSON.stringify(f.toJSON()) === JSON.stringify(before)).toBe(true); // bad rows never touch the state
    // the learner keeps its own copy: changing the caller's row afterwards changes nothing
    const g = Forks.fromJSON(before);
    const x = row.slice();
    const r1 = f.learnOne(x, 1).score;
    x.fill(0);
    expect(Object.is(g.learnOne(row, 1).score, r1)).toBe(true);
    expect(JSON.stringify(g.toJSON()) === JSON.stringify(f.toJSON())).toBe(true);
  });
});
