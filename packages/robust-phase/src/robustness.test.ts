/**
 * The paper's claim in miniature (thresholds from the reference notes §5.2, n = 64, m = 8n):
 * plain WF breaks under 5% corruption while robust WF does not; median-TWF, robust only to response
 * outliers, breaks on the 10% covariate spike while robust WF does not; heavy-tailed zero-mean noise
 * gives a bounded error that grows with the noise scale; the pair-difference pipeline beats WF under
 * noise with an unknown non-zero mean.
 */
import {
  contaminate,
  makeGaussianProblem,
  medianTWF,
  relativeError,
  robustPhaseRetrieval,
  robustWF,
  wirtingerFlow,
} from './index';

const n = 64;
const median = (v: number[]) => [...v].sort((a, b) => a - b)[Math.floor(v.length / 2)];

describe('adversarial corruption (n = 64, m = 8n)', () => {
  const clean = makeGaussianProblem({ n, seed: 1 });
  it('5% response outliers: plain WF fails (> 0.5), robust WF (trimmed) stays < 1e-2', () => {
    const p = contaminate(clean, { eta: 0.05, kind: 'response', seed: 1 });
    expect(relativeError(wirtingerFlow(p.A, p.y).x, p.x)).toBeGreaterThan(0.5);
    expect(relativeError(robustWF(p.A, p.y, { eta: 0.05 }).x, p.x)).toBeLessThan(1e-2);
  });
  it('10% NLT covariate spike: median-TWF fails (> 0.3), robust WF stays < 2e-2', () => {
    const p = contaminate(clean, { eta: 0.1, kind: 'nlt-spike', seed: 1 });
    expect(relativeError(medianTWF(p.A, p.y).x, p.x)).toBeGreaterThan(0.3);
    expect(relativeError(robustWF(p.A, p.y, { eta: 0.1 }).x, p.x)).toBeLessThan(2e-2);
  });
});

describe('heavy-tailed zero-mean noise (Student-t, ν = 4.5)', () => {
  it('scale 0.5: robust WF error < 0.3 (n = 64)', () => {
    const p = makeGaussianProblem({ n, seed: 2, noise: { kind: 'student', scale: 0.5 } });
    expect(
      relativeError(robustPhaseRetrieval(p.A, p.y, { noise: 'zero-mean', eta: 0.05 }).x, p.x),
    ).toBeLessThan(0.3);
  });
  it('the error (median of 3 seeds) is monotone non-decreasing in the noise scale 0.1, 0.5, 1 (n = 32)', () => {
    const errs = [0.1, 0.5, 1].map((scale) =>
      median(
        [1, 2, 3].map((seed) => {
          const p = makeGaussianProblem({ n: 32, seed, noise: { kind: 'student', scale } });
          return relativeError(robustWF(p.A, p.y, { eta: 0.05, seed }).x, p.x);
        }),
      ),
    );
    expect(errs[1]).toBeGreaterThanOrEqual(errs[0]);
    expect(errs[2]).toBeGreaterThanOrEqual(errs[1]);
    expect(errs[2]).toBeLessThan(1);
  });
});

describe('noise with an unknown non-zero mean (log-normal · 0.5, 16n raw samples)', () => {
  it('the pair-difference pipeline beats WF: pipe < 0.8·WF (median of 3 seeds)', () => {
    const wf: number[] = [];
    const pipe: number[] = [];
    for (const seed of [1, 2, 3]) {
      const p = makeGaussianProblem({ n, m: 16 * n, seed, noise: { kind: 'lognormal', scale: 0.5 } });
      wf.push(relativeError(wirtingerFlow(p.A, p.y).x, p.x));
      pipe.push(relativeError(robustPhaseRetrieval(p.A, p.y, { noise: 'unknown', eta: 0.05, seed }).x, p.x));
    }
    expect(median(pipe)).toBeLessThan(0.8 * median(wf));
  });
});
