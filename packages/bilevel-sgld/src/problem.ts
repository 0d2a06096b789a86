/**
 * The bilevel problem contract on float64 vectors: an inner (training) loss L_T(θ, λ) given by
 * its derivatives, an outer (validation) loss L_V(θ, λ), and optional exact second-order
 * products. Missing second-order products are replaced by central finite differences of the
 * first-order oracles (float64), so every estimator runs on first-order oracles alone.
 *
 * Notation (paper notes §2.3): θ ∈ R^d inner parameters, λ ∈ R^p hyperparameters,
 * H = ∇²_θθ L_T (d×d), B = ∇²_θλ L_T (d×p).
 * @module
 */
import { ShapeError, ValueError, checkName, describe, readInteger, readVector } from '@descent/tensor';

/**
 * A bilevel problem min_λ L_V(θ*(λ), λ), θ*(λ) ∈ argmin_θ L_T(θ, λ), given by its oracles. All
 * vectors are Float64Array; oracles must not keep or modify their arguments.
 */
export interface BilevelProblem {
  /** d = dim θ. */
  readonly dim: number;
  /** p = dim λ. */
  readonly hyperDim: number;
  /** ∇_θ L_T(θ, λ), length d. */
  innerGradient(theta: Float64Array, lambda: Float64Array): ArrayLike<number>;
  /**
   * ∇_θ L_T at several θ (one per chain) in one call, for chains run in lockstep; absent = one
   * `innerGradient` call per θ. Must equal those calls (a batched implementation: one tensor pass,
   * one matrix product).
   */
  innerGradients?(thetas: Float64Array[], lambda: Float64Array): ArrayLike<number>[];
  /** ∇_λ L_T(θ, λ), length p (the covariance estimator and DARTS need it). */
  innerHyperGradient(theta: Float64Array, lambda: Float64Array): ArrayLike<number>;
  /** L_V(θ, λ). */
  outerValue(theta: Float64Array, lambda: Float64Array): number;
  /** ∇_θ L_V(θ, λ), length d. */
  outerGradient(theta: Float64Array, lambda: Float64Array): ArrayLike<number>;
  /** ∇_λ L_V(θ, λ), length p; absent = 0 (λ is a pure regulariser of the inner loss). */
  outerHyperGradient?(theta: Float64Array, lambda: Float64Array): ArrayLike<number>;
  /** H v, length d; absent = central difference of `innerGradient`. */
  innerHvp?(theta: Float64Array, lambda: Float64Array, v: Float64Array): ArrayLike<number>;
  /** Bᵀ v = ∇_λ⟨∇_θ L_T, v⟩, length p; absent = central difference of `innerHyperGradient` along v. */
  innerMixedVjp?(theta: Float64Array, lambda: Float64Array, v: Float64Array): ArrayLike<number>;
  /** B u = ∇_θ⟨∇_λ L_T, u⟩, length d; absent = central difference of `innerGradient` along λ + εu. */
  innerMixedJvp?(theta: Float64Array, lambda: Float64Array, u: Float64Array): ArrayLike<number>;
}

/** Call counters of a {@link CheckedProblem} (gradient-equivalents are counted by the estimators). */
export interface OracleCounts {
  /** First-order oracle calls (∇_θL_T, ∇_λL_T, L_V, ∇L_V). */
  gradients: number;
  /** Second-order products (HVPs, mixed VJPs/JVPs), exact or finite-difference. */
  secondOrder: number;
}

/** How second-order products are computed: the problem's exact ones (default when present) or finite differences. */
export type SecondOrderMode = 'exact' | 'fd';

/**
 * A validated view of a {@link BilevelProblem}: every oracle's output is checked (length, finite
 * entries; a bad output is a ValueError naming the oracle) and copied to a Float64Array, and calls
 * are counted.
 */
export interface CheckedProblem {
  readonly dim: number;
  readonly hyperDim: number;
  readonly counts: OracleCounts;
  innerGradient(theta: Float64Array, lambda: Float64Array): Float64Array;
  /** The batched oracle when the problem has one, else one `innerGradient` per θ. */
  innerGradients(thetas: Float64Array[], lambda: Float64Array): Float64Array[];
  innerHyperGradient(theta: Float64Array, lambda: Float64Array): Float64Array;
  outerValue(theta: Float64Array, lambda: Float64Array): number;
  outerGradient(theta: Float64Array, lambda: Float64Array): Float64Array;
  outerHyperGradient(theta: Float64Array, lambda: Float64Array): Float64Array;
  hvp(theta: Float64Array, lambda: Float64Array, v: Float64Array, mode?: SecondOrderMode): Float64Array;
  mixedVjp(theta: Float64Array, lambda: Float64Array, v: Float64Array, mode?: SecondOrderMode): Float64Array;
  mixedJvp(theta: Float64Array, lambda: Float64Array, u: Float64Array, mode?: SecondOrderMode): Float64Array;
}

