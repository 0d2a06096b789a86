/**
 * Isotropic Gaussian mixtures in any dimension, p(x) = Σ_k π_k N(x; μ_k, s_k² I), with their exact
 * sampler: the test family of issue 16 (several dimensions, numbers of modes, separations, mode
 * widths and unequal weights), and `mixtureFamily()`, the family the sampler defaults are
 * measured on (tests and the bench `stein-es-honest`).
 * @module
 */
import { ValueError, describe, readInteger, readNumber, readRows, readVector } from '@descent/tensor';
import { MAX_TARGET_DIM, type Target, checkedTarget } from './target';

// Module-level aliases: global lookups are slow inside jest's vm context (jest#5163).
const { exp, log, max, cos, sin, PI } = Math;
const F64 = Float64Array;

/** Options of {@link gaussianMixtureTarget}. */
export interface GaussianMixtureOptions {
  /** Component means μ_k (K×d). */
  means: ArrayLike<ArrayLike<number>>;
  /** Component standard deviations s_k > 0 (length K, or one number for all). */
  stds: ArrayLike<number> | number;
  /** Mixture weights π_k > 0 (length K, normalised; default equal). */
  weights?: ArrayLike<number>;
  /** Name of the target (default `mix<K>-<d>d`). */
  name?: string;
  /** Box of the initial particles (default: the means' bounding box widened by 3 max s_k + 2 per side). */
  initBox?: { lower: number[]; upper: number[] };
}

/** A mixture target with its components (for per-mode diagnostics). */
export interface GaussianMixtureTarget extends Target {
  /** Component means (copies). */
  readonly means: Float64Array[];
  /** Component standard deviations. */
  readonly stds: Float64Array;
  /** Normalised weights. */
  readonly weights: Float64Array;
}

/** p(x) = Σ_k π_k N(x; μ_k, s_k² I): negLogP (normalised), its gradient and an exact sampler. */
export function gaussianMixtureTarget(options: GaussianMixtureOptions): GaussianMixtureTarget {
  if (options === null || typeof options !== 'object')
    throw new ValueError(`options must be {means, stds, weights?}, got ${describe(options)}`, 'options');
  const means = readRows(options.means, 'means');
  const K = means.length;
  const d = means[0].length;
  readInteger(d, 'means[0].length', { min: 1, max: MAX_TARGET_DIM });
  const stds =
    typeof options.stds === 'number'
      ? new F64(K).fill(readNumber(options.stds, 'stds', { gt: 0 }))
      : readVector(options.stds, 'stds', { length: K });
  for (let k = 0; k < K; k++) if (!(stds[k] > 0)) throw new ValueError(`stds must be > 0, got ${stds[k]} at index ${k}`, 'stds');
  const rawW = options.weights === undefined ? new F64(K).fill(1) : readVector(options.weights, 'weights', { length: K });
  let total = 0;
  for (let k = 0; k < K; k++) {
    if (!(rawW[k] > 0)) throw new ValueError(`weights must be > 0, got ${rawW[k]} at index ${k}`, 'weights');
    total += rawW[k];
  }
  const weights = F64.from(rawW, (w) => w / total);
  // log π_k − d log s_k − (d/2) log 2π: the normalised component log-densities
  const logC = F64.from(weights, (w, k) => log(w) - d * log(stds[k]) - 0.5 * d * log(2 * PI));
  const logComponents = (x: ArrayLike<number>, out: Float64Array) => {
    let m = -Infinity;
    for (let k = 0; k < K; k++) {
      const mu = means[k];
      let s = 0;
      for (let c = 0; c < d; c++) s += (x[c] - mu[c]) ** 2;
      out[k] = logC[k] - (0.5 * s) / (stds[k] * stds[k]);
      m = max(m, out[k]);
    }
    return m;
  };
  let lower: number[];
  let upper: number[];
  if (options.initBox) {
    lower = Array.from(readVector(options.initBox.lower, 'initBox.lower', { length: d }));
    upper = Array.from(readVector(options.initBox.upper, 'initBox.upper', { length: d }));
  } else {
    const pad = 3 * max(...stds) + 2;
    lower = Array.from({ length: d }, (_, c) => Math.min(...means.map((m) => m[c])) - pad);
    upper = Array.from({ length: d }, (_, c) => Math.max(...means.map((m) => m[c])) + pad);
  }
  const base: Target = {
    name: options.name ?? `mix${K}-${d}d`,
    dim: d,
    negLogP(x) {
      const l = new F64(K);
      const m = logComponents(x, l);
      let z = 0;
      for (let k = 0; k < K; k++) z += exp(l[k] - m);
      return -(m + log(z));
    },
    gradLogP(x) {
      const l = new F64(K);
      const m = logComponents(x, l);
      let z = 0;
      for (let k = 0; k < K; k++) {
        l[k] = exp(l[k] - m);
        z += l[k];
      }
      const g = new F64(d);
      for (let k = 0; k < K; k++) {
        const r = l[k] / z / (stds[k] * stds[k]);
        for (let c = 0; c < d; c++) g[c] += r * (means[k][c] - x[c]);
      }
      return g;
    },
    sample(n, rng) {
      const ks = rng.choice(K, n, { replace: true, p: weights });
      return Array.from(ks, (k) => {
        const z = rng.normalArray(d);
        return F64.from(means[k], (mu, c) => mu + stds[k] * z[c]);
      });
    },
    initBox: { lower, upper },
  };
  return {
    ...checkedTarget(base),
    means: means.map((m) => m.slice()),
    stds: stds.slice(),
    weights: weights.slice(),
  };
}

