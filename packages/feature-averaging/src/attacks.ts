/**
 * The paper's L2 attacks on the binary decision sign(score(x)) and robust accuracy.
 *
 * - The averaged-direction attack (closed form): x' = x − ε·y·u with
 *   u = (μ̄₊ − μ̄₋)/‖μ̄₊ − μ̄₋‖, μ̄± the mean centre of J±. Against a feature-averaging network,
 *   whose decision is close to ⟨μ̄₊ − μ̄₋, x⟩ = 0, it flips predictions at ε ≈ √(d/k): the
 *   distance of a centre from that hyperplane when |J₊| = |J₋| = k/2.
 * - PGD-ℓ₂ (Madry et al. 2018, the paper's "standard PGD"): from a random start in the ε-ball,
 *   `steps` ascent steps on −y·score along the normalised input gradient, each projected back
 *   onto the ball. Defaults: 40 steps of 2.5·ε/40 with a random start (the reproduction's).
 * @module
 */
import {
  type KeyPart,
  Rng,
  ShapeError,
  ValueError,
  assertInteger,
  assertPositive,
  describe,
  option,
  readNumber,
  readVector,
  resolveOptions,
} from '@descent/tensor';
import {
  type BinaryReadout,
  type TwoLayerParams,
  type TwoLayerReLU,
  binaryScores,
  binaryScoresAndInputGradients,
  rowsOf,
} from './twoLayerReLU';

/** The unit averaged direction u = (μ̄₊ − μ̄₋)/‖μ̄₊ − μ̄₋‖ (length d). */
export function averagedDirection(
  centers: Float64Array,
  k: number,
  positive: ArrayLike<number>,
): Float64Array {
  assertInteger('k', k, 2);
  if (!(centers instanceof Float64Array) || centers.length % k !== 0) {
    throw new ShapeError(`centers must be a Float64Array of length k·d, got ${describe(centers)}`, 'centers');
  }
  const d = centers.length / k;
  const isPos = new Uint8Array(k);
  for (let i = 0; i < positive.length; i++) {
    assertInteger(`positive[${i}]`, positive[i], 0, k - 1);
    isPos[positive[i]] = 1;
  }
  const nPos = isPos.reduce((a, b) => a + b, 0);
  if (nPos === 0 || nPos === k)
    throw new ValueError('positive must leave both classes non-empty', 'positive');
  const u = new Float64Array(d);
  for (let j = 0; j < k; j++) {
    const w = isPos[j] ? 1 / nPos : -1 / (k - nPos);
    for (let t = 0; t < d; t++) u[t] += w * centers[j * d + t];
  }
  let s = 0;
  for (let t = 0; t < d; t++) s += u[t] * u[t];
  s = Math.sqrt(s);
  for (let t = 0; t < d; t++) u[t] /= s;
  return u;
}

/** x_i − ε·y_i·u for every row (a new array). */
export function averagedDirectionAttack(
  X: Float64Array,
  y: ArrayLike<number>,
  eps: number,
  direction: Float64Array,
): Float64Array {
  if (!(direction instanceof Float64Array) || direction.length === 0) {
    throw new ValueError(`direction must be a non-empty Float64Array (see averagedDirection), got ${describe(direction)}`, 'direction');
  }
  const d = direction.length;
  const n = rowsOf(X, d);
  assertPositive('eps', eps, true);
  readVector(y, 'y', { length: n });
  const out = X.slice();
  for (let i = 0; i < n; i++) {
    const s = eps * y[i];
    for (let t = 0; t < d; t++) out[i * d + t] -= s * direction[t];
  }
  return out;
}

/** Options of {@link pgdL2}. */
export interface PgdL2Options {
  /** Radius ε of the L2 ball. */
  eps: number;
  /** Ascent steps (default 40). */
  steps?: number;
  /** Step length (default 2.5·ε/steps). */
  stepSize?: number;
  /** Start uniformly in the ε-ball (default true). */
  randomStart?: boolean;
  /** Seed of the random start (default 0). */
  seed?: KeyPart;
}

