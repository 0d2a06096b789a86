import { leastSquaresFamily, erm, sgd, pgd, stabilityExperiment } from './src/index.ts';
const ns = [100, 200, 400, 800, 1600, 3200];
for (let seed = 0; seed < 6; seed++) {
  const out: string[] = [];
  for (const [alg, coins, reps] of [
    [erm(), 1, 20],
    [pgd(), 1, 20],
    [sgd(), 10, 10],
  ] as const) {
    const t0 = performance.now();
    const b = stabilityExperiment({
      family: leastSquaresFamily('fixed'),
      algorithm: alg,
      ns,
      seed,
      replacements: reps,
      datasets: 3,
      coins,
    });
    const bn = b.points.map((p) => p.betaTimesN);
    out.push(
      `${alg.name} ratio ${(Math.max(...bn) / Math.min(...bn)).toFixed(2)} slope ${b.slope.slope.toFixed(2)} ${(performance.now() - t0).toFixed(0)}ms`,
    );
  }
  console.log(seed, out.join(' | '));
}
