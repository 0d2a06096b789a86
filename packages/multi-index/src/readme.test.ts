import { MultiIndexTarget } from './multiIndexTarget';
import { SphericalOnlineSGD } from './sphericalOnlineSGD';
import { coverage, matchNeurons } from './metrics';

describe('README example', () => {
  it('recovers the four directions of h₂ + h₄ at d = 32 and fits the second layer', () => {
    const target = new MultiIndexTarget({ d: 32, P: 4, link: { 2: 1, 4: 1 }, seed: 1 });
    const net = new SphericalOnlineSGD({ target, m: 12, seed: 1 });
    const fractions: number[] = [];
    const { history, evaluations } = net.run(target, { checkEvery: 500, progress: (f) => fractions.push(f) });
    expect(evaluations).toBe(320000);
    expect(history[history.length - 1].subspaceMass).toBeGreaterThan(0.9);
    const M = net.overlaps(target);
    expect(coverage(M)).toBeGreaterThan(0.95);
    expect(matchNeurons(M).minOverlap).toBeGreaterThan(0.95);
    net.fitSecondLayer(target, { n: 20000, lambda: 1e-4 });
    expect(net.relativeTestMSE(target)).toBeLessThan(0.1);
  });
});
