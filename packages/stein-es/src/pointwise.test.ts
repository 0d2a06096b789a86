/**
 * Issue 16 (c): `pointwise` evaluates async points concurrently (at most `concurrency` in flight),
 * keeps every value at its candidate's index whatever the finishing order, and marks an
 * evaluation that exceeds `timeoutMs` failed (NaN, reported to `onError`, its signal aborted).
 */
import { ValueError } from '@descent/tensor';
import { evaluateBatch, pointwise } from './evaluate';
import { minimize } from './minimize';
import { sphere } from './objectives';

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));
const points = (n: number) => Array.from({ length: n }, (_, k) => Float64Array.of(k, -k));

describe('issue 16 (c): pointwise concurrency and timeouts', () => {
  it.each([1, 3, 8, Infinity])(
    'concurrency %s: the limit is respected and values keep their order',
    async (limit) => {
      let inFlight = 0;
      let peak = 0;
      const f = pointwise(
        async (x) => {
          inFlight++;
          peak = Math.max(peak, inFlight);
          await sleep(((x[0] * 7) % 5) + 1); // finish out of order
          inFlight--;
          return 10 * x[0];
        },
        { concurrency: limit },
      );
      const xs = points(12);
      const out = await f(xs);
      expect(Array.from(out as Float64Array)).toEqual(xs.map((x) => 10 * x[0]));
      expect(peak).toBe(Math.min(limit, 12));
      expect(inFlight).toBe(0);
    },
  );

  it('a concurrent batch takes about max time, not the sum (8 × 40 ms with limit 8)', async () => {
    const f = pointwise(
      async (x) => {
        await sleep(40);
        return x[0];
      },
      { concurrency: 8 },
    );
    const t0 = performance.now();
    await f(points(8));
    expect(performance.now() - t0).toBeLessThan(8 * 40);
  });

  it('an evaluation past timeoutMs is marked failed (NaN), reported, aborted; the others are kept', async () => {
    const errors: [unknown, number][] = [];
    let aborted = 0;
    const f = pointwise(
      (x, { signal }) =>
        new Promise<number>((resolve) => {
          signal.addEventListener('abort', () => aborted++);
          if (x[0] !== 2) setTimeout(() => resolve(x[0]), 5);
          // point 2 never settles
        }),
      { timeoutMs: 60, concurrency: 2, onError: (e, k) => errors.push([e, k]) },
    );
    const out = await f(points(5));
    expect(Array.from(out as Float64Array)).toEqual([0, 1, Number.NaN, 3, 4]);
    expect(errors).toHaveLength(1);
    expect(errors[0][1]).toBe(2);
    expect(errors[0][0]).toBeInstanceOf(ValueError);
    expect((errors[0][0] as ValueError).argument).toBe('timeoutMs');
    expect(aborted).toBe(1);
    const { failed, values } = await evaluateBatch(f, points(5));
    expect(failed).toBe(1);
    expect(values[2]).toBe(Infinity);
  });

  it('a late result after a timeout does not overwrite the failure; a sync objective is never timed out', async () => {
    const f = pointwise(
      async (x) => {
        await sleep(x[0] === 0 ? 80 : 1);
        return 1;
      },
      { timeoutMs: 30 },
    );
    const out = (await f(points(2))) as Float64Array;
    expect(Number.isNaN(out[0])).toBe(true);
    await sleep(80);
    expect(Number.isNaN(out[0])).toBe(true);
    const g = pointwise((x) => x[0] + 1, { timeoutMs: 1 });
    expect(Array.from((await g(points(3))) as Float64Array)).toEqual([1, 2, 3]);
  });

  it('bad options are ValueErrors naming them; minimize runs on a concurrent pointwise objective', async () => {
    expect(() => pointwise(sphere, { concurrency: 0 })).toThrow(/concurrency/);
    expect(() => pointwise(sphere, { timeoutMs: -1 })).toThrow(/timeoutMs/);
    expect(() => pointwise(sphere, { concurency: 2 } as never)).toThrow(/concurrency/);
    const r = await minimize(
      pointwise(async (x) => sphere(x), { concurrency: 4 }),
      {
        x0: [1, 1],
        maxEvals: 300,
        seed: 1,
      },
    );
    const s = await minimize((xs) => xs.map(sphere), { x0: [1, 1], maxEvals: 300, seed: 1 });
    expect(r.x).toEqual(s.x);
  });
});
