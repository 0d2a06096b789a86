/**
 * The deterministic baselines on ridge (paper notes §5.2 item 4): reverse = forward mode on the
 * same finite computation; both → the IFT value; truncated reverse from θ* = Neumann; CG with
 * K = d reaches the exact IFT value; Neumann converges monotonically; T1–T2 is its one-step
 * formula; DARTS-FD → T1–T2 at the look-ahead point; DARTS first order and "ignore" are 0 for a
 * pure regulariser.
 */
import { inv, matvec, maxRelativeError } from '@descent/tensor';
import type { BilevelProblem } from './problem';
import { iftCG, iftNeumann } from './ift';
import { dartsFD, dartsFirstOrder, ignoreHypergradient, t1t2 } from './oneStep';
import { smallRidge } from './testing';
import { forwardMode, unrolledReverse } from './unrolled';
import { errorArgument } from '@descent/testkit';

const norm = (x: ArrayLike<number>) => Math.sqrt(Array.from(x).reduce((s, v) => s + v * v, 0));
const diff = (a: ArrayLike<number>, b: ArrayLike<number>) => norm(Array.from(a, (v, i) => v - b[i]));

describe('deterministic baselines on ridge', () => {
  for (const [seed, penalty] of [
    [1, 'perParameter'],
    [2, 'scalar'],
    [3, 'perParameter'],
  ] as const) {
    const { problem, lambda, lmax } = smallRidge(seed, penalty, 6);
    const eta = 1 / lmax;
    const det = problem.hypergradient(lambda);
    const theta0 = Float64Array.from({ length: problem.dim }, (_, i) => 0.3 * Math.cos(i));

    it(`reverse and forward mode give the same derivative of T steps; both → IFT as T grows (seed ${seed}, ${penalty})`, () => {
      for (const T of [1, 5, 40]) {
        const o = { innerSteps: T, innerLearningRate: eta };
        const r = unrolledReverse(o).estimate(problem, lambda, { theta0 });
        const f = forwardMode(o).estimate(problem, lambda, { theta0 });
        expect(maxRelativeError(r.hypergradient, f.hypergradient)).toBeLessThan(1e-10);
        expect(r.outerValue).toBe(f.outerValue);
        // and the same with finite-difference products
        const rf = unrolledReverse({ ...o, secondOrder: 'fd' }).estimate(problem, lambda, { theta0 });
        expect(maxRelativeError(rf.hypergradient, r.hypergradient)).toBeLessThan(1e-6);
      }
      const long = unrolledReverse({ innerSteps: 3000, innerLearningRate: eta }).estimate(problem, lambda, { theta0 });
      expect(maxRelativeError(long.hypergradient, det)).toBeLessThan(1e-6);
    });

    it(`truncated reverse from θ* is the K-term Neumann series; full truncation = full unrolling (seed ${seed})`, () => {
      const star = problem.innerMinimizer(lambda);
      for (const K of [1, 3, 10]) {
        const tr = unrolledReverse({ innerSteps: 50, innerLearningRate: eta, truncate: K }).estimate(problem, lambda, { theta0: star });
        const ne = iftNeumann({ innerSteps: 0, innerLearningRate: eta, terms: K - 1 }).estimate(problem, lambda, { theta0: star });
        expect(maxRelativeError(tr.hypergradient, ne.hypergradient)).toBeLessThan(1e-9);
      }
      const full = unrolledReverse({ innerSteps: 30, innerLearningRate: eta }).estimate(problem, lambda, { theta0 });
      const same = unrolledReverse({ innerSteps: 30, innerLearningRate: eta, truncate: 30 }).estimate(problem, lambda, { theta0 });
      expect(same.hypergradient).toEqual(full.hypergradient);
    });

    it(`CG with K = d reaches the exact IFT value; the Neumann solution error decreases monotonically in K (seed ${seed})`, () => {
      const star = problem.innerMinimizer(lambda);
      const cg = iftCG({ innerSteps: 0, innerLearningRate: eta, maxIter: problem.dim }).estimate(problem, lambda, { theta0: star });
      expect(maxRelativeError(cg.hypergradient, det)).toBeLessThan(1e-8);
      // with B = I (a wrapper whose mixed VJP is the identity) the estimate is −v: the solve itself
      const l = Float64Array.from(lambda);
      const solveOnly: BilevelProblem = {
        dim: problem.dim,
        hyperDim: problem.dim,
        innerGradient: (t) => problem.innerGradient(t, l),
        innerHyperGradient: (t) => t,
        outerValue: (t) => problem.outerValue(t, l),
        outerGradient: (t) => problem.outerGradient(t, l),
        innerHvp: (t, _u, v) => problem.innerHvp(t, l, v),
        innerMixedVjp: (_t, _u, v) => v,
      };
      const vStar = matvec(inv(problem.hessian(l)), problem.outerGradient(star, l));
      const u = new Float64Array(problem.dim);
      let last = Number.POSITIVE_INFINITY;
      for (const K of [0, 1, 2, 5, 10, 20, 50, 100]) {
        const ne = iftNeumann({ innerSteps: 0, innerLearningRate: eta, terms: K }).estimate(solveOnly, u, { theta0: star });
        const err = diff(Array.from(ne.hypergradient, (x) => -x), vStar);
        expect(err).toBeLessThanOrEqual(last * (1 + 1e-12));
        last = err;
      }
      expect(last / norm(vStar)).toBeLessThan(0.05);
    });

    it(`T1–T2 is ∇_λL_V(θ_T) − ηB(θ_{T−1})ᵀ∇_θL_V(θ_T); DARTS-FD equals it at the look-ahead point (seed ${seed})`, () => {
      const T = 7;
      const o = { innerSteps: T, innerLearningRate: eta };
      const r = t1t2(o).estimate(problem, lambda, { theta0 });
      // by hand: θ_{T−1} then one step
      const prev = Float64Array.from(theta0);
      for (let t = 0; t < T - 1; t++) {
        const g = problem.innerGradient(prev, lambda);
        for (let i = 0; i < prev.length; i++) prev[i] -= eta * g[i];
      }
      const g = problem.innerGradient(prev, lambda);
      const last = prev.map((x, i) => x - eta * g[i]);
      const gv = problem.outerGradient(last, lambda);
      const byHand = Float64Array.from(problem.innerMixedVjp(prev, lambda, gv), (x) => -eta * x);
      expect(maxRelativeError(r.hypergradient, byHand)).toBeLessThan(1e-12);
      // DARTS with T − 1 inner steps looks ahead to θ_T: ∇_λL_T = ½θ² is quadratic, so the FD is exact
      const darts = dartsFD({ innerSteps: T - 1, innerLearningRate: eta }).estimate(problem, lambda, { theta0 });
      expect(maxRelativeError(darts.hypergradient, r.hypergradient)).toBeLessThan(1e-8);
    });

    it(`DARTS first order and "ignore" are 0 for a pure regulariser (seed ${seed})`, () => {
      const o = { innerSteps: 5, innerLearningRate: eta };
      expect(Array.from(dartsFirstOrder(o).estimate(problem, lambda).hypergradient)).toEqual(new Array(problem.hyperDim).fill(0));
      expect(Array.from(ignoreHypergradient(o).estimate(problem, lambda).hypergradient)).toEqual(new Array(problem.hyperDim).fill(0));
    });
  }

  it('bad input: typed errors naming the argument', () => {
    const { problem, lambda } = smallRidge(1);
    expect(errorArgument(() => unrolledReverse({} as never))).toBe('innerLearningRate');
    expect(errorArgument(() => unrolledReverse({ innerLearningRate: 0.1, truncate: -1 }))).toBe('truncate');
    expect(errorArgument(() => iftCG({ innerLearningRate: 0.1, damping: -1 }))).toBe('damping');
    expect(() => iftCG({ innerLearningRate: 0.1, iterations: 5 } as never)).toThrow(/maxIter/);
    expect(errorArgument(() => iftNeumann({ innerLearningRate: 0.1, terms: 1.5 }))).toBe('terms');
    expect(errorArgument(() => dartsFD({ innerLearningRate: 0.1, epsScale: 0 }))).toBe('epsScale');
    expect(errorArgument(() => t1t2({ innerLearningRate: 100, innerSteps: 100 }).estimate(problem, lambda))).toBe('innerLearningRate');
    expect(errorArgument(() => forwardMode({ innerLearningRate: 0.01 }).estimate(problem, [1]))).toBe('lambda');
    expect(errorArgument(() => forwardMode({ innerLearningRate: 0.01 }).estimate(problem, lambda, { theta0: [[0, 0, 0, 0], [0, 0, 0, 0]] }))).toBe(
      'context.theta0',
    );
  });
});