const REQUIRED = ['innerGradient', 'innerHyperGradient', 'outerValue', 'outerGradient'] as const;
const OPTIONAL = ['innerGradients', 'outerHyperGradient', 'innerHvp', 'innerMixedVjp', 'innerMixedJvp'] as const;

function checkedOutput(value: unknown, name: string, length: number): Float64Array {
  if (value === null || typeof value !== 'object' || typeof (value as ArrayLike<number>).length !== 'number') {
    throw new ValueError(`${name} must return a vector of length ${length}, got ${describe(value)}`, name);
  }
  const v = value as ArrayLike<unknown>;
  if (v.length !== length) throw new ShapeError(`${name} must return length ${length}, got length ${v.length}`, name);
  const out = new Float64Array(length);
  for (let i = 0; i < length; i++) {
    const x = v[i];
    if (typeof x !== 'number' || !Number.isFinite(x)) {
      throw new ValueError(`${name} must return finite numbers, got ${describe(x)} at index ${i}`, name);
    }
    out[i] = x;
  }
  return out;
}

/** Central-difference step: ‖ε·dir‖ = h·max(1, ‖x‖). */
function fdEps(x: Float64Array, dir: Float64Array, h: number): number {
  let xn = 0;
  let dn = 0;
  for (let i = 0; i < x.length; i++) xn += x[i] * x[i];
  for (let i = 0; i < dir.length; i++) dn += dir[i] * dir[i];
  return dn === 0 ? 0 : (h * Math.max(1, Math.sqrt(xn))) / Math.sqrt(dn);
}

/**
 * Directional derivative [f(x + εu) − f(x − εu)]/(2ε) of a vector function (float64), ‖εu‖ =
 * 1e-5·max(1, ‖x‖): the finite-difference H v and mixed products (their input and output lengths
 * differ, which the shared square `fdHvp` of @descent/tensor does not allow).
 */
function directional(f: (x: Float64Array) => Float64Array, x: Float64Array, u: Float64Array, outLength: number): Float64Array {
  const eps = fdEps(x, u, 1e-5);
  if (eps === 0) return new Float64Array(outLength);
  const xp = new Float64Array(x.length);
  const xm = new Float64Array(x.length);
  for (let i = 0; i < x.length; i++) {
    xp[i] = x[i] + eps * u[i];
    xm[i] = x[i] - eps * u[i];
  }
  const gp = f(xp);
  const gm = f(xm);
  const out = new Float64Array(outLength);
  for (let i = 0; i < outLength; i++) out[i] = (gp[i] - gm[i]) / (2 * eps);
  return out;
}

/**
 * Validates a {@link BilevelProblem} (dimensions, oracle functions) and returns its checked,
 * counting view. `name` is the argument's name in messages.
 */
