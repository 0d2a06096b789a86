/**
 * The multi-cluster data of Li, Pan, Lyu & Li (Definition 3.1): k cluster features μ_1..μ_k
 * with ‖μ_j‖ = √d, mutually orthogonal (Assumption 3.2), a split of [k] into J₊ and J₋, and
 * samples
 *
 *   j ~ Unif[k],   y = +1 if j ∈ J₊ else −1,   x = μ_j + ξ,   ξ ~ N(0, I_d).
 *
 * Gradient descent from an isotropic Gaussian initialisation on isotropic noise is rotation
 * equivariant, so the default centres are the scaled basis vectors √d·e_j (exactly orthogonal,
 * cheap); `rotate: true` draws a Haar-random orthonormal k-frame instead.
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
  randomOrthonormal,
  resolveOptions,
} from '@descent/tensor';

/** A labelled sample of the multi-cluster distribution. */
export interface ClusterData {
  /** Number of samples. */
  n: number;
  /** Dimension. */
  d: number;
  /** Number of clusters. */
  k: number;
  /** Inputs, row-major n×d. */
  X: Float64Array;
  /** Binary labels ±1. */
  y: Float64Array;
  /** Cluster index j ∈ [0, k) of each sample (the fine-grained label). */
  cluster: Int32Array;
  /** The centres μ_j, row-major k×d. */
  centers: Float64Array;
  /** J₊: the clusters labelled +1 (sorted). */
  positive: Int32Array;
}

/** Options of {@link clusterCenters}. */
export interface ClusterCentersOptions {
  /** Number of clusters k ≥ 2. */
  k: number;
  /** Dimension d ≥ k. */
  d: number;
  /** Draw a Haar-random orthonormal frame (default false: √d·e_j). */
  rotate?: boolean;
  /** Seed of the rotation (default 0). */
  seed?: KeyPart;
}

/**
 * k orthogonal centres of norm √d as a row-major k×d Float64Array.
 *
 * ```ts
 * clusterCenters({ k: 2, d: 4 }); // [2, 0, 0, 0,  0, 2, 0, 0]
 * ```
 */
export function clusterCenters(options: ClusterCentersOptions): Float64Array {
  const { k, d, rotate, seed } = resolveOptions(
    options,
    {
      k: option.integer({ min: 2, required: true }),
      d: option.integer({ min: 1, required: true }),
      rotate: option.boolean({ default: false }),
      seed: option.seed(),
    },
    { name: 'clusterCenters options' },
  );
  return centersFrom(k, d, rotate, new Rng(seed).fold('rotation'));
}

const SAMPLE_SCHEMA = {
  positive: option.custom((v: unknown) => v as ArrayLike<number>),
  balanced: option.boolean({ default: false }),
  noiseStd: option.number({ min: 0, default: 1 }),
};

function centersFrom(k: number, d: number, rotate: boolean, rng: Rng): Float64Array {
  assertInteger('k', k, 2);
  assertInteger('d', d, 1);
  if (d < k) throw new ShapeError(`d must be >= k = ${k} (orthogonal centres), got ${d}`, 'd');
  const s = Math.sqrt(d);
  const centers = new Float64Array(k * d);
  if (!rotate) {
    for (let j = 0; j < k; j++) centers[j * d + j] = s;
    return centers;
  }
  const Q = randomOrthonormal(d, k, rng);
  for (let j = 0; j < k; j++) for (let i = 0; i < d; i++) centers[j * d + i] = s * Q.data[i * k + j];
  return centers;
}

/** The default split J₊ = {0, …, ⌈k/2⌉ − 1}. */
export function defaultPositive(k: number): Int32Array {
  assertInteger('k', k, 2);
  return Int32Array.from({ length: Math.ceil(k / 2) }, (_, j) => j);
}

/** Options of {@link sampleClusterData}. */
export interface SampleClusterOptions {
  /** Number of samples n ≥ 1. */
  n: number;
  /** J₊ (default the first ⌈k/2⌉ clusters). Must leave J₋ non-empty. */
  positive?: ArrayLike<number>;
  /**
   * Exactly ⌊n/k⌋ or ⌈n/k⌉ samples per cluster in random order (default false: j ~ Unif[k]
   * independently, the paper's definition).
   */
  balanced?: boolean;
  /** Standard deviation of the noise ξ (default 1, the paper's; it has no σ parameter). */
  noiseStd?: number;
  /** Seed (default 0). */
  seed?: KeyPart;
}

