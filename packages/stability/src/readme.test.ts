/**
 * The README's runnable example, run as a test: every `// prints:` comment must be what the code
 * prints (everything is seeded, so the values are exact).
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Algorithm } from './algorithm';
import { erm } from './erm';
import { type LeastSquaresRegime, leastSquaresFamily } from './families';
import { rateExperiment, stabilityExperiment } from './rateExperiment';
import { sgd } from './sgd';

describe('README example', () => {
  it('prints what its // prints: comments say', () => {
    const readme = readFileSync(join(__dirname, '..', 'README.md'), 'utf8');
    const example = /```ts\n([\s\S]*?)```/.exec(readme)?.[1] ?? '';
    const promised = [...example.matchAll(/\/\/ prints: (.*)$/gm)].map((m) => m[1].trim());
    const ns = [100, 200, 400, 800, 1600];
    const slopes = (regime: LeastSquaresRegime, algorithm: Algorithm) => {
      const r = rateExperiment({ family: leastSquaresFamily(regime), algorithm, ns, repetitions: 50, seed: 1 });
      const q95 = r.slopes.quantiles[r.quantileLevels.indexOf(0.95)].slope;
      return `${r.slopes.mean.slope.toFixed(2)} ${q95.toFixed(2)}`;
    };
    const beta = stabilityExperiment({ family: leastSquaresFamily('fixed'), algorithm: erm(), ns, replacements: 20, seed: 1 });
    expect(promised).toEqual([
      slopes('fixed', erm()),
      slopes('low', erm()),
      slopes('fixed', sgd({ maxSteps: 'n' })),
      slopes('low', sgd({ maxSteps: 'n' })),
      beta.points.map((p) => p.betaTimesN.toFixed(1)).join(' '),
    ]);
  });
});
