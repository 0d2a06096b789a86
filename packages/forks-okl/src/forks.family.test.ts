/**
 * FORKS across the problem class, with its default options (issue 16): stationary streams from
 * Gaussian-kernel teachers of several dimensions, widths and anchor counts (PROS-N-KONS, the
 * exact second-order method with the same budget, is the reference), and the paper's adversarial
 * stream (alternating label flips), where the restarted learner matters.
 */
import { Matrix, medianHeuristic } from '@descent/tensor';
import { Nogd } from './baselines/nogd';
import { ProsNKons } from './baselines/prosNKons';
import { SkeGd } from './baselines/skeGd';
import { loadDataset } from './node';
import { evaluateOnline } from './evaluate';
import { Forks, referenceForksOptions } from './forks';
import { adversarialBlocks, kernelTeacher, standardize } from './streams';

const rate = (l: Parameters<typeof evaluateOnline>[0], s: Parameters<typeof evaluateOnline>[1]) => evaluateOnline(l, s, { timeRounds: false }).mistakeRate;

describe('FORKS defaults across the family', () => {
  // (dim, teacher width relative to √dim, anchors, seed)
  const family: [number, number, number, number][] = [
    [5, 1, 30, 1],
    [10, 1, 30, 2],
    [10, 0.5, 30, 1],
    [10, 2, 10, 2],
    [20, 0.7, 60, 2],
  ];

  it.each(family)('stationary kernel teacher (dim %i, width %f, %i anchors, seed %i): FORKS() errs at most 10% more than PROS-N-KONS', (dim, width, anchors, seed) => {
    const s = kernelTeacher({ n: 2500, dim, width, anchors, seed });
    const sigma = medianHeuristic(Matrix.from(s.X.slice(0, 100)), { variant: 'median' });
    const forks = rate(new Forks({ seed }), s);
    const pnk = rate(new ProsNKons({ kernel: { type: 'rbf', bandwidth: sigma }, seed }), s);
    expect(forks).toBeLessThanOrEqual(1.1 * pnk);
  });

  it("the reference code's FORKS (σ = 50, restart after every sketch update, ρ = 24) is near chance on the same streams", () => {
    const s = kernelTeacher({ n: 2500, dim: 10, seed: 2 });
    expect(rate(new Forks({ ...referenceForksOptions(5000), seed: 2 }), s)).toBeGreaterThan(0.35);
  });

  it('german-adversarial (the paper’s construction, 5000 rounds): FORKS() errs far less than PROS-N-KONS, SkeGD and NOGD, 2 seeds', () => {
    const german = standardize(loadDataset('german'));
    for (const seed of [0, 1]) {
      const s = adversarialBlocks(german, { blocks: 500, repeats: 10, seed });
      const sigma = medianHeuristic(Matrix.from(s.X.slice(0, 100)), { variant: 'median' });
      const kernel = { type: 'rbf' as const, bandwidth: sigma };
      const forks = rate(new Forks({ seed }), s);
      const others = [rate(new ProsNKons({ kernel, seed }), s), rate(new SkeGd({ kernel, seed }), s), rate(new Nogd({ kernel }), s)];
      expect(forks).toBeLessThan(Math.min(...others) - 0.05);
      expect(forks).toBeLessThan(0.1);
    }
  });
});