function readPositive(positive: ArrayLike<number> | undefined, k: number): Int32Array {
  if (positive === undefined) return defaultPositive(k);
  if (positive == null || typeof positive.length !== 'number') {
    throw new ValueError(
      `positive must be an array of cluster indices, got ${describe(positive)}`,
      'positive',
    );
  }
  const set = new Set<number>();
  for (let i = 0; i < positive.length; i++) {
    assertInteger(`positive[${i}]`, positive[i], 0, k - 1);
    set.add(positive[i]);
  }
  if (set.size !== positive.length) throw new ValueError('positive must not repeat a cluster', 'positive');
  if (set.size === 0 || set.size === k) {
    throw new ValueError(
      `positive must hold between 1 and k − 1 = ${k - 1} clusters, got ${set.size}`,
      'positive',
    );
  }
  return Int32Array.from([...set].sort((a, b) => a - b));
}

/**
 * n samples around the given centres (row-major k×d). Cluster indices come from
 * `Rng(seed).fold('clusters')`, noise from `Rng(seed).fold('noise')`.
 *
 * ```ts
 * const centers = clusterCenters({ k: 8, d: 256 });
 * const train = sampleClusterData(centers, 8, { n: 400, seed: 'train' });
 * ```
 */
export function sampleClusterData(
  centers: Float64Array,
  k: number,
  options: SampleClusterOptions,
): ClusterData {
  const { seed, ...rest } = resolveOptions(
    options,
    { n: option.integer({ min: 1, required: true }), seed: option.seed(), ...SAMPLE_SCHEMA },
    { name: 'sampleClusterData options' },
  );
  return sampleFrom(centers, k, rest, new Rng(seed));
}

function sampleFrom(
  centers: Float64Array,
  k: number,
  options: Omit<SampleClusterOptions, 'seed'>,
  root: Rng,
): ClusterData {
  const { n, balanced = false, noiseStd = 1 } = options;
  assertInteger('k', k, 2);
  if (!(centers instanceof Float64Array) || centers.length % k !== 0 || centers.length === 0) {
    throw new ShapeError(`centers must be a Float64Array of length k·d, got ${describe(centers)}`, 'centers');
  }
  const d = centers.length / k;
  assertInteger('n', n, 1);
  assertPositive('noiseStd', noiseStd, true);
  const positive = readPositive(options.positive, k);
  const isPositive = new Uint8Array(k);
  for (const j of positive) isPositive[j] = 1;
  const cluster = new Int32Array(n);
  const pick = root.fold('clusters');
  if (balanced) {
    const order = pick.permutation(n);
    for (let i = 0; i < n; i++) cluster[order[i]] = i % k;
  } else {
    for (let i = 0; i < n; i++) cluster[i] = pick.int(k);
  }
  const X = root.fold('noise').fillNormal(new Float64Array(n * d), 0, noiseStd);
  const y = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const j = cluster[i];
    y[i] = isPositive[j] ? 1 : -1;
    const o = i * d;
    const c = j * d;
    for (let t = 0; t < d; t++) X[o + t] += centers[c + t];
  }
  return { n, d, k, X, y, cluster, centers, positive };
}

/** Options of {@link makeClusterData}. */
export interface MakeClusterDataOptions
  extends Omit<ClusterCentersOptions, 'seed'>,
    Omit<SampleClusterOptions, 'n' | 'seed'> {
  /** Training samples (the paper's synthetic setting: 1000). */
  nTrain: number;
  /** Test samples (default nTrain). */
  nTest?: number;
  /** Seed of everything (centres' rotation, train and test samples). */
  seed?: KeyPart;
}

/**
 * Centres plus independent train and test samples from one seed: the rotation from
 * `Rng(seed).fold('centers')`, the train set from `fold('train')`, the test set from
 * `fold('test')` (each then split into 'clusters' and 'noise' streams).
 *
 * ```ts
 * const { train, test } = makeClusterData({ k: 10, d: 3072, nTrain: 1000, seed: 0 });
 * ```
 */
export function makeClusterData(options: MakeClusterDataOptions): {
  train: ClusterData;
  test: ClusterData;
  centers: Float64Array;
} {
  const { k, d, rotate, nTrain, nTest, seed, ...rest } = resolveOptions(
    options,
    {
      k: option.integer({ min: 2, required: true }),
      d: option.integer({ min: 1, required: true }),
      rotate: option.boolean({ default: false }),
      nTrain: option.integer({ min: 1, required: true }),
      nTest: option.integer({ min: 1 }),
      seed: option.seed(),
      ...SAMPLE_SCHEMA,
    },
    { name: 'makeClusterData options' },
  );
  const root = new Rng(seed);
  const centers = centersFrom(k, d, rotate, root.fold('centers'));
  const train = sampleFrom(centers, k, { ...rest, n: nTrain }, root.fold('train'));
  const test = sampleFrom(centers, k, { ...rest, n: nTest ?? nTrain }, root.fold('test'));
  return { train, test, centers };
}