/**
 * L2 PGD against the binary decision sign(s(x)) of a two-layer net with a
 * {@link BinaryReadout}; returns the adversarial inputs. Rows that are misclassified at some
 * iterate keep the first such iterate (the attack succeeded).
 */
export function pgdL2(
  model: TwoLayerReLU,
  params: TwoLayerParams,
  readout: BinaryReadout,
  X: Float64Array,
  y: ArrayLike<number>,
  options: PgdL2Options,
): Float64Array {
  const { seed, ...rest } = resolveOptions(
    options,
    { ...PGD_SCHEMA, seed: option.seed() },
    { name: 'pgdL2 options' },
  );
  return pgdWith(model, params, readout, X, y, rest, new Rng(seed).fold('pgd-start'));
}

const PGD_SCHEMA = {
  eps: option.number({ min: 0, required: true }),
  steps: option.integer({ min: 0, default: 40 }),
  stepSize: option.number({ min: 0 }),
  randomStart: option.boolean({ default: true }),
};

function pgdWith(
  model: TwoLayerReLU,
  params: TwoLayerParams,
  readout: BinaryReadout,
  X: Float64Array,
  y: ArrayLike<number>,
  options: Omit<PgdL2Options, 'seed'>,
  rng: Rng,
): Float64Array {
  const { eps, steps = 40, randomStart = true } = options;
  const stepSize = options.stepSize ?? (steps > 0 ? (2.5 * eps) / steps : 0);
  const d = model.d;
  const n = rowsOf(X, d);
  if (y == null || y.length !== n) throw new ShapeError(`y must have length n = ${n}, got ${y?.length}`, 'y');
  const delta = new Float64Array(n * d);
  if (randomStart && eps > 0) {
    for (let i = 0; i < n; i++) {
      // uniform in the ball: direction N(0, I)/‖·‖, radius ε·U^{1/d}
      const g = rng.normalArray(d);
      let s = 0;
      for (let t = 0; t < d; t++) s += g[t] * g[t];
      const r = (eps * rng.uniform() ** (1 / d)) / Math.sqrt(s);
      for (let t = 0; t < d; t++) delta[i * d + t] = r * g[t];
    }
  }
  const done = new Uint8Array(n);
  const best = X.slice();
  const cur = new Float64Array(n * d);
  for (let it = 0; it <= steps; it++) {
    for (let q = 0; q < n * d; q++) cur[q] = X[q] + delta[q];
    const { scores, gradients } = binaryScoresAndInputGradients(model, params, readout, cur);
    for (let i = 0; i < n; i++) {
      if (done[i]) continue;
      if (y[i] * scores[i] <= 0) {
        done[i] = 1;
        best.set(cur.subarray(i * d, (i + 1) * d), i * d);
      }
    }
    if (it === steps) break;
    for (let i = 0; i < n; i++) {
      if (done[i]) continue;
      // ascend −y·score: step along −y·∇score/‖∇score‖, then project onto ‖δ‖ ≤ ε
      const o = i * d;
      let gn = 0;
      for (let t = 0; t < d; t++) gn += gradients[o + t] ** 2;
      gn = Math.sqrt(gn);
      if (gn > 0) {
        const a = (-y[i] * stepSize) / gn;
        for (let t = 0; t < d; t++) delta[o + t] += a * gradients[o + t];
      }
      let dn = 0;
      for (let t = 0; t < d; t++) dn += delta[o + t] ** 2;
      dn = Math.sqrt(dn);
      if (dn > eps) for (let t = 0; t < d; t++) delta[o + t] *= eps / dn;
    }
  }
  for (let i = 0; i < n; i++) if (!done[i]) best.set(cur.subarray(i * d, (i + 1) * d), i * d);
  return best;
}

