/**
 * The adversarial weight perturbations of SAM and its variants (pure functions over parameter
 * trees).
 *
 * - SAM (Foret et al. 2021), p = 2: ε̂ = ρ·g/‖g‖₂ with the **global** norm over every tensor of
 *   the tree (davda54/sam, google-research/sam `dual_vector`, optax `normalize`).
 * - ASAM (Kwon et al. 2021): ε̂ = ρ·T_w²g/‖T_w g‖₂ with the element-wise T_w = |w| + offset
 *   (offset η = 0.01 in the paper; davda54/sam and Zhou et al.'s code use 0).
 * - USAM, the unnormalised SAM of the theory (Andriushchenko & Flammarion 2022; Zhou et al.'s
 *   Eq. 4): ε̂ = ρ·g.
 *
 * A zero gradient gives ε̂ = 0 (never NaN): the norm is guarded by `+ eps` as in davda54/sam.
 * @module
 */
import { ValueError, assertPositive, describe } from '@descent/tensor';
import {
  type ParamTree,
  assertParamTree,
  assertSameStructure,
  disposeTree,
  mapTree,
  scaleTree,
  treeNorm,
  zerosLikeTree,
} from '@descent/nn';
import { tf } from './tf';

/** Which perturbation: SAM (normalised), ASAM (adaptive, scale-invariant) or USAM (unnormalised). */
export type SamMode = 'sam' | 'asam' | 'usam';

/** The modes, for validation and docs. */
export const SAM_MODES: readonly SamMode[] = ['sam', 'asam', 'usam'];

/** Default ρ per mode: SAM 0.05 (Foret et al.; davda54/sam), ASAM 0.5 (Kwon et al., CIFAR-10); USAM has none. */
export const DEFAULT_RHO: Readonly<Record<SamMode, number | undefined>> = {
  sam: 0.05,
  asam: 0.5,
  usam: undefined,
};

/** Options of the perturbation functions. */
export interface PerturbationOptions {
  /** Radius ρ ≥ 0 of the neighbourhood (default per mode, {@link DEFAULT_RHO}; required for USAM). */
  rho?: number;
  /** Guard added to the norm (default 1e-12, davda54/sam). */
  eps?: number;
  /** ASAM only: the offset η of T_w = |w| + η (default 0.01, Kwon et al.). */
  offset?: number;
}

/** A perturbation and the norms that come with it. */
export interface Perturbation {
  /** ε̂, a tree like the gradient (owned by the caller). */
  epsilon: ParamTree;
  /** ‖g‖₂ over the whole tree. */
  gradNorm: number;
  /** ‖ε̂‖₂ over the whole tree. */
  epsNorm: number;
}

/** Reads ρ for `mode` (default per mode; USAM requires it). */
export function resolveRho(mode: SamMode, rho: number | undefined, name = 'rho'): number {
  if (typeof name !== 'string' || name.length === 0)
    throw new ValueError(`name must be a non-empty string, got ${describe(name)}`, 'name');
  const r = rho ?? DEFAULT_RHO[readMode(mode)];
  if (r === undefined)
    throw new ValueError(
      `${name} is required for mode 'usam' (there is no standard default), got undefined`,
      name,
    );
  assertPositive(name, r, true);
  return r;
}

function readMode(mode: unknown): SamMode {
  if (!SAM_MODES.includes(mode as SamMode)) {
    throw new ValueError(`mode must be one of 'sam', 'asam', 'usam', got ${describe(mode)}`, 'mode');
  }
  return mode as SamMode;
}

function finiteNorm(name: string, tree: ParamTree): number {
  const n = treeNorm(tree);
  if (!Number.isFinite(n)) throw new ValueError(`${name} must be finite, got a norm of ${n}`, name);
  return n;
}

/**
 * The perturbation ε̂ of `mode` at gradient `grads` (and weights `params`, needed by ASAM).
 *
 * ```ts
 * const { epsilon, gradNorm } = perturbation('sam', grads, params, { rho: 0.05 }); // ‖ε̂‖ = ρ
 * disposeTree(epsilon);
 * ```
 */
export function perturbation(
  mode: SamMode,
  grads: ParamTree,
  params: ParamTree | undefined,
  options: PerturbationOptions = {},
): Perturbation {
  const m = readMode(mode);
  assertParamTree('grads', grads);
  const rho = resolveRho(m, options.rho);
  const eps = options.eps ?? 1e-12;
  assertPositive('eps', eps, true);
  const gradNorm = finiteNorm('grads', grads);
  if (m === 'usam') {
    const epsilon = scaleTree(rho, grads);
    return { epsilon, gradNorm, epsNorm: rho * gradNorm };
  }
  if (m === 'sam') {
    if (gradNorm === 0 || rho === 0) return { epsilon: zerosLikeTree(grads), gradNorm, epsNorm: 0 };
    const epsilon = scaleTree(rho / (gradNorm + eps), grads);
    return { epsilon, gradNorm, epsNorm: (rho * gradNorm) / (gradNorm + eps) };
  }
  // ASAM: ε̂ = ρ T²g / ‖T g‖ with T = |w| + offset
  if (params === undefined)
    throw new ValueError("params is required by mode 'asam' (T_w = |w| + offset)", 'params');
  assertSameStructure('params', params, grads);
  const offset = options.offset ?? 0.01;
  assertPositive('offset', offset, true);
  const tg = mapTree((g, w) => tf.mul(tf.add(tf.abs(w), offset), g), grads, params);
  try {
    const tgNorm = finiteNorm('grads', tg);
    if (tgNorm === 0 || rho === 0) return { epsilon: zerosLikeTree(grads), gradNorm, epsNorm: 0 };
    const c = rho / (tgNorm + eps);
    const epsilon = mapTree((t, w) => tf.mul(tf.mul(tf.add(tf.abs(w), offset), t), c), tg, params);
    return { epsilon, gradNorm, epsNorm: treeNorm(epsilon) };
  } finally {
    disposeTree(tg);
  }
}

/** SAM's ε̂ = ρ·g/(‖g‖ + eps) (global ℓ2 norm over the tree). */
export function samPerturbation(grads: ParamTree, options: PerturbationOptions = {}): ParamTree {
  return perturbation('sam', grads, undefined, options).epsilon;
}

/** ASAM's ε̂ = ρ·T_w²g/(‖T_w g‖ + eps), T_w = |w| + offset. */
export function asamPerturbation(
  grads: ParamTree,
  params: ParamTree,
  options: PerturbationOptions = {},
): ParamTree {
  return perturbation('asam', grads, params, options).epsilon;
}

/** USAM's ε̂ = ρ·g (ρ required). */
export function usamPerturbation(grads: ParamTree, options: PerturbationOptions): ParamTree {
  return perturbation('usam', grads, undefined, options).epsilon;
}
