/**
 * Adversaries of the strong-contamination model: an η-fraction of the pairs (a_i, y_i) is replaced.
 * (R) response outliers, (S) the NLT spike of "Outlier-robust phase retrieval in nearly-linear time",
 * Appendix C, (B) an aligned big spike, random rows, (R)+(S) together, and the structured `spike`
 * family (identical or clustered high-leverage rows, orthogonal to, aligned with or oblique to the
 * signal, with responses consistent with the signal or with a decoy, optionally mixed with response
 * outliers). {@link attackFamily} enumerates the family the tests and the bench sweep.
 * @module
 */
import {
  Matrix,
  Rng,
  ValueError,
  assertInRange,
  assertInteger,
  assertPositive,
  readEnum,
  readSeed,
} from '@descent/tensor';
import { checkEta } from './inputs';
import type { PhaseProblem } from './problem';

/** Adversary kinds; see {@link contaminate}. */
export type AdversaryKind = 'response' | 'nlt-spike' | 'big-spike' | 'random-rows' | 'both' | 'spike';

/** All adversary kinds, in reporting order. */
export const ADVERSARIES: readonly AdversaryKind[] = [
  'response',
  'nlt-spike',
  'big-spike',
  'random-rows',
  'both',
  'spike',
];

/** Direction of the spike rows relative to the signal x. */
export type SpikeDirection = 'orthogonal' | 'aligned' | 'oblique';

/** The structured spike attack (`kind: 'spike'`). */
export interface SpikeAttack {
  /**
   * Direction of cluster k's rows: `'orthogonal'` u_k ⟂ x (default), `'aligned'` x/‖x‖, `'oblique'`
   * (x/‖x‖ + u_k)/√2. The u_k are orthonormal and orthogonal to x.
   */
  direction?: SpikeDirection;
  /** Number of clusters (default 1); the corrupted rows are dealt to the clusters in turn. */
  clusters?: number;
  /**
   * Spread within a cluster: row = scale·√n·(d_k + jitter·ξ/√n), ξ ~ N(0, I) fresh per row
   * (default 0: every row of a cluster is the same vector).
   */
  jitter?: number;
  /** Row norm in units of √n (default 3: large rows, like the big spike). */
  scale?: number;
  /**
   * Responses of the spike rows: `'consistent'` y = (aᵀx)² (pure leverage: correct but extreme rows;
   * 0 for orthogonal rows) or `'decoy'` (default) y = (aᵀw_k)², consistent with the decoy signal
   * w_k = decoyScale·‖x‖·u_k ⟂ x (an orthogonal row then claims a signal component along itself, an
   * aligned row claims none along x, an oblique row fits x and the decoy equally well).
   */
  response?: 'consistent' | 'decoy';
  /** ‖w_k‖/‖x‖ of the decoys (default 1). */
  decoyScale?: number;
  /**
   * Fraction of the corrupted pairs that are response outliers (R: y ← 100‖x‖²U(0, 1), row kept)
   * instead of spike rows (default 0).
   */
  responseOutliers?: number;
}

/** Options of {@link contaminate}. */
export interface ContaminationOptions {
  /** Fraction η ∈ [0, 0.5) of replaced pairs; ⌊ηm⌋ pairs are replaced. */
  eta: number;
  kind: AdversaryKind;
  /** Parameters of `kind: 'spike'` (ignored otherwise). */
  spike?: SpikeAttack;
  /** Seed of the adversary's choices (default 0): a number or a string. */
  seed?: number | string;
}

/** Unit vectors u_1..u_c orthonormal and orthogonal to x (Gram–Schmidt on Gaussian draws). */
function orthogonalDirections(x: Float64Array, c: number, rng: Rng): Float64Array[] {
  const n = x.length;
  let nx2 = 0;
  for (let j = 0; j < n; j++) nx2 += x[j] * x[j];
  const basis: Float64Array[] = [Float64Array.from(x, (v) => v / Math.sqrt(nx2))];
  const out: Float64Array[] = [];
  for (let k = 0; k < c; k++) {
    const u = (k === 0 ? rng.fold('u') : rng.fold('u', k)).normalArray(n);
    for (const b of basis) {
      let d = 0;
      for (let j = 0; j < n; j++) d += u[j] * b[j];
      for (let j = 0; j < n; j++) u[j] -= d * b[j];
    }
    let nu = 0;
    for (let j = 0; j < n; j++) nu += u[j] * u[j];
    nu = Math.sqrt(nu);
    for (let j = 0; j < n; j++) u[j] /= nu;
    basis.push(u);
    out.push(u);
  }
  return out;
}

interface ResolvedSpike {
  direction: SpikeDirection;
  clusters: number;
  jitter: number;
  scale: number;
  response: 'consistent' | 'decoy';
  decoyScale: number;
  responseOutliers: number;
}

function resolveSpike(spike: SpikeAttack = {}, n: number): ResolvedSpike {
  const direction = readEnum(spike.direction ?? 'orthogonal', 'spike.direction', [
    'orthogonal',
    'aligned',
    'oblique',
  ] as const);
  const clusters = spike.clusters ?? 1;
  assertInteger('spike.clusters', clusters, 1);
  if (clusters > n - 1) {
    throw new ValueError(
      `spike.clusters must be <= n − 1 = ${n - 1} (orthogonal directions), got ${clusters}`,
      'spike.clusters',
    );
  }
  const jitter = spike.jitter ?? 0;
  assertPositive('spike.jitter', jitter, true);
  const scale = spike.scale ?? 3;
  assertPositive('spike.scale', scale);
  const response = readEnum(spike.response ?? 'decoy', 'spike.response', ['consistent', 'decoy'] as const);
  const decoyScale = spike.decoyScale ?? 1;
  assertPositive('spike.decoyScale', decoyScale, true);
  const responseOutliers = spike.responseOutliers ?? 0;
  assertInRange('spike.responseOutliers', responseOutliers, 0, 1);
  return { direction, clusters, jitter, scale, response, decoyScale, responseOutliers };
}