function readMixture(t: unknown, name: string): GaussianMixtureTarget {
  const m = t as GaussianMixtureTarget;
  if (
    m === null ||
    typeof m !== 'object' ||
    !Array.isArray(m.means) ||
    !(m.stds instanceof F64) ||
    !(m.weights instanceof F64) ||
    typeof m.dim !== 'number'
  )
    throw new ValueError(`${name} must be a target made by gaussianMixtureTarget, got ${describe(t)}`, name);
  return m;
}

/** The component each point is closest to (by the component log-density, weights left out). */
export function nearestComponent(target: GaussianMixtureTarget, point: ArrayLike<number>): number {
  const t = readMixture(target, 'target');
  const x = readVector(point, 'x', { length: t.dim });
  return nearest(t, x);
}

function nearest(t: GaussianMixtureTarget, x: ArrayLike<number>): number {
  let best = 0;
  let bestScore = Infinity;
  for (let k = 0; k < t.means.length; k++) {
    let s = 0;
    for (let c = 0; c < t.dim; c++) s += (x[c] - t.means[k][c]) ** 2;
    const score = s / (t.stds[k] * t.stds[k]) + 2 * t.dim * log(t.stds[k]);
    if (score < bestScore) {
      bestScore = score;
      best = k;
    }
  }
  return best;
}

/** Per-mode diagnostics of a (weighted) particle set on a mixture. */
export interface ModeDiagnostics {
  /** Mass of the particles assigned to each component (weights, or 1/n each). */
  mass: Float64Array;
  /**
   * Within-mode spread ratio: per component, the (weighted) RMS per-coordinate distance of its
   * particles to μ_k divided by s_k (1 = the target's spread); averaged over components with mass.
   */
  spread: number;
  /** The per-component spread ratios (NaN for a component with fewer than 2 particles). */
  spreadByMode: Float64Array;
}

/** Mode masses and within-mode spread of `particles` (optionally weighted) on mixture `t`. */
export function modeDiagnostics(
  target: GaussianMixtureTarget,
  particles: ArrayLike<ArrayLike<number>>,
  weights?: ArrayLike<number>,
): ModeDiagnostics {
  const t = readMixture(target, 'target');
  const xs = readRows(particles, 'particles', { cols: t.dim });
  const n = xs.length;
  const w = weights === undefined ? new F64(n).fill(1 / n) : readVector(weights, 'weights', { length: n });
  const K = t.means.length;
  const mass = new F64(K);
  const ss = new F64(K);
  const count = new F64(K);
  for (let i = 0; i < n; i++) {
    const k = nearest(t, xs[i]);
    let s = 0;
    for (let c = 0; c < t.dim; c++) s += (xs[i][c] - t.means[k][c]) ** 2;
    mass[k] += w[i];
    ss[k] += w[i] * s;
    count[k]++;
  }
  const spreadByMode = new F64(K);
  let spread = 0;
  let used = 0;
  for (let k = 0; k < K; k++) {
    if (count[k] < 2 || !(mass[k] > 0)) {
      spreadByMode[k] = Number.NaN;
      continue;
    }
    spreadByMode[k] = Math.sqrt(ss[k] / mass[k] / t.dim) / t.stds[k];
    spread += spreadByMode[k];
    used++;
  }
  return { mass, spread: spread / used, spreadByMode };
}

/**
 * The mixture family of issue 16 on which the sampler defaults are measured: dimensions 2–16,
 * 2–5 modes, separations 2–4 mode widths apart and more, widths 0.25–1, unequal widths (also in
 * 8, 12 and 16 dimensions, where a kernel of fixed bandwidth under-disperses) and unequal
 * weights. Modes sit on a circle in the first two coordinates. The first eight members are the
 * session-4 family (d ≤ 10); the last three were added with the dimension-scaled bandwidth.
 */
export function mixtureFamily(): GaussianMixtureTarget[] {
  const circle = (K: number, d: number, radius: number) =>
    Array.from({ length: K }, (_, k) =>
      F64.from({ length: d }, (_, c) => (c === 0 ? radius * cos((2 * PI * k) / K) : c === 1 ? radius * sin((2 * PI * k) / K) : 0)),
    );
  return [
    gaussianMixtureTarget({ name: 'mix3-2d-s0.5', means: circle(3, 2, 3), stds: 0.5 }),
    gaussianMixtureTarget({ name: 'mix4-2d-s1', means: circle(4, 2, 3.5), stds: 1 }),
    gaussianMixtureTarget({ name: 'mix2-2d-s0.3/1', means: circle(2, 2, 3), stds: [0.3, 1] }),
    gaussianMixtureTarget({ name: 'mix3-2d-w.6/.3/.1', means: circle(3, 2, 3), stds: 0.5, weights: [0.6, 0.3, 0.1] }),
    gaussianMixtureTarget({ name: 'mix3-5d-s0.5', means: circle(3, 5, 3), stds: 0.5 }),
    gaussianMixtureTarget({ name: 'mix5-3d-s0.25', means: circle(5, 3, 2), stds: 0.25 }),
    gaussianMixtureTarget({ name: 'mix4-5d-w.4/.3/.2/.1', means: circle(4, 5, 3), stds: 0.7, weights: [0.4, 0.3, 0.2, 0.1] }),
    gaussianMixtureTarget({ name: 'mix2-10d-s1', means: circle(2, 10, 4), stds: 1 }),
    gaussianMixtureTarget({ name: 'mix3-8d-s0.5/1/0.7', means: circle(3, 8, 4), stds: [0.5, 1, 0.7] }),
    gaussianMixtureTarget({ name: 'mix2-12d-s0.6/1', means: circle(2, 12, 5), stds: [0.6, 1] }),
    gaussianMixtureTarget({ name: 'mix2-16d-s1/0.5', means: circle(2, 16, 5), stds: [1, 0.5] }),
  ];
}