/** Fraction of rows with y_i·score(x_i) > 0. */
export function binaryAccuracy(
  model: TwoLayerReLU,
  params: TwoLayerParams,
  readout: BinaryReadout,
  X: Float64Array,
  y: ArrayLike<number>,
): number {
  const s = binaryScores(model, params, readout, X);
  let c = 0;
  for (let i = 0; i < s.length; i++) if (y[i] * s[i] > 0) c++;
  return c / s.length;
}

/** The attack of {@link robustAccuracyCurve}. */
export type AttackKind = 'pgd' | 'averaged';

/** Options of {@link robustAccuracyCurve}. */
export interface RobustCurveOptions extends Omit<PgdL2Options, 'eps'> {
  /** Radii ε (non-negative). */
  radii: ArrayLike<number>;
  /** `'pgd'` (default) or `'averaged'` (needs `direction`). */
  attack?: AttackKind;
  /** The averaged direction u, for `attack: 'averaged'`. */
  direction?: Float64Array;
}

/**
 * Robust accuracy of the binary decision at each radius. PGD at radius index i draws its random
 * start from `Rng(seed).fold('pgd-start', i)`.
 */
export function robustAccuracyCurve(
  model: TwoLayerReLU,
  params: TwoLayerParams,
  readout: BinaryReadout,
  X: Float64Array,
  y: ArrayLike<number>,
  options: RobustCurveOptions,
): number[] {
  const { radii, attack, direction, seed, ...pgd } = resolveOptions(
    options,
    {
      radii: option.custom(
        (v: unknown, name: string) => {
          if (
            v == null ||
            typeof (v as ArrayLike<number>).length !== 'number' ||
            (v as ArrayLike<number>).length === 0
          ) {
            throw new ValueError(`${name} must be a non-empty array, got ${describe(v)}`, name);
          }
          return v as ArrayLike<number>;
        },
        { required: true },
      ),
      attack: option.oneOf(['pgd', 'averaged'], { default: 'pgd' }),
      direction: option.custom((v: unknown) => v as Float64Array),
      seed: option.seed(),
      steps: PGD_SCHEMA.steps,
      stepSize: PGD_SCHEMA.stepSize,
      randomStart: PGD_SCHEMA.randomStart,
    },
    { name: 'robustAccuracyCurve options' },
  );
  if (attack === 'averaged' && !(direction instanceof Float64Array)) {
    throw new ValueError(
      'direction (the averaged direction u) is required for attack: averaged',
      'direction',
    );
  }
  const root = new Rng(seed);
  return Array.from(radii, (eps, i) => {
    assertPositive(`radii[${i}]`, eps, true);
    const Xa =
      attack === 'averaged'
        ? averagedDirectionAttack(X, y, eps, direction as Float64Array)
        : pgdWith(model, params, readout, X, y, { ...pgd, eps }, root.fold('pgd-start', i));
    return binaryAccuracy(model, params, readout, Xa, y);
  });
}

/**
 * The "cliff" radius: the first ε at which the robust accuracy falls to `level` (default 0.5),
 * linearly interpolated between the two radii that bracket it; Infinity if it never does.
 */
export function cliffRadius(radii: ArrayLike<number>, accuracy: ArrayLike<number>, level = 0.5): number {
  readVector(radii, 'radii');
  readVector(accuracy, 'accuracy');
  readNumber(level, 'level', { min: 0, max: 1 });
  if (radii.length !== accuracy.length)
    throw new ShapeError('radii and accuracy must have the same length', 'accuracy');
  for (let i = 0; i < radii.length; i++) {
    if (accuracy[i] <= level) {
      if (i === 0) return radii[0];
      const [r0, r1, a0, a1] = [radii[i - 1], radii[i], accuracy[i - 1], accuracy[i]];
      return a0 === a1 ? r1 : r0 + ((a0 - level) / (a0 - a1)) * (r1 - r0);
    }
  }
  return Number.POSITIVE_INFINITY;
}
