import { ConvergenceError, Rng, ValueError } from '@descent/tensor';
import { projectToBall } from './ball';
import { erm } from './erm';
import { LeastSquaresProblem } from './leastSquares';
import { LogisticProblem } from './logistic';
import { defaultPgdSteps, pgd } from './pgd';
import { empiricalGradient, empiricalRisk, empiricalSmoothness } from './problem';
import { sgd } from './sgd';

const norm = (v: ArrayLike<number>) => Math.sqrt(Array.from(v).reduce((a, b) => a + b * b, 0));

describe('erm', () => {
  it('drives the empirical gradient of logistic regression to rounding level, in a few Newton steps', () => {
    const p = new LogisticProblem({ separation: 2, center: 'zero' });
    const S = p.sample(500, new Rng(1));
    const fit = erm().fit(p, S, new Rng(0));
    expect(norm(empiricalGradient(p, S, fit.w))).toBeLessThan(1e-14);
    expect(fit.steps).toBeLessThan(10);
  });

  it('throws ConvergenceError naming maxSteps when the budget is too small', () => {
    const p = new LogisticProblem({ separation: 2 });
    const S = p.sample(200, new Rng(1));
    expect(() => erm({ maxSteps: 1 }).fit(p, S, new Rng(0))).toThrow(ConvergenceError);
    expect(() => erm({ maxSteps: 1 }).fit(p, S, new Rng(0))).toThrow(/maxSteps = 1/);
  });
});

describe('pgd', () => {
  it('with T = ⌈2κ ln n⌉ its optimisation error is far below the statistical error', () => {
    for (const p of [
      new LeastSquaresProblem({ noiseVariance: 1 / 800 }),
      new LogisticProblem({ separation: 3 }),
    ]) {
      const S = p.sample(800, new Rng(3));
      const exact = erm().fit(p, S, new Rng(0)).w;
      const fit = pgd().fit(p, S, new Rng(0));
      const kappa = empiricalSmoothness(p, S) / p.lambda;
      expect(fit.steps).toBe(defaultPgdSteps(800, kappa));
      const stat = p.excessRisk(exact);
      expect(Math.abs(p.excessRisk(fit.w) - stat)).toBeLessThan(1e-3 * stat);
    }
  });

  it('stays in the ball and converges to the constrained minimiser when the ball cuts the ERM off', () => {
    const p = new LeastSquaresProblem({ truth: [3, 0, 0, 0, 0], center: 'zero', noiseVariance: 0.01 });
    const S = p.sample(200, new Rng(4));
    const fit = pgd({ radius: 1, maxSteps: 2000 }).fit(p, S, new Rng(0));
    expect(norm(fit.w)).toBeCloseTo(1, 12);
    // KKT: the gradient points inwards along w
    const g = empiricalGradient(p, S, fit.w);
    const cos = -Array.from(g).reduce((a, v, j) => a + v * fit.w[j], 0) / (norm(g) * norm(fit.w));
    expect(cos).toBeCloseTo(1, 8);
  });

  it('validates options', () => {
    expect(() => pgd({ radius: 0 })).toThrow(/radius must be > 0/);
    expect(() => pgd({ learningRate: -1 })).toThrow(/learningRate/);
    expect(() => pgd({ maxSteps: 1.5 })).toThrow(/maxSteps must be an integer/);
    expect(() => pgd({ maxSteps: 'many' as never })).toThrow(ValueError);
    const p = new LeastSquaresProblem();
    expect(() => pgd({ init: [1, 2] }).fit(p, p.sample(10, new Rng(0)), new Rng(0))).toThrow(
      /init must have length 5/,
    );
  });
});

