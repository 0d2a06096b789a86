/**
 * The hyperbola-valley miniature of the late-phase mechanism (sam-dynamics.md §2.5): top
 * eigenvalue at the end of 3,000 noisy steps for GD, full SAM/USAM, late SAM/USAM for the last
 * 50/10/3/1% of the steps, and SAM for the first half then GD.
 * @module
 */
import { type BenchContext, type BenchRecord, recordMedian } from '@descent/tensor';
import { hyperbolaValley, simulateToy, switchSchedule } from '../src/index';

const SETTINGS = [
  { method: 'usam', learningRate: 0.25, rho: 0.1 },
  { method: 'sam', learningRate: 0.25, rho: 0.05 },
  { method: 'sam', learningRate: 0.1, rho: 0.05 },
] as const;
const T = 3000;

export function runValley(ctx: BenchContext): BenchRecord[] {
  const valley = hyperbolaValley();
  const out: BenchRecord[] = [];
  for (const s of SETTINGS) {
    const setting = `${s.method.toUpperCase()} η=${s.learningRate} ρ=${s.rho}`;
    const common = {
      start: [2.8, 0.06],
      steps: T,
      learningRate: s.learningRate,
      rho: s.rho,
      noise: 1e-3,
      seed: ctx.seed,
    };
    const arms: Array<[string, number, ReturnType<typeof simulateToy>]> = [
      ['GD only', 0, simulateToy(valley, common)],
      ['full SAM', 1, simulateToy(valley, { ...common, method: s.method })],
    ];
    for (const frac of [0.5, 0.1, 0.03, 0.01]) {
      const schedule = switchSchedule({ totalSteps: T, at: { lastSteps: Math.round(frac * T) } });
      arms.push([
        `GD→SAM last ${frac * 100}%`,
        frac,
        simulateToy(valley, { ...common, method: s.method, schedule }),
      ]);
    }
    const early = switchSchedule({ totalSteps: T, at: { step: T / 2 }, direction: 'early' });
    arms.push(['SAM 50% → GD', 0.5, simulateToy(valley, { ...common, method: s.method, schedule: early })]);
    for (const [arm, samFraction, r] of arms)
      out.push({
        method: arm,
        metric: 'top eigenvalue',
        value: r.topEigenvalue,
        params: { setting, samFraction },
      });
  }
  return out;
}

export function valleyVerdict(records: BenchRecord[]): string {
  const med = (arm: string, setting: string) =>
    recordMedian(records, { method: arm, params: { setting } }) ?? Number.NaN;
  const u = 'USAM η=0.25 ρ=0.1';
  const gd = med('GD only', u);
  const late = med('GD→SAM last 1%', u);
  const full = med('full SAM', u);
  const ok = gd > 6 && late < 3.5 && full < 2.6;
  return `${ok ? 'PASS' : 'FAIL'} valley ½(xy−1)², USAM η=0.25 ρ=0.1, median over seeds: top eigenvalue GD ${gd.toFixed(2)} (> 6), USAM for the last 1% ${late.toFixed(2)} (< 3.5), full USAM ${full.toFixed(2)} (< 2.6); normalised SAM at η=0.1 needs a larger late fraction (last 1%: ${med('GD→SAM last 1%', 'SAM η=0.1 ρ=0.05').toFixed(2)}, last 50%: ${med('GD→SAM last 50%', 'SAM η=0.1 ρ=0.05').toFixed(2)})`;
}
