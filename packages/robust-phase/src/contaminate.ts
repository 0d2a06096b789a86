/**
 * Adversaries of the strong-contamination model: an η-fraction of the pairs (a_i, y_i) is replaced.
 * (R) response outliers, (S) the NLT spike of "Outlier-robust phase retrieval in nearly-linear time",
 * Appendix C, (B) an aligned big spike, random rows, and (R)+(S) together.
 * @module
 */
import { Matrix, Rng, assertInteger } from '@descent/tensor';
import { checkChoice, checkEta } from './inputs';
import type { PhaseProblem } from './problem';

/** Adversary kinds; see {@link contaminate}. */
export type AdversaryKind = 'response' | 'nlt-spike' | 'big-spike' | 'random-rows' | 'both';

/** All adversary kinds, in reporting order. */
export const ADVERSARIES: readonly AdversaryKind[] = [
  'response',
  'nlt-spike',
  'big-spike',
  'random-rows',
  'both',
];

/** Options of {@link contaminate}. */
export interface ContaminationOptions {
  /** Fraction η ∈ [0, 0.5) of replaced pairs; ⌊ηm⌋ pairs are replaced. */
  eta: number;
  kind: AdversaryKind;
  /** Seed of the adversary's choices (default 0). */
  seed?: number;
}

/**
 * Returns a copy of `problem` with ⌊ηm⌋ pairs replaced (x is unchanged):
 * - `response` (R): y_i ← 100‖x‖²·U(0, 1);
 * - `nlt-spike` (S): a_i ← √(n − 1/25)·u + x/(5‖x‖), y_i ← (a_iᵀx)², one unit u ⟂ x for all: consistent
 *   pairs that pass median truncation and tilt the spectral matrix towards u;
 * - `big-spike` (B): a_i ← 3√n·u, y_i ← 3n‖x‖²;
 * - `random-rows`: a_i ← fresh N(0, I), y_i ← (a_iᵀw)² for a random w with ‖w‖ = ‖x‖ (a decoy signal);
 * - `both`: half of the chosen pairs get (R), the other half (S).
 */
export function contaminate(problem: PhaseProblem, options: ContaminationOptions): PhaseProblem {
  const eta = checkEta(options.eta);
  const kind = checkChoice('kind', options.kind, ADVERSARIES);
  const seed = options.seed ?? 0;
  assertInteger('seed', seed);
  const { m, n, x } = problem;
  const A = new Matrix(m, n, Float64Array.from(problem.A.data));
  const y = Float64Array.from(problem.y);
  const k = Math.floor(eta * m);
  const rng = new Rng(seed).fold('contaminate', kind);
  const idx = rng.fold('which').choice(m, k);
  let nx2 = 0;
  for (let j = 0; j < n; j++) nx2 += x[j] * x[j];
  const nx = Math.sqrt(nx2);
  // u: a unit vector orthogonal to x
  const u = rng.fold('u').normalArray(n);
  let ux = 0;
  for (let j = 0; j < n; j++) ux += u[j] * x[j];
  let nu = 0;
  for (let j = 0; j < n; j++) {
    u[j] -= (ux / nx2) * x[j];
    nu += u[j] * u[j];
  }
  nu = Math.sqrt(nu);
  for (let j = 0; j < n; j++) u[j] /= nu;
  const w = rng.fold('w').normalArray(n);
  let nw = 0;
  for (let j = 0; j < n; j++) nw += w[j] * w[j];
  for (let j = 0; j < n; j++) w[j] *= nx / Math.sqrt(nw);
  const vals = rng.fold('values');
  const setRowSpike = (i: number) => {
    const c = Math.sqrt(n - 1 / 25);
    let d = 0;
    for (let j = 0; j < n; j++) {
      const a = c * u[j] + x[j] / (5 * nx);
      A.data[i * n + j] = a;
      d += a * x[j];
    }
    y[i] = d * d;
  };
  for (let t = 0; t < k; t++) {
    const i = idx[t];
    const kindHere: AdversaryKind = kind === 'both' ? (t % 2 === 0 ? 'response' : 'nlt-spike') : kind;
    if (kindHere === 'response') {
      y[i] = 100 * nx2 * vals.uniform();
    } else if (kindHere === 'nlt-spike') {
      setRowSpike(i);
    } else if (kindHere === 'big-spike') {
      const c = 3 * Math.sqrt(n);
      for (let j = 0; j < n; j++) A.data[i * n + j] = c * u[j];
      y[i] = 3 * n * nx2;
    } else {
      let d = 0;
      for (let j = 0; j < n; j++) {
        const a = vals.normal();
        A.data[i * n + j] = a;
        d += a * w[j];
      }
      y[i] = d * d;
    }
  }
  const corrupted = Int32Array.from(idx).sort();
  return { ...problem, A, y, corrupted };
}
