import { type AskTellStrategy, DescentError, ShapeError, ValueError, isStopReason } from '@descent/tensor';
import { checkDamagedBlobs, checkRoundTrip, fc } from '@descent/testkit';
import { CMAES } from './cmaEs';
import { GFSVGD } from './gfSvgd';
import { minimize } from './minimize';
import { rosenbrock, sphere } from './objectives';
import { SVCMAES } from './svCmaEs';
import { SVOpenAIES } from './svOpenAiEs';
import { gmm4Target } from './targets';

/** Runs `steps` ask/tell generations on a shifted sphere (with a failing candidate now and then); returns the asked candidates. */
function run(es: AskTellStrategy, steps: number): Float64Array[][] {
  const seen: Float64Array[][] = [];
  for (let g = 0; g < steps; g++) {
    const xs = es.ask();
    seen.push(xs);
    es.tell(
      xs,
      xs.map((x, k) => (k === 1 && g % 3 === 2 ? Number.NaN : sphere(x.map((v) => v - 0.3)))),
    );
  }
  return seen;
}

/** Generations, then optionally an `ask` whose batch stays pending (it must be saved). */
function advanced<T extends AskTellStrategy>(es: T, steps: number, pending: boolean): T {
  run(es, steps);
  if (pending) es.ask();
  return es;
}

const bounded = fc.option(fc.constantFrom('repair', 'penalty'), { nil: undefined });

const strategies = {
  CMAES: {
    arbitrary: fc.record({
      seed: fc.oneof(fc.integer(), fc.string({ maxLength: 6 })),
      dim: fc.integer({ min: 1, max: 4 }),
      steps: fc.nat(6),
      pending: fc.boolean(),
      bounds: bounded,
    }),
    make: ({
      seed,
      dim,
      steps,
      pending,
      bounds,
    }: {
      seed: number | string;
      dim: number;
      steps: number;
      pending: boolean;
      bounds?: 'repair' | 'penalty';
    }) =>
      advanced(
        new CMAES({
          mean0: new Float64Array(dim).fill(1),
          sigma0: 0.7,
          seed,
          ...(bounds ? { bounds: { lower: -0.5, upper: 2 }, boundHandling: bounds } : {}),
        }),
        steps,
        pending,
      ),
    fromJSON: (j: unknown) => CMAES.fromJSON(j),
  },
  SVCMAES: {
    arbitrary: fc.record({
      seed: fc.integer(),
      dim: fc.integer({ min: 1, max: 3 }),
      P: fc.integer({ min: 1, max: 4 }),
      steps: fc.nat(5),
      pending: fc.boolean(),
      bounds: bounded,
      driving: fc.constantFrom('own', 'kernel-averaged'),
    }),
    make: ({
      seed,
      dim,
      P,
      steps,
      pending,
      bounds,
      driving,
    }: {
      seed: number;
      dim: number;
      P: number;
      steps: number;
      pending: boolean;
      bounds?: 'repair' | 'penalty';
      driving: 'own' | 'kernel-averaged';
    }) =>
      advanced(
        new SVCMAES({
          means0: { lower: -1, upper: 1, count: P, dim },
          popSize: 4,
          sigma0: 0.4,
          seed,
          driving,
          kernel: { type: 'rbf', bandwidth: 'median' },
          ...(bounds ? { bounds: { lower: -0.5, upper: 2 }, boundHandling: bounds } : {}),
        }),
        steps,
        pending,
      ),
    fromJSON: (j: unknown) => SVCMAES.fromJSON(j),
  },
  SVOpenAIES: {
    arbitrary: fc.record({
      seed: fc.integer(),
      dim: fc.integer({ min: 1, max: 3 }),
      P: fc.integer({ min: 1, max: 4 }),
      steps: fc.nat(5),
      pending: fc.boolean(),
      optimizer: fc.constantFrom('sgd', 'adam'),
      bounds: fc.boolean(),
    }),
    make: ({
      seed,
      dim,
      P,
      steps,
      pending,
      optimizer,
      bounds,
    }: {
      seed: number;
      dim: number;
      P: number;
      steps: number;
      pending: boolean;
      optimizer: 'sgd' | 'adam';
      bounds: boolean;
    }) =>
      advanced(
        new SVOpenAIES({
          means0: { lower: -1, upper: 1, count: P, dim },
          popSize: 4,
          sigma0: 0.3,
          seed,
          optimizer,
          learningRate: 0.05,
          ...(bounds ? { bounds: { lower: -0.5, upper: 2 } } : {}),
        }),
        steps,
        pending,
      ),
    fromJSON: (j: unknown) => SVOpenAIES.fromJSON(j),
  },
  GFSVGD: {
    arbitrary: fc.record({
      n: fc.integer({ min: 2, max: 6 }),
      dim: fc.integer({ min: 1, max: 3 }),
      steps: fc.nat(5),
      seed: fc.integer({ min: 1, max: 1000 }),
    }),
    make: ({ n, dim, steps, seed }: { n: number; dim: number; steps: number; seed: number }) =>
      advanced(
        new GFSVGD(
          Array.from({ length: n }, (_, i) =>
            Array.from({ length: dim }, (_, c) => Math.sin(seed * (i + 1) + c)),
          ),
          { learningRate: 0.05 },
        ),
        steps,
        false,
      ),
    fromJSON: (j: unknown) => GFSVGD.fromJSON(j),
  },
};

