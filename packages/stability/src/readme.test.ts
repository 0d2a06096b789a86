/**
 * The README's runnable example, run as a test: its printed lines must be the ones the README
 * shows (everything is seeded, so they are exact).
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { erm } from './erm';
import { leastSquaresFamily } from './families';
import { rateExperiment, stabilityExperiment } from './rateExperiment';
import { sgd } from './sgd';

describe('README example', () => {
  it('prints what the README says', () => {
    const readme = readFileSync(join(__dirname, '..', 'README.md'), 'utf8');
    const shown = /It prints[^\n]*\n\n```text\n([\s\S]*?)```/.exec(readme);
    expect(shown).not.toBeNull();
    const lines: string[] = [];
    const ns = [100, 200, 400, 800, 1600];
    for (const regime of ['fixed', 'low'] as const) {
      for (const algorithm of [erm(), sgd({ steps: 'n' })]) {
        const r = rateExperiment({
          family: leastSquaresFamily(regime),
          algorithm,
          ns,
          repetitions: 50,
          seed: 1,
        });
        const q95 = r.slopes.quantiles[r.quantileLevels.indexOf(0.95)].slope;
        lines.push(
          `${regime} ${algorithm.name}: slope of the mean ${r.slopes.mean.slope.toFixed(2)}, of the 95% quantile ${q95.toFixed(2)}`,
        );
      }
    }
    const beta = stabilityExperiment({
      family: leastSquaresFamily('fixed'),
      algorithm: erm(),
      ns,
      replacements: 20,
      seed: 1,
    });
    lines.push(
      `β̂·n: ${beta.points.map((p) => p.betaTimesN.toFixed(1)).join(' ')} (β̂ slope ${beta.slope.slope.toFixed(2)})`,
    );
    expect(lines.join('\n')).toBe((shown as RegExpExecArray)[1].trim());
  });
});
