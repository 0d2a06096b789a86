/**
 * Issue 16 (b): a failed batch (the batch objective threw, or every value is NaN/±Inf) leaves the
 * strategy unchanged. Strategies refuse an all-failed `tell` with a ValueError before touching
 * their state (blob before == blob after, the same batch is asked again); the drivers do not tell
 * a failed batch, retry it, report it (`failedBatches`), and give up with a ValueError naming the
 * objective (its error as `cause`) after `batchRetries` failures in a row.
 */
import { type AskTellStrategy, ValueError } from '@descent/tensor';
import { CMAES } from './cmaEs';
import { GFSVGD, gfSvgd } from './gfSvgd';
import { minimize } from './minimize';
import { sphere } from './objectives';
import { sample } from './sample';
import { SVCMAES } from './svCmaEs';
import { SVOpenAIES } from './svOpenAiEs';

type Strategy = AskTellStrategy & { toJSON(): unknown };
const means0 = { lower: -1, upper: 1, count: 4, dim: 3 };
const make: Record<string, () => Strategy> = {
  CMAES: () => new CMAES({ mean0: [1, 2, 3], sigma0: 0.5, seed: 3 }),
  SVCMAES: () => new SVCMAES({ means0, popSize: 5, seed: 3 }),
  SVOpenAIES: () => new SVOpenAIES({ means0, popSize: 4, seed: 3 }),
  GFSVGD: () => new GFSVGD(new SVCMAES({ means0, popSize: 2, seed: 3 }).means),
};

describe('issue 16 (b): a failed batch leaves the strategy unchanged', () => {
  it.each(Object.keys(make))(
    '%s.tell with every value NaN/±Inf is a ValueError and the blob is unchanged',
    (name) => {
      const es = make[name]();
      for (let g = 0; g < 3; g++) {
        const xs = es.ask();
        es.tell(xs, xs.map(sphere));
      }
      const xs = es.ask();
      const before = JSON.stringify(es.toJSON());
      for (const bad of [Number.NaN, Infinity, -Infinity]) {
        expect(() =>
          es.tell(
            xs,
            xs.map(() => bad),
          ),
        ).toThrow(ValueError);
        expect(() =>
          es.tell(
            xs,
            xs.map(() => bad),
          ),
        ).toThrow(/failed batch/);
      }
      expect(JSON.stringify(es.toJSON())).toBe(before);
      expect(es.ask()).toEqual(xs); // the same batch again
      // one finite value is information: the strategy updates (as evosax, the rest rank worst)
      es.tell(
        xs,
        xs.map((x, k) => (k === 0 ? sphere(x) : Number.NaN)),
      );
      expect(JSON.stringify(es.toJSON())).not.toBe(before);
    },
  );

  it('minimize: a batch that throws is retried and the run is bit-identical to one without the failure', async () => {
    const run = async (failAt: number | null, maxEvals: number) => {
      let batch = 0;
      const seen: Float64Array[][] = [];
      const r = await minimize(
        (xs) => {
          batch++;
          seen.push(xs);
          if (batch === failAt) throw new Error('cluster down');
          return xs.map(sphere);
        },
        { x0: [1, 1], sigma0: 0.5, maxEvals, seed: 4 },
      );
      return { r, seen };
    };
    const clean = await run(null, 600);
    const flaky = await run(3, 606); // the failed batch's 6 evaluations count
    expect(flaky.r.failedBatches).toBe(1);
    expect(flaky.r.failedEvaluations).toBe(6);
    expect(flaky.seen[3]).toEqual(flaky.seen[2]); // the failed batch was asked again
    expect(flaky.r.x).toEqual(clean.r.x);
    expect(flaky.r.steps).toBe(clean.r.steps);
    expect(flaky.r.history.map((h) => h.fBest)).toEqual(clean.r.history.map((h) => h.fBest));
    expect(flaky.r.evaluations).toBe(flaky.seen.length * 6);
  });

  it('sample and gfSvgd skip a failed batch the same way (all-NaN batch: same particles as without it)', async () => {
    const target = (xs: Float64Array[]) => xs.map((x) => 0.5 * sphere(x));
    const withFailure = (fail: number) => {
      let batch = 0;
      return (xs: Float64Array[]) => {
        batch++;
        return batch === fail ? xs.map(() => Number.NaN) : target(xs);
      };
    };
    const o = { n: 6, init: { lower: -2, upper: 2 }, dim: 2, seed: 5 };
    const a = await sample(target, { ...o, maxEvals: 24 * 10 });
    const b = await sample(withFailure(4), { ...o, maxEvals: 24 * 11 });
    expect(b.failedBatches).toBe(1);
    expect(b.steps).toBe(a.steps);
    expect(b.particles).toEqual(a.particles);
    const x0 = new SVCMAES({ means0: { lower: -2, upper: 2, count: 5, dim: 2 }, popSize: 2, seed: 1 }).means;
    const g1 = await gfSvgd(target, x0, { maxSteps: 20 });
    const g2 = await gfSvgd(withFailure(7), x0, { maxSteps: 20 });
    expect(g2.particles).toEqual(g1.particles);
    expect(g2.evaluations).toBe(g1.evaluations + 5);
  });

  it('after batchRetries failures in a row the run ends with a ValueError naming the objective, cause attached', async () => {
    let batch = 0;
    const boom = new Error('simulator crashed');
    const f = (xs: Float64Array[]) => {
      batch++;
      if (batch >= 4) throw boom;
      return xs.map(sphere);
    };
    const err = await minimize(f, { x0: [1, 1], seed: 1, batchRetries: 1 }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ValueError);
    expect(err).toMatchObject({ argument: 'f', cause: boom });
    expect((err as Error).message).toMatch(
      /f failed on 2 batches in a row \(last batch threw: simulator crashed\)/,
    );
    expect(batch).toBe(5);
    await expect(
      sample(() => Promise.reject(new Error('down')), { n: 2, init: { lower: 0, upper: 1 }, dim: 1 }),
    ).rejects.toMatchObject({ name: 'ValueError', argument: 'negLogP' });
    await expect(minimize(f, { x0: [1, 1], batchRetries: -1 })).rejects.toThrow(/batchRetries/);
  });
});