/** A state with bounds and a pending batch where the strategy has them. */
const examples: Record<keyof typeof strategies, Record<string, unknown>> = {
  CMAES: { seed: 3, dim: 2, steps: 2, pending: true, bounds: 'penalty' },
  SVCMAES: { seed: 3, dim: 2, P: 2, steps: 2, pending: true, bounds: 'penalty', driving: 'own' },
  SVOpenAIES: { seed: 3, dim: 2, P: 2, steps: 2, pending: true, optimizer: 'adam', bounds: true },
  GFSVGD: { n: 3, dim: 2, steps: 2, seed: 3 },
};

describe.each(Object.keys(strategies) as (keyof typeof strategies)[])(
  '%s: protocol and serialisation',
  (name) => {
    const s = strategies[name] as unknown as {
      arbitrary: fc.Arbitrary<Record<string, unknown>>;
      make: (a: Record<string, unknown>) => AskTellStrategy & { toJSON(): { type: string; version: number } };
      fromJSON: (j: unknown) => AskTellStrategy & { toJSON(): { type: string; version: number } };
    };

    it('implements AskTellStrategy: the generic loop runs and stop() speaks the shared vocabulary', () => {
      const es: AskTellStrategy = s.make({ ...examples[name], steps: 0, pending: false });
      run(es, 3);
      expect(es.evaluations).toBeGreaterThan(0);
      expect(Number.isFinite(es.fBest)).toBe(true);
      expect(es.xBest).toBeInstanceOf(Float64Array);
      const r = es.stop();
      expect(r === null || isStopReason(r)).toBe(true);
    });

    it('random states (pending batches included) → toJSON → JSON text → fromJSON continue bit for bit', () => {
      checkRoundTrip({
        arbitrary: s.arbitrary,
        make: s.make,
        fromJSON: s.fromJSON,
        advance: (es) => run(es, 3),
        numRuns: 12,
      });
    });

    it('damaged blobs (truncation, type swaps, nulls, huge numbers, …) give a typed error naming the field, or a sound strategy', () => {
      const blob = s.make(examples[name]).toJSON();
      const report = checkDamagedBlobs({ blob, fromJSON: s.fromJSON, probe: (es) => run(es, 2) });
      expect(report.typedErrors).toBeGreaterThan(report.tried / 2);
    });

    it('fromJSON(null), fromJSON({}), another type and version 2 are ValueErrors', () => {
      const blob = s.make(examples[name]).toJSON();
      expect(() => s.fromJSON(null)).toThrow(ValueError);
      expect(() => s.fromJSON({})).toThrow(ValueError);
      expect(() => s.fromJSON({ ...blob, type: 'Other' })).toThrow(/type must be/);
      expect(() => s.fromJSON({ ...blob, version: 2 })).toThrow(/version must be 1/);
    });
  },
);