describe('sgd', () => {
  it('is deterministic given the rng, and its coins matter', () => {
    const p = new LeastSquaresProblem();
    const S = p.sample(300, new Rng(1));
    const a = sgd().fit(p, S, new Rng(7)).w;
    const b = sgd().fit(p, S, new Rng(7)).w;
    const c = sgd().fit(p, S, new Rng(8)).w;
    expect(Array.from(a)).toEqual(Array.from(b));
    expect(Array.from(a)).not.toEqual(Array.from(c));
  });

  it('approaches ERM as T grows (T = n² much closer than T = n), last iterate and suffix average', () => {
    const p = new LeastSquaresProblem();
    const S = p.sample(200, new Rng(2));
    const exact = erm().fit(p, S, new Rng(0)).w;
    const dist = (w: Float64Array) => norm(w.map((v, j) => v - exact[j]));
    const dn = dist(sgd({ maxSteps: 'n' }).fit(p, S, new Rng(3)).w);
    const dn2 = dist(sgd({ maxSteps: 'n2' }).fit(p, S, new Rng(3)).w);
    const dn2s = dist(sgd({ maxSteps: 'n2', output: 'suffix' }).fit(p, S, new Rng(3)).w);
    expect(dn2).toBeLessThan(dn / 5);
    expect(dn2s).toBeLessThan(dn / 5);
    expect(sgd({ maxSteps: 'n2' }).fit(p, S, new Rng(3)).steps).toBe(40000);
    expect(sgd({ maxSteps: 'n2' }).name).toBe('SGD T=n²');
  });

  it('projects every iterate onto the ball', () => {
    const p = new LeastSquaresProblem({ truth: [2, 2, 2, 2, 2] });
    const S = p.sample(100, new Rng(5));
    expect(norm(sgd({ radius: 0.5 }).fit(p, S, new Rng(1)).w)).toBeLessThanOrEqual(0.5 + 1e-15);
  });

  it('validates options', () => {
    expect(() => sgd({ maxSteps: 'n3' as never })).toThrow(/maxSteps must be an integer/);
    expect(() => sgd({ output: 'mean' as never })).toThrow(/output must be one of 'last', 'suffix'/);
    expect(() => sgd({ learningRate: -1 })).toThrow(/learningRate/);
    const p = new LeastSquaresProblem();
    expect(() => sgd({ learningRate: () => Number.NaN }).fit(p, p.sample(5, new Rng(0)), new Rng(0))).toThrow(
      /learningRate must evaluate to a finite number/,
    );
  });
});

describe('projectToBall', () => {
  it('projects radially and leaves interior points alone', () => {
    const w = projectToBall(Float64Array.from([3, 4]), 1);
    expect(w[0]).toBeCloseTo(0.6, 15);
    expect(w[1]).toBeCloseTo(0.8, 15);
    expect(Array.from(projectToBall(Float64Array.from([0.3, 0.4]), 1))).toEqual([0.3, 0.4]);
    expect(() => projectToBall(Float64Array.from([1]), -1)).toThrow(/radius/);
  });
});

describe('fit results are RunResults (issue 11)', () => {
  const p = new LogisticProblem({ separation: 2 });
  const S = p.sample(100, new Rng(1));

  it('stop reasons: erm converged, pgd and sgd ran their T steps; history is off by default', () => {
    const e = erm().fit(p, S, new Rng(0));
    expect(e.stopReason).toBe('converged');
    expect(e.history).toEqual([]);
    expect(e.timeMs).toBeGreaterThanOrEqual(0);
    const g = pgd({ maxSteps: 7 }).fit(p, S, new Rng(0));
    expect([g.stopReason, g.steps, g.evaluations, g.history.length]).toEqual(['maxSteps', 7, 700, 0]);
    const s = sgd({ maxSteps: 30 }).fit(p, S, new Rng(0));
    expect([s.stopReason, s.steps, s.evaluations]).toEqual(['maxSteps', 30, 30]);
  });

  it('historyEvery records F_S at step 0, every k steps and at the last step, without changing the fit', () => {
    const plain = pgd({ maxSteps: 25 }).fit(p, S, new Rng(0));
    const logged = pgd({ maxSteps: 25, historyEvery: 10 }).fit(p, S, new Rng(0));
    expect(Array.from(logged.w)).toEqual(Array.from(plain.w));
    expect(logged.history.map((h) => h.step)).toEqual([0, 10, 20, 25]);
    expect(logged.history.at(-1)?.empiricalRisk).toBe(empiricalRisk(p, S, plain.w));
    // full-batch GD with step 1/L_S decreases F_S monotonically
    const risks = logged.history.map((h) => h.empiricalRisk);
    for (let i = 1; i < risks.length; i++) expect(risks[i]).toBeLessThanOrEqual(risks[i - 1]);

    const newton = erm({ historyEvery: 1 }).fit(p, S, new Rng(0));
    expect(newton.history.map((h) => h.step)).toEqual(Array.from({ length: newton.steps + 1 }, (_, i) => i));
    const suffix = sgd({ maxSteps: 40, output: 'suffix', historyEvery: 40 }).fit(p, S, new Rng(3));
    expect(suffix.history.map((h) => h.step)).toEqual([0, 40]);
    expect(suffix.history[1].empiricalRisk).toBe(empiricalRisk(p, S, suffix.w)); // the returned (averaged) w
  });

  it('the old option name steps is a ValueError naming maxSteps; historyEvery must be an integer ≥ 0', () => {
    expect(() => pgd({ steps: 10 } as never)).toThrow('steps was renamed to maxSteps');
    expect(() => sgd({ steps: 'n' } as never)).toThrow(ValueError);
    expect(() => erm({ historyEvery: -1 })).toThrow(/historyEvery must be/);
    expect(() => sgd({ historyEvery: 0.5 })).toThrow(/historyEvery must be an integer/);
  });
});
