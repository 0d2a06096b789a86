/**
 * Every learner is `Serializable`: random states survive toJSON → JSON text → fromJSON and
 * continue bit for bit (fast-check), and every damaged blob (truncation, type swaps, nulls, huge
 * numbers, shortened arrays, …) meets a typed error naming the field, or gives a sound learner.
 */
import { ValueError } from '@descent/tensor';
import { checkDamagedBlobs, checkRoundTrip, fc } from '@descent/testkit';
import { Bogd } from './baselines/bogd';
import { BpaS } from './baselines/bpaS';
import { Fogd } from './baselines/fogd';
import { KernelOgd } from './baselines/kernelOgd';
import { KernelPegasos } from './baselines/kernelPegasos';
import { Nogd } from './baselines/nogd';
import { Ons } from './baselines/ons';
import { Projectron } from './baselines/projectron';
import { ProsNKons } from './baselines/prosNKons';
import { Rbp } from './baselines/rbp';
import { SkeGd } from './baselines/skeGd';
import { Forks } from './forks';
import { gaussianKernel } from './kernel';
import { kernelTeacher } from './streams';
import type { OnlineBinaryLearner } from './types';

const stream = kernelTeacher({ n: 400, dim: 3, seed: 5 });

/** Feeds rounds [from, to) and returns the scores (what a restored copy must reproduce). */
function feed(l: OnlineBinaryLearner, from: number, to: number): number[] {
  const out: number[] = [];
  for (let t = from; t < to; t++) out.push(l.learnOne(stream.X[t], stream.y[t]).score);
  return out;
}

type Spec = { make: (seed: number) => OnlineBinaryLearner; fromJSON: (json: unknown) => OnlineBinaryLearner };
const kernel = gaussianKernel(1.2);
const small = { budget: 20, seed: 1 };
const specs: Record<string, Spec> = {
  'Forks (defaults, auto kernel)': { make: (seed) => new Forks({ ...small, seed, updateCycle: 4 }), fromJSON: Forks.fromJSON },
  'Forks (reference options)': { make: (seed) => new Forks({ ...small, seed, kernel, sampleSize: 4, rank: 3, updateCycle: 4, onSketchUpdate: 'restart', crossTerms: 'omit', projectionSolver: 'pinv', recordSketchUpdates: true }), fromJSON: Forks.fromJSON },
  'Forks (carry, symmetric)': { make: (seed) => new Forks({ ...small, seed, kernel, sampleSize: 8, rank: 5, updateCycle: 3, onSketchUpdate: 'carry', decomposition: 'symmetric' }), fromJSON: Forks.fromJSON },
  SkeGd: { make: (seed) => new SkeGd({ ...small, seed, updateCycle: 4 }), fromJSON: SkeGd.fromJSON },
  ProsNKons: { make: (seed) => new ProsNKons({ budget: 15, seed }), fromJSON: ProsNKons.fromJSON },
  Nogd: { make: () => new Nogd({ budget: 15, kernel }), fromJSON: Nogd.fromJSON },
  Fogd: { make: (seed) => new Fogd({ numFrequencies: 8, seed }), fromJSON: Fogd.fromJSON },
  Bogd: { make: (seed) => new Bogd({ budget: 10, seed }), fromJSON: Bogd.fromJSON },
  Projectron: { make: () => new Projectron({ budget: 10 }), fromJSON: Projectron.fromJSON },
  BpaS: { make: () => new BpaS({ budget: 10, kernel }), fromJSON: BpaS.fromJSON },
  Rbp: { make: (seed) => new Rbp({ budget: 10, seed }), fromJSON: Rbp.fromJSON },
  KernelOgd: { make: () => new KernelOgd({ kernel }), fromJSON: KernelOgd.fromJSON },
  KernelPegasos: { make: () => new KernelPegasos({}), fromJSON: KernelPegasos.fromJSON },
  Ons: { make: () => new Ons(), fromJSON: Ons.fromJSON },
};

describe.each(Object.entries(specs))('%s', (_name, spec) => {
  it('round trip: random states → toJSON → JSON text → fromJSON continue bit for bit (fast-check)', () => {
    checkRoundTrip({
      arbitrary: fc.record({ seed: fc.integer({ min: 0, max: 50 }), steps: fc.integer({ min: 0, max: 250 }) }),
      make: ({ seed, steps }) => {
        const l = spec.make(seed);
        feed(l, 0, steps);
        return l;
      },
      fromJSON: spec.fromJSON,
      advance: (l, { steps }) => feed(l, steps, steps + 60),
      numRuns: 6,
    });
  });

  it('damaged blobs (truncation, type swaps, nulls, huge numbers, short arrays) give a typed error naming the field, or a sound learner', () => {
    for (const steps of [15, 250]) {
      const l = spec.make(3);
      feed(l, 0, steps);
      const report = checkDamagedBlobs({ blob: l.toJSON(), fromJSON: spec.fromJSON, probe: (r) => feed(r, steps, steps + 8) });
      expect(report.typedErrors).toBeGreaterThan(report.tried / 2);
    }
  });

  it('fromJSON(null), fromJSON({}), another type and version 2 are ValueErrors', () => {
    const blob = spec.make(1).toJSON();
    expect(() => spec.fromJSON(null)).toThrow(ValueError);
    expect(() => spec.fromJSON({})).toThrow(ValueError);
    expect(() => spec.fromJSON({ ...blob, type: 'Other' })).toThrow(/type must be/);
    expect(() => spec.fromJSON({ ...blob, version: 2 })).toThrow(/version must be 1/);
  });
});

describe('the issue-11 examples', () => {
  it("Forks.fromJSON with a weight replaced by 'abc' or 1e999 is a ValueError naming w[i] (was: NaN score, +1 prediction; −Infinity score)", () => {
    const f = new Forks({ budget: 20, seed: 1 });
    feed(f, 0, 200);
    const blob = JSON.parse(JSON.stringify(f.toJSON()));
    for (const bad of ['abc', Number.POSITIVE_INFINITY]) {
      const damaged = { ...blob, w: [...blob.w] };
      damaged.w[2] = bad;
      expect(() => Forks.fromJSON(damaged)).toThrow(ValueError);
      expect(() => Forks.fromJSON(damaged)).toThrow('w[2]');
    }
    expect(() => Forks.fromJSON(JSON.stringify(blob).replace(/"w":\[([-0-9.e]+),/, '"w":[1e999,'))).toThrow(/w\[0\] must be a finite number/);
  });
});
