/**
 * Issue 16 (a): budgets are never exceeded. Over random budgets, population sizes and particle
 * counts, every ask/tell loop (`while (!es.stop())`) and every one-call driver calls the objective
 * at most `maxEvals` times, and stops early only when one more batch would not fit (batches are
 * never truncated).
 */
import type { AskTellStrategy } from '@descent/tensor';
import { fc } from '@descent/testkit';
import { CMAES } from './cmaEs';
import { GFSVGD, gfSvgd } from './gfSvgd';
import { minimize } from './minimize';
import { sphere } from './objectives';
import { sample } from './sample';
import { SVCMAES } from './svCmaEs';
import { SVOpenAIES } from './svOpenAiEs';

/** A batch sphere that counts every point it is called on. */
function counted() {
  const c = {
    calls: 0,
    f: (xs: Float64Array[]) =>
      xs.map((x) => {
        c.calls++;
        return sphere(x);
      }),
  };
  return c;
}

/** The plain ask/tell loop of the protocol's TSDoc; returns the evaluations made. */
function loop(es: AskTellStrategy): number {
  const c = counted();
  while (!es.stop()) {
    const xs = es.ask();
    es.tell(xs, c.f(xs));
  }
  return c.calls;
}

const budget = fc.integer({ min: 1, max: 400 });

describe('issue 16 (a): every loop and driver stays within maxEvals', () => {
  it('ask/tell loops: CMAES, SVCMAES, SVOpenAIES, GFSVGD stop at or below the budget, within one batch of it', () => {
    fc.assert(
      fc.property(
        budget,
        fc.integer({ min: 2, max: 9 }),
        fc.integer({ min: 1, max: 6 }),
        fc.integer({ min: 1, max: 3 }),
        (maxEvals, lam, P, d) => {
          const means0 = { lower: -1, upper: 1, count: P, dim: d };
          const ss: [AskTellStrategy, number][] = [
            [
              new CMAES({
                mean0: new Float64Array(d).fill(1),
                sigma0: 1,
                popSize: lam,
                maxEvals,
                tolFun: 0,
                tolX: 0,
              }),
              lam,
            ],
            [new SVCMAES({ means0, popSize: lam, maxEvals }), P * lam],
            [
              new SVOpenAIES({ means0, popSize: 2 * Math.ceil(lam / 2), maxEvals }),
              P * 2 * Math.ceil(lam / 2),
            ],
            [new GFSVGD(new SVCMAES({ means0, popSize: 2 }).means, { maxEvals }), P],
          ];
          for (const [es, batch] of ss) {
            const calls = loop(es);
            expect(calls).toBeLessThanOrEqual(maxEvals);
            expect(es.evaluations).toBe(calls);
            // stopped early only because the next batch would not fit (or CMA's own criteria)
            if (es.stop() === 'maxEvals') expect(calls + batch).toBeGreaterThan(maxEvals);
          }
        },
      ),
      { numRuns: 60, seed: 16 },
    );
  });

  it('the issue cases: CMA-ES (λ = 6) with 1005 → 1002, SV-CMA-ES (8 × 5) with 1001 → 1000', () => {
    const cma = new CMAES({ mean0: [1, 1], sigma0: 1, maxEvals: 1005, tolFun: 0, tolX: 0, seed: 1 });
    expect(loop(cma)).toBe(1002);
    const sv = new SVCMAES({
      means0: { lower: -2, upper: 2, count: 8, dim: 2 },
      popSize: 5,
      maxEvals: 1001,
      seed: 1,
    });
    expect(loop(sv)).toBe(1000);
    expect(sv.stop()).toBe('maxEvals');
  });

  it('minimize, sample and gfSvgd never call the objective more than maxEvals times (random budgets and sizes)', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.integer({ min: 40, max: 600 }),
        fc.integer({ min: 2, max: 7 }),
        fc.integer({ min: 1, max: 5 }),
        fc.constantFrom('cma', 'sv-cma', 'sv-openai') as fc.Arbitrary<'cma' | 'sv-cma' | 'sv-openai'>,
        async (maxEvals, popSize, P, method) => {
          const c = counted();
          const batch =
            method === 'cma' ? popSize : P * (method === 'sv-openai' ? popSize + (popSize % 2) : popSize);
          const run = minimize(c.f, {
            x0: [2, -1],
            method,
            popSize,
            numPopulations: P,
            maxEvals,
            seed: maxEvals,
          });
          if (batch > maxEvals) {
            await expect(run).rejects.toThrow(/maxEvals/);
            return;
          }
          const r = await run;
          expect(c.calls).toBe(r.evaluations);
          expect(r.evaluations).toBeLessThanOrEqual(maxEvals);
          if (r.stopReason === 'maxEvals') expect(r.evaluations + batch).toBeGreaterThan(maxEvals);

          const s = counted();
          const gen = P * 4;
          const sr = sample(s.f, { n: P, init: { lower: -2, upper: 2 }, dim: 2, maxEvals, seed: 1 });
          if (gen > maxEvals) await expect(sr).rejects.toThrow(/maxEvals/);
          else {
            const res = await sr;
            expect(s.calls).toBe(res.evaluations);
            expect(res.evaluations).toBeLessThanOrEqual(maxEvals);
            expect(res.evaluations + gen).toBeGreaterThan(maxEvals);
          }

          const g = counted();
          const gr = await gfSvgd(
            g.f,
            new SVCMAES({ means0: { lower: -2, upper: 2, count: P + 1, dim: 2 }, popSize: 2 }).means,
            {
              maxEvals,
            },
          );
          expect(g.calls).toBe(gr.evaluations);
          expect(gr.evaluations).toBeLessThanOrEqual(maxEvals);
          expect(gr.evaluations + P + 1).toBeGreaterThan(maxEvals);
        },
      ),
      { numRuns: 25, seed: 7 },
    );
  });

  it('failed batches count against the budget too (every call counts)', async () => {
    let batches = 0;
    const f = (xs: Float64Array[]) => {
      batches++;
      if (batches % 3 === 0) throw new Error('flaky cluster');
      return xs.map(sphere);
    };
    const r = await minimize(f, { x0: [1, 1], maxEvals: 301, seed: 2, strategy: { tolFun: 0, tolX: 0 } });
    expect(r.failedBatches).toBeGreaterThan(0);
    expect(r.evaluations).toBe(batches * 6);
    expect(r.evaluations).toBeLessThanOrEqual(301);
    expect(r.evaluations + 6).toBeGreaterThan(301);
  });
});