describe('issue 11: silent failures in stein-es are typed errors now', () => {
  it('gmm4Target(2).negLogP([0]) (and a length-3 point) is a ShapeError naming x, not NaN', () => {
    const t = gmm4Target(2);
    expect(() => t.negLogP([0])).toThrow(ShapeError);
    expect(() => t.negLogP([0, 0, 0])).toThrow('x must have length 2, got 3');
    expect(() => t.gradLogP([Number.NaN, 0])).toThrow(ValueError);
    expect(() => t.sample(-1, undefined as never)).toThrow(ValueError);
  });

  it('minimize when every evaluation throws or returns NaN: a ValueError naming f (not "maxEvals is smaller than one generation")', async () => {
    const throws = () => {
      throw new Error('boom');
    };
    await expect(minimize(throws, { x0: [1, 1], maxEvals: 500 })).rejects.toMatchObject({
      name: 'ValueError',
      argument: 'f',
    });
    await expect(minimize((xs) => xs.map(() => Number.NaN), { x0: [1, 1] })).rejects.toThrow(
      /f failed on every one of the \d+ evaluations/,
    );
    await expect(minimize((xs) => xs.map(rosenbrock), { x0: [1, 1], maxEvals: 3 })).rejects.toThrow(
      /maxEvals \(3\) is smaller than one generation/,
    );
  });

  it('SVOpenAIES.tell without ask is a ValueError (never silently new noise)', () => {
    const es = new SVOpenAIES({ means0: [[0, 0]], popSize: 4, seed: 1 });
    expect(() =>
      es.tell(
        [
          [0, 0],
          [0, 0],
          [0, 0],
          [0, 0],
        ],
        [1, 2, 3, 4],
      ),
    ).toThrow(/call ask\(\) first/);
  });

  it('SVOpenAIES.tell uses the candidates it is given (injection): doubled perturbations double the step', () => {
    const make = () =>
      new SVOpenAIES({
        means0: [[0.5, -0.5]],
        popSize: 6,
        sigma0: 0.2,
        alpha: 0,
        learningRate: 0.1,
        seed: 5,
      });
    const a = make();
    const b = make();
    const xs = a.ask();
    b.ask();
    const m0 = a.means[0];
    const f = xs.map(sphere); // the same fitness (hence ranks) for both
    a.tell(xs, f);
    b.tell(
      xs.map((x) => x.map((v, c) => m0[c] + 2 * (v - m0[c]))),
      f,
    );
    const stepA = a.means[0].map((v, c) => v - m0[c]);
    const stepB = b.means[0].map((v, c) => v - m0[c]);
    for (let c = 0; c < 2; c++) expect(stepB[c]).toBeCloseTo(2 * stepA[c], 12);
  });

  it('CMAES saved between ask and tell restores its pending batch', () => {
    const a = new CMAES({ mean0: [1, 2], sigma0: 0.5, seed: 4 });
    const asked = a.ask();
    const b = CMAES.fromJSON(JSON.stringify(a.toJSON()));
    expect(b.ask()).toEqual(asked);
  });

  it('SVCMAES with P = 1 is CMAES with default options (one CMA default set)', () => {
    const sv = new SVCMAES({ means0: [[0.2, -0.1, 0.4]], sigma0: 0.6, seed: 'x' });
    const es = new CMAES({ mean0: [0.2, -0.1, 0.4], sigma0: 0.6, seed: 'x' });
    expect(run(sv, 25)).toEqual(run(es, 25));
    expect(sv.means[0]).toEqual(es.mean);
  });

  it('old option names say the new ones; the Gaussian kernel has one parametrisation', () => {
    expect(() => new CMAES({ mean0: [0], sigma0: 1, maxIter: 5 } as never)).toThrow(
      'maxIter was renamed to maxSteps',
    );
    expect(() => new SVCMAES({ means0: [[0]], kernel: { std: 1 } } as never)).toThrow(
      "{ type: 'rbf', bandwidth: 1 }",
    );
    expect(() => new GFSVGD([[0], [1]], { stepSize: 0.1 } as never)).toThrow(
      'stepSize was renamed to learningRate',
    );
    expect(() => new CMAES({ mean0: [0], sigma0: 1, popsize: 5 } as never)).toThrow(/did you mean popSize/);
  });

  it('every typed error is a DescentError naming its argument', () => {
    try {
      new CMAES({ mean0: [0, 0], sigma0: -1 });
    } catch (e) {
      expect(e).toBeInstanceOf(DescentError);
      expect((e as DescentError).argument).toBe('sigma0');
    }
  });
});