export function checkProblem(problem: unknown, name = 'problem'): CheckedProblem {
  checkName(name);
  if (problem === null || typeof problem !== 'object') {
    throw new ValueError(`${name} must be a BilevelProblem object, got ${describe(problem)}`, name);
  }
  const p = problem as Record<string, unknown>;
  const d = readInteger(p.dim, `${name}.dim`, { min: 1 });
  const q = readInteger(p.hyperDim, `${name}.hyperDim`, { min: 1 });
  for (const key of REQUIRED) {
    if (typeof p[key] !== 'function') {
      throw new ValueError(`${name}.${key} must be a function, got ${describe(p[key])}`, `${name}.${key}`);
    }
  }
  for (const key of OPTIONAL) {
    if (p[key] !== undefined && typeof p[key] !== 'function') {
      throw new ValueError(`${name}.${key} must be a function or absent, got ${describe(p[key])}`, `${name}.${key}`);
    }
  }
  const P = problem as BilevelProblem;
  const counts: OracleCounts = { gradients: 0, secondOrder: 0 };
  const innerGradient = (theta: Float64Array, lambda: Float64Array) => {
    counts.gradients++;
    return checkedOutput(P.innerGradient(theta, lambda), `${name}.innerGradient`, d);
  };
  const innerHyperGradient = (theta: Float64Array, lambda: Float64Array) => {
    counts.gradients++;
    return checkedOutput(P.innerHyperGradient(theta, lambda), `${name}.innerHyperGradient`, q);
  };
  const pick = (exact: unknown, mode: SecondOrderMode | undefined): boolean => {
    if (mode !== undefined && mode !== 'exact' && mode !== 'fd') {
      throw new ValueError(`mode must be 'exact' or 'fd', got ${describe(mode)}`, 'mode');
    }
    return typeof exact === 'function' && mode !== 'fd';
  };
  return {
    dim: d,
    hyperDim: q,
    counts,
    innerGradient,
    innerGradients(thetas, lambda) {
      if (P.innerGradients === undefined) return thetas.map((t) => innerGradient(t, lambda));
      counts.gradients += thetas.length;
      const out = P.innerGradients(thetas, lambda);
      if (!Array.isArray(out) || out.length !== thetas.length) {
        throw new ShapeError(
          `${name}.innerGradients must return ${thetas.length} vectors (one per θ), got ${describe(out)}`,
          `${name}.innerGradients`,
        );
      }
      return out.map((g) => checkedOutput(g, `${name}.innerGradients`, d));
    },
    innerHyperGradient,
    outerValue(theta, lambda) {
      counts.gradients++;
      const v = P.outerValue(theta, lambda);
      if (typeof v !== 'number' || !Number.isFinite(v)) {
        throw new ValueError(`${name}.outerValue must return a finite number, got ${describe(v)}`, `${name}.outerValue`);
      }
      return v;
    },
    outerGradient(theta, lambda) {
      counts.gradients++;
      return checkedOutput(P.outerGradient(theta, lambda), `${name}.outerGradient`, d);
    },
    outerHyperGradient(theta, lambda) {
      if (P.outerHyperGradient === undefined) return new Float64Array(q);
      counts.gradients++;
      return checkedOutput(P.outerHyperGradient(theta, lambda), `${name}.outerHyperGradient`, q);
    },
    hvp(theta, lambda, v, mode) {
      if (pick(P.innerHvp, mode)) {
        counts.secondOrder++;
        return checkedOutput(P.innerHvp?.(theta, lambda, v), `${name}.innerHvp`, d);
      }
      counts.secondOrder++;
      return directional((t) => innerGradient(t, lambda), theta, v, d);
    },
    mixedVjp(theta, lambda, v, mode) {
      if (pick(P.innerMixedVjp, mode)) {
        counts.secondOrder++;
        return checkedOutput(P.innerMixedVjp?.(theta, lambda, v), `${name}.innerMixedVjp`, q);
      }
      counts.secondOrder++;
      return directional((t) => innerHyperGradient(t, lambda), theta, v, q);
    },
    mixedJvp(theta, lambda, u, mode) {
      if (pick(P.innerMixedJvp, mode)) {
        counts.secondOrder++;
        return checkedOutput(P.innerMixedJvp?.(theta, lambda, u), `${name}.innerMixedJvp`, d);
      }
      counts.secondOrder++;
      return directional((l) => innerGradient(theta, l), lambda, u, d);
    },
  };
}

/** Reads λ (length p, finite). */
export function readLambda(lambda: unknown, p: number, name = 'lambda'): Float64Array {
  return readVector(lambda, name, { length: p, copy: true });
}

/**
 * Reads the chain starts: one vector (used by every chain) or one per chain; absent = zeros.
 * Returns `chains` fresh copies.
 */
export function readStarts(theta0: unknown, d: number, chains: number, name = 'theta0'): Float64Array[] {
  if (theta0 === undefined) return Array.from({ length: chains }, () => new Float64Array(d));
  if (Array.isArray(theta0) && theta0.length > 0 && typeof theta0[0] === 'object' && theta0[0] !== null) {
    if (theta0.length !== chains) {
      throw new ShapeError(`${name} must be one vector or ${chains} vectors (one per chain), got ${theta0.length}`, name);
    }
    return theta0.map((t, i) => readVector(t, `${name}[${i}]`, { length: d, copy: true }));
  }
  const one = readVector(theta0, name, { length: d, copy: true });
  return Array.from({ length: chains }, () => Float64Array.from(one));
}