/**
 * Returns a copy of `problem` with ⌊ηm⌋ pairs replaced (x is unchanged):
 * - `response` (R): y_i ← 100‖x‖²·U(0, 1);
 * - `nlt-spike` (S): a_i ← √(n − 1/25)·u + x/(5‖x‖), y_i ← (a_iᵀx)², one unit u ⟂ x for all: consistent
 *   pairs that pass median truncation and tilt the spectral matrix towards u;
 * - `big-spike` (B): a_i ← 3√n·u, y_i ← 3n‖x‖²;
 * - `random-rows`: a_i ← fresh N(0, I), y_i ← (a_iᵀw)² for a random w with ‖w‖ = ‖x‖ (a decoy signal);
 * - `both`: half of the chosen pairs get (R), the other half (S);
 * - `spike`: the structured family of {@link SpikeAttack} (default: one identical row 3√n·u, u ⟂ x,
 *   with the decoy response y = 9n‖x‖²).
 *
 * ```ts
 * const bad = contaminate(problem, {
 *   eta: 0.05, kind: 'spike', seed: 1,
 *   spike: { direction: 'orthogonal', clusters: 1, response: 'decoy', responseOutliers: 0.5 },
 * });
 * ```
 */
export function contaminate(problem: PhaseProblem, options: ContaminationOptions): PhaseProblem {
  const eta = checkEta(options.eta);
  const kind = readEnum(options.kind, 'kind', ADVERSARIES);
  const seed = readSeed(options.seed ?? 0);
  const { m, n, x } = problem;
  const spike = kind === 'spike' ? resolveSpike(options.spike, n) : null;
  const A = new Matrix(m, n, Float64Array.from(problem.A.data));
  const y = Float64Array.from(problem.y);
  const k = Math.floor(eta * m);
  const rng = new Rng(seed).fold('contaminate', kind);
  const idx = rng.fold('which').choice(m, k);
  let nx2 = 0;
  for (let j = 0; j < n; j++) nx2 += x[j] * x[j];
  const nx = Math.sqrt(nx2);
  const dirs = orthogonalDirections(x, spike ? spike.clusters : 1, rng);
  const u = dirs[0];
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
  const setRowStructured = (i: number, t: number, s: ResolvedSpike) => {
    const cl = t % s.clusters;
    const uk = dirs[cl];
    const c = s.scale * Math.sqrt(n);
    const jit = s.jitter / Math.sqrt(n);
    let ax = 0;
    let aw = 0;
    for (let j = 0; j < n; j++) {
      const xh = x[j] / nx;
      const d =
        s.direction === 'orthogonal' ? uk[j] : s.direction === 'aligned' ? xh : (xh + uk[j]) * Math.SQRT1_2;
      const a = c * (d + (jit > 0 ? jit * vals.normal() : 0));
      A.data[i * n + j] = a;
      ax += a * x[j];
      aw += a * uk[j] * s.decoyScale * nx;
    }
    y[i] = s.response === 'consistent' ? ax * ax : aw * aw;
  };
  const nOutliers = spike ? Math.round(spike.responseOutliers * k) : 0;
  for (let t = 0; t < k; t++) {
    const i = idx[t];
    let kindHere: AdversaryKind = kind === 'both' ? (t % 2 === 0 ? 'response' : 'nlt-spike') : kind;
    if (kind === 'spike' && t < nOutliers) kindHere = 'response';
    if (kindHere === 'response') {
      y[i] = 100 * nx2 * vals.uniform();
    } else if (kindHere === 'nlt-spike') {
      setRowSpike(i);
    } else if (kindHere === 'big-spike') {
      const c = 3 * Math.sqrt(n);
      for (let j = 0; j < n; j++) A.data[i * n + j] = c * u[j];
      y[i] = 3 * n * nx2;
    } else if (kindHere === 'spike') {
      setRowStructured(i, t - nOutliers, spike as ResolvedSpike);
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

/** One member of {@link attackFamily}: a name and the attack (η and seed are chosen by the caller). */
export interface AttackSpec {
  /** E.g. `'spike/orthogonal/identical/decoy+R'`. */
  name: string;
  kind: AdversaryKind;
  spike?: SpikeAttack;
}

/**
 * The structured attack family the tests and the bench sweep: every combination of
 * direction {orthogonal, aligned, oblique} × rows {identical (one repeated vector), clustered
 * (3 clusters, jitter 0.1)} × responses {consistent, decoy} × {alone, half of the corrupted pairs
 * replaced by response outliers (+R)}, all with row norm 3√n, then the classic kinds (R, S, B, R+S,
 * random rows). 29 attacks.
 */
export function attackFamily(): AttackSpec[] {
  const out: AttackSpec[] = [];
  for (const direction of ['orthogonal', 'aligned', 'oblique'] as const) {
    for (const rows of ['identical', 'clustered'] as const) {
      for (const response of ['consistent', 'decoy'] as const) {
        for (const mixed of [false, true]) {
          out.push({
            name: `spike/${direction}/${rows}/${response}${mixed ? '+R' : ''}`,
            kind: 'spike',
            spike: {
              direction,
              clusters: rows === 'identical' ? 1 : 3,
              jitter: rows === 'identical' ? 0 : 0.1,
              response,
              responseOutliers: mixed ? 0.5 : 0,
            },
          });
        }
      }
    }
  }
  for (const kind of ['response', 'nlt-spike', 'big-spike', 'both', 'random-rows'] as const) {
    out.push({ name: kind, kind });
  }
  return out;
}
