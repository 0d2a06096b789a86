/**
 * The two-layer student of Ren & Lee 2024 (arXiv 2410.09678) trained by one-pass spherical SGD:
 * f(x) = Σ_{i=1}^m a_i σ(w_i·x) with neurons w_i on the unit sphere, the second layer fixed at a
 * small a₀ while the first layer learns (Stage 1: the subspace from the h₂ part; Stage 2: the
 * directions from the h_{2L} part), then the second layer fitted by ridge regression (Stage 3).
 * @module
 */
import {
  HermiteTeacherStudent,
  Matrix,
  NotSupportedError,
  type RunResult as ProtocolRunResult,
  Rng,
  type Seed,
  type Serializable,
  ShapeError,
  type StreamingLearner,
  ValueError,
  type VectorLike,
  type VersionedJSON,
  assertAllFinite,
  describe,
  makeBlob,
  median,
  openBlob,
  randomOrthonormal,
  readBoolean,
  readEnum,
  readInteger,
  readNumber,
  readSeed,
  readVector,
  option,
  resolveOptions,
  readOptions,
  readFunction,
  readMatrix,
  type MatrixInput,
} from '@descent/tensor';
import { type HermiteCoeffs, HermiteSeries, evalSeries } from './hermiteSeries';
import { bestOverlaps, coverage, overlaps, subspaceMass } from './metrics';
import { MultiIndexTarget, seriesTeacherRows } from './multiIndexTarget';
import { ridgeRegression } from './ridgeRegression';
import { type Stage, defaultSchedule, stageAt, totalSamples, totalSteps, validateSchedule } from './schedule';
import { normalizeRowsInPlace, sphericalStepInPlace } from './sphericalStep';
import { type StudentLoss, studentGradientUnchecked } from './studentGradient';

/** First-layer initialisation: i.i.d. uniform on the sphere (normalised Gaussians) or random orthonormal rows (m ≤ d). */
export type StudentInit = 'sphere' | 'orthonormal';

/** Options of {@link SphericalOnlineSGD}. */
export interface SphericalOnlineSGDOptions {
  /**
   * The target the student is meant to learn (not stored): it supplies the defaults that depend on
   * it, σ = φ (its link), a₀ = P/m and d. Without it, `activation` (and, for the squared loss, `a0`)
   * must be given: the student never guesses a link.
   */
  target?: MultiIndexTarget;
  /** Input dimension d (default `target.d`; required without `target`). */
  d?: number;
  /** Width m ≥ 1. */
  m: number;
  /**
   * Activation σ by Hermite coefficients (default: the target's link, σ = φ, the paper's choice).
   * Required without `target`: a student whose activation does not match the link learns another
   * problem (e.g. h₂ + h₄ on an h₂ + h₆ target), so there is no silent default.
   */
  activation?: HermiteCoeffs | HermiteSeries;
  /** First-layer objective (default `'squared'`, the paper's; `'correlation'` is its small-a₀ limit). */
  loss?: StudentLoss;
  /**
   * Fixed second-layer value during feature learning, squared loss only (default P/m with `target`,
   * the value calibrated in the README; required for the squared loss without `target`). The
   * correlation loss does not use it; there the second layer starts at a₀ if given, else at 1/m,
   * until {@link SphericalOnlineSGD.fitSecondLayer}.
   */
  a0?: number;
  /** Stages of the learning-rate schedule (default {@link defaultSchedule}(d)). */
  schedule?: Stage[];
  /** Initialisation (default `'sphere'`). */
  init?: StudentInit;
  /** Project the gradient on the tangent space before the retraction (default true). */
  tangentProjection?: boolean;
  /** Seed of the initialisation and of the data stream (default 0): a number or a string. */
  seed?: Seed;
  /**
   * Learning rate of the second layer trained jointly by SGD on the squared loss (default 0: the
   * paper's fixed a₀ until the ridge fit). A positive value gives the joint-training baseline.
   */
  secondLayerLearningRate?: number;
}

/** One entry of the training history. */
export interface CheckRecord {
  /** Steps done. */
  step: number;
  /** Samples consumed (Σ batch sizes). */
  samples: number;
  /** min_k max_i |w_i·v_k*|. */
  coverage: number;
  /** Median over neurons of the subspace mass Σ_k (w_i·v_k*)². */
  subspaceMass: number;
  /** max_i |w_i·v_k*| for each direction k. */
  bestOverlaps: number[];
  /** Learning rate of the last step. */
  learningRate: number;
}

/** Options of {@link SphericalOnlineSGD.run}. */
export interface RunOptions {
  /** Steps between metric checks (default 100; also checks at step 0 and at the end). */
  checkEvery?: number;
  /** Stops early when it returns true for a check record. */
  stopWhen?: (record: CheckRecord) => boolean;
  /** Progress callback (fraction of the schedule done, message). */
  progress?: (fraction: number, message?: string) => void;
  /** Cap on the number of steps run by this call (default: the rest of the schedule). */
  maxSteps?: number;
}

/**
 * Result of {@link SphericalOnlineSGD.run}: the shared `RunResult` of `@descent/tensor` (history,
 * evaluations = samples consumed, timeMs, stopReason `'callback'` when `stopWhen` stopped the run,
 * else `'maxSteps'`: the schedule or the `maxSteps` cap was used up) plus the step count.
 */
export interface RunResult extends ProtocolRunResult<CheckRecord> {
  /** Steps done in total. */
  steps: number;
  /** True when `stopWhen` stopped the run. */
  stopped: boolean;
  stopReason: 'callback' | 'maxSteps';
}

/** Serialised learner (format version 1), see {@link SphericalOnlineSGD.toJSON}. */
export interface SphericalOnlineSGDState extends VersionedJSON<'SphericalOnlineSGD'> {
  version: 1;
  options: {
    d: number;
    m: number;
    activation: Record<number, number>;
    loss: StudentLoss;
    /** Absent for the correlation loss without a₀. */
    a0?: number;
    schedule: Array<{ steps: number; learningRate: number; batch?: number }>;
    init: StudentInit;
    tangentProjection: boolean;
    /** The seed with its type, so that a damaged blob cannot turn a number seed into a string one. */
    seed: { kind: 'number'; value: number } | { kind: 'string'; value: string };
    secondLayerLearningRate: number;
  };
  W: number[];
  a: number[];
  step: number;
  samples: number;
}

/** What one {@link SphericalOnlineSGD.learnOne} round reports. */
export interface LearnOneReport {
  /** f(x) before the update. */
  prediction: number;
  /** (f(x) − y)² before the update. */
  loss: number;
}

/**
 * Spherical one-pass SGD on a two-layer network (the learner of Ren & Lee 2024).
 *
 * ```ts
 * const target = new MultiIndexTarget({ d: 32, P: 4, seed: 1 });
 * const net = new SphericalOnlineSGD({ target, m: 12, seed: 2 }); // σ = φ, a₀ = P/m, d = 32
 * net.run(target);                       // Stage 1 + 2 (default schedule, 320k samples)
 * net.fitSecondLayer(target);            // Stage 3: ridge regression
 * coverage(net.overlaps(target));        // ≈ 0.99: every direction found
 * ```
 */
export class SphericalOnlineSGD
  implements Serializable<SphericalOnlineSGDState>, StreamingLearner<VectorLike, number, LearnOneReport>
{
  /** Input dimension. */
  readonly d: number;
  /** Width (number of neurons). */
  readonly m: number;
  /** Activation σ. */
  readonly activation: HermiteSeries;
  /** First-layer objective. */
  readonly loss: StudentLoss;
  /** Fixed second-layer value during feature learning (squared loss; `undefined` when the correlation loss was chosen without one). */
  readonly a0: number | undefined;
  /** The staged schedule (copied). */
  readonly schedule: Stage[];
  /** Initialisation used. */
  readonly init: StudentInit;
  /** Whether gradients are projected on the tangent space before the retraction. */
  readonly tangentProjection: boolean;
  /** Seed of the initialisation and data stream. */
  readonly seed: Seed;
  /** Second-layer learning rate (0: fixed a₀, the paper's learner). */
  readonly secondLayerLearningRate: number;
  /** First layer, m×d, unit rows (mutated by training). */
  readonly W: Matrix;
  /** Second layer (a₀ everywhere, or 1/m for the correlation loss without a₀, until {@link fitSecondLayer}). */
  a: Float64Array;
  private t = 0;
  private nSamples = 0;
  private readonly G: Float64Array;
  private readonly Ga: Float64Array;
  private readonly scratch: Float64Array;
  private readonly dataRng: Rng;
  private fused: { target: MultiIndexTarget; kernel: HermiteTeacherStudent } | undefined;

  constructor(options: SphericalOnlineSGDOptions) {
    if (options == null || typeof options !== 'object')
      throw new ValueError(`options must be an object, got ${describe(options)}`, 'options');
    // an unknown or renamed option is a ValueError naming it; each value is read below
    const pass = option.custom((v: unknown) => v);
    resolveOptions(
      options,
      {
        target: pass,
        d: pass,
        m: pass,
        activation: pass,
        loss: pass,
        a0: pass,
        schedule: pass,
        init: pass,
        tangentProjection: pass,
        seed: pass,
        secondLayerLearningRate: pass,
      },
      {
        name: 'SphericalOnlineSGD options',
        renamed: { secondLayerLr: 'secondLayerLearningRate', lr: 'schedule' },
      },
    );
    const { target } = options;
    if (target !== undefined && !(target instanceof MultiIndexTarget)) {
      throw new ValueError(`target must be a MultiIndexTarget, got ${describe(target)}`, 'target');
    }
    if (options.d === undefined && !target)
      throw new ValueError('d is required (or pass target to use target.d), got undefined', 'd');
    const d = readInteger(orDefault(options.d, target?.d), 'd', { min: 1 });
    if (target && target.d !== d) throw new ShapeError(`d must equal target.d = ${target.d}, got ${d}`, 'd');
    const m = readInteger(options.m, 'm', { min: 1 });
    const loss = readEnum(orDefault(options.loss, 'squared'), 'loss', ['squared', 'correlation'] as const);
    const init = readEnum(orDefault(options.init, 'sphere'), 'init', ['sphere', 'orthonormal'] as const);
    const tangentProjection = readBoolean(orDefault(options.tangentProjection, true), 'tangentProjection');
    const seed = readSeed(orDefault(options.seed, 0));
    const secondLayerLearningRate = readNumber(
      orDefault(options.secondLayerLearningRate, 0),
      'secondLayerLearningRate',
      { min: 0 },
    );
    const activation = orDefault(options.activation, target?.link);
    if (activation === undefined) {
      throw new ValueError(
        "activation is required: pass the target's link (or target, to use σ = φ); a student with another activation learns another problem",
        'activation',
      );
    }
    const series = HermiteSeries.of(activation, 'activation');
    const a0 = orDefault(options.a0, target ? target.P / m : undefined);
    if (a0 === undefined && loss === 'squared') {
      throw new ValueError(
        "a0 is required for loss 'squared' (the fixed second layer, P/m in the paper's calibration), or pass target to use P/m",
        'a0',
      );
    }
    if (a0 !== undefined) readNumber(a0, 'a0', { gt: 0 });
    if (init === 'orthonormal' && m > d)
      throw new ValueError(`init 'orthonormal' needs m <= d = ${d}, got m = ${m}`, 'm');
    if (secondLayerLearningRate > 0 && loss !== 'squared') {
      throw new ValueError(
        `secondLayerLearningRate > 0 needs loss 'squared', got loss ${describe(loss)}`,
        'secondLayerLearningRate',
      );
    }
    const schedule = orDefault(options.schedule, defaultSchedule(d));
    validateSchedule(schedule);
    this.d = d;
    this.m = m;
    this.activation = series;
    this.loss = loss;
    this.a0 = a0;
    this.schedule = schedule.map((s) => ({ ...s }));
    this.init = init;
    this.tangentProjection = tangentProjection;
    this.seed = seed;
    this.secondLayerLearningRate = secondLayerLearningRate;
    const rng = new Rng(seed);
    this.dataRng = rng.fold('data');
    this.W = initialLayer(m, d, init, rng.fold('init'));
    this.a = new Float64Array(m).fill(a0 ?? 1 / m);
    this.G = new Float64Array(m * d);
    this.Ga = new Float64Array(m);
    this.scratch = new Float64Array(2 * m);
  }

  /** Steps done so far. */
  get step(): number {
    return this.t;
  }

  /** Samples consumed so far. */
  get samples(): number {
    return this.nSamples;
  }

  /** Total steps of the schedule. */
  get totalSteps(): number {
    return totalSteps(this.schedule);
  }

  /** Total samples of the schedule. */
  get totalSamples(): number {
    return totalSamples(this.schedule);
  }

  /** True once the schedule is exhausted. */
  get done(): boolean {
    return this.t >= this.totalSteps;
  }

  /** The stage, learning rate and batch size of the next step (null when done). */
  nextStep(): { stage: number; stepInStage: number; learningRate: number; batch: number } | null {
    return stageAt(this.schedule, this.t);
  }

  /**
   * One spherical SGD step on a minibatch supplied by the caller (X: B×d, y: B), with the current
   * schedule's learning rate (or `learningRate` when given; then the schedule may be exhausted).
   * Returns the mean squared residual (squared loss) or mean y² (correlation loss) of the batch.
   */
  stepOn(input: MatrixInput, y: VectorLike, learningRate?: number): number {
    const X = this.readInputs(input);
    if (X.rows < 1) throw new ShapeError('X must have at least one row, got 0', 'X');
    const yy = readVector(y, 'y', { length: X.rows });
    let eta = learningRate;
    if (eta === undefined) {
      const s = this.nextStep();
      if (!s)
        throw new ValueError(
          `schedule exhausted after ${this.t} steps; pass learningRate explicitly to continue`,
          'schedule',
        );
      eta = s.learningRate;
    }
    readNumber(eta, 'learningRate', { min: 0 });
    assertAllFinite('X', X.data);
    return this.rawStep(X.data, yy, X.rows, eta);
  }

  /**
   * The streaming-learner round: predicts f(x) with the current network, then takes one spherical
   * SGD step on (x, y) alone (batch of one, the schedule's current learning rate).
   */
  learnOne(x: VectorLike, y: number): LearnOneReport {
    const xv = readVector(x, 'x', { length: this.d });
    const yv = readNumber(y, 'y');
    const prediction = this.predictRow(xv);
    this.stepOn(new Matrix(1, this.d, xv), [yv]);
    return { prediction, loss: (prediction - yv) ** 2 };
  }

  /** f(x) = Σ_i a_i σ(w_i·x) for one input (the learner is not changed). */
  predictOne(x: VectorLike): number {
    return this.predictRow(readVector(x, 'x', { length: this.d }));
  }

  private predictRow(x: Float64Array): number {
    const { m, d } = this;
    const w = this.W.data;
    const c = this.activation.coeffs;
    let f = 0;
    for (let i = 0; i < m; i++) {
      let z = 0;
      for (let j = 0; j < d; j++) z += w[i * d + j] * x[j];
      f += this.a[i] * evalSeries(c, z);
    }
    return f;
  }

  private rawStep(X: Float64Array, y: Float64Array, B: number, learningRate: number): number {
    const r = studentGradientUnchecked({
      W: this.W.data,
      m: this.m,
      d: this.d,
      X,
      y,
      B,
      coeffs: this.activation.coeffs,
      derivCoeffs: this.activation.derivCoeffs,
      loss: this.loss,
      a0: this.a0,
      G: this.G,
      scratch: this.scratch,
      a: this.secondLayerLearningRate > 0 ? this.a : undefined,
      Ga: this.secondLayerLearningRate > 0 ? this.Ga : undefined,
    });
    if (this.secondLayerLearningRate > 0)
      for (let i = 0; i < this.m; i++) this.a[i] += this.secondLayerLearningRate * this.Ga[i];
    sphericalStepInPlace(this.W.data, this.G, this.m, this.d, learningRate, this.tangentProjection);
    this.t++;
    this.nSamples += B;
    return r;
  }

  /**
   * Runs the schedule on fresh samples of `target` (one-pass: the batch of step t is drawn from
   * the stream `rng.fold('data').fold(t)` of this learner's seed, so runs are reproducible bit for bit
   * and independent of check frequency). Records metrics every `checkEvery` steps.
   */
  run(target: MultiIndexTarget, runOptions: RunOptions = {}): RunResult {
    const start = performance.now();
    const options = readOptions<RunOptions>(runOptions);
    this.checkTarget(target);
    const stopWhen =
      options.stopWhen === undefined
        ? undefined
        : readFunction<NonNullable<RunOptions['stopWhen']>>(options.stopWhen, 'stopWhen');
    const progress =
      options.progress === undefined
        ? undefined
        : readFunction<NonNullable<RunOptions['progress']>>(options.progress, 'progress');
    const checkEvery = readInteger(options.checkEvery ?? 100, 'checkEvery', { min: 1 });
    const maxSteps = readInteger(options.maxSteps ?? Number.POSITIVE_INFINITY, 'maxSteps', {
      min: 0,
      allowInfinity: true,
    });
    const total = this.totalSteps;
    const history: CheckRecord[] = [];
    let lastLr = 0;
    const check = (): CheckRecord => {
      const rec = this.checkRecord(target, lastLr);
      history.push(rec);
      return rec;
    };
    let stopped = false;
    const first = check();
    if (stopWhen?.(first)) stopped = true;
    const endStep = Math.min(total, this.t + maxSteps);
    const progressEvery = Math.max(1, Math.floor(total / 50));
    // the fused path (one wasm call per step on resident arrays, same bits) holds W in its arena
    // between callbacks: copied out before every check, callback, error and at the end
    const fused = this.t < endStep ? this.fusedStep(target) : undefined;
    const W = this.W.data;
    if (fused) fused.W.set(W);
    try {
      while (!stopped && this.t < endStep) {
        const s = stageAt(this.schedule, this.t);
        if (!s) break;
        lastLr = s.learningRate;
        let r: number;
        if (fused) {
          r = fused.step(this.dataRng.fold(this.t), s.batch, s.learningRate, this.tangentProjection);
          this.t++;
          this.nSamples += s.batch;
        } else {
          const { X, y } = target.sample(s.batch, this.dataRng.fold(this.t));
          r = this.rawStep(X.data, y, s.batch, s.learningRate);
        }
        if (!Number.isFinite(r) || !Number.isFinite(fused ? fused.W[0] : W[0])) {
          throw new ValueError(
            `training diverged at step ${this.t} (learningRate = ${s.learningRate}); reduce the learning rate`,
            'schedule',
          );
        }
        const checkNow = this.t % checkEvery === 0 || this.t === endStep;
        const progressNow = progress !== undefined && this.t % progressEvery === 0;
        if (fused && (checkNow || progressNow)) W.set(fused.W);
        if (checkNow) {
          const rec = check();
          if (stopWhen?.(rec)) stopped = true;
        }
        if (progressNow) progress(this.t / total, `step ${this.t}/${total}`);
        if (fused && (checkNow || progressNow)) fused.W.set(W); // a callback may have changed W
      }
    } finally {
      if (fused) W.set(fused.W);
    }
    progress?.(this.t / total, stopped ? `stopped at step ${this.t}` : `step ${this.t}/${total}`);
    return {
      history,
      steps: this.t,
      evaluations: this.nSamples,
      stopped,
      stopReason: stopped ? 'callback' : 'maxSteps',
      timeMs: performance.now() - start,
    };
  }

  /**
   * The fused teacher–student step of @descent/tensor (wasm) when it computes exactly what
   * `target.sample` + {@link rawStep} compute: a Hermite-series link without label noise, a fixed
   * second layer, series of degree ≤ 64; undefined otherwise (or without wasm). Kept while the
   * target is the same object.
   */
  private fusedStep(target: MultiIndexTarget): HermiteTeacherStudent | undefined {
    if (this.fused && this.fused.target === target) return this.fused.kernel;
    this.fused = undefined;
    const rows = seriesTeacherRows(target);
    if (
      !rows ||
      target.noiseStd !== 0 ||
      this.secondLayerLearningRate > 0 ||
      target.link.coeffs.length > 65 ||
      this.activation.coeffs.length > 65
    )
      return undefined;
    const batches = this.schedule.map((s) => s.batch ?? 64);
    const maxBatch = Math.max(...batches);
    const shape = { d: this.d, m: this.m, P: target.P, batch: Math.min(...batches) };
    if (!HermiteTeacherStudent.available(shape)) return undefined; // below the kernels' crossover: other bits
    const kernel = new HermiteTeacherStudent({
      d: this.d,
      m: this.m,
      maxBatch,
      teacher: rows,
      P: target.P,
      teacherCoeffs: target.link.coeffs,
      coeffs: this.activation.coeffs,
      derivCoeffs: this.activation.derivCoeffs,
      loss: this.loss,
      a0: this.a0,
    });
    this.fused = { target, kernel };
    return kernel;
  }

  /** Metrics of the current first layer against the target's directions. */
  checkRecord(target: MultiIndexTarget, learningRate = 0): CheckRecord {
    const M = this.overlaps(target);
    return {
      step: this.t,
      samples: this.nSamples,
      coverage: coverage(M),
      subspaceMass: median(subspaceMass(M)),
      bestOverlaps: Array.from(bestOverlaps(M)),
      learningRate,
    };
  }

  /** Overlap matrix M = W V* (m×P). */
  overlaps(target: MultiIndexTarget): Matrix {
    this.checkTarget(target);
    return overlaps(this.W, target.directions);
  }

  /** Reads inputs (Matrix, nested arrays or a rank-2 tensor, read but not disposed) as an n×d Matrix. */
  private readInputs(input: MatrixInput): Matrix {
    const X = readMatrix(input, 'X');
    if (X.cols !== this.d)
      throw new ShapeError(`X must have d = ${this.d} columns, got ${X.rows}×${X.cols}`, 'X');
    return X;
  }

  /** Hidden features σ(W x) of the rows of X (n×m; X a Matrix, nested arrays or a rank-2 tensor). */
  features(input: MatrixInput): Matrix {
    const X = this.readInputs(input);
    assertAllFinite('X', X.data);
    const { m, d } = this;
    const n = X.rows;
    const F = new Matrix(n, m);
    const w = this.W.data;
    const c = this.activation.coeffs;
    for (let r = 0; r < n; r++) {
      for (let i = 0; i < m; i++) {
        let z = 0;
        for (let j = 0; j < d; j++) z += w[i * d + j] * X.data[r * d + j];
        F.data[r * m + i] = evalSeries(c, z);
      }
    }
    return F;
  }

  /**
   * Stage 3: refits the second layer by ridge regression on n fresh samples,
   * a = argmin (1/n)Σ(Σ_i a_i σ(w_i·x) − y)² + λ‖a‖² (defaults n = 20 000, λ = 1e-4 as calibrated
   * in the notes §3.2c). Sets and returns `a`.
   */
  fitSecondLayer(
    target: MultiIndexTarget,
    options: { n?: number; lambda?: number; seed?: Seed } = {},
  ): Float64Array {
    const {
      n = 20000,
      lambda = 1e-4,
      seed,
    } = readOptions<{ n?: number; lambda?: number; seed?: Seed }>(options);
    this.checkTarget(target);
    readInteger(n, 'n', { min: 1, max: 1e7 });
    readNumber(lambda, 'lambda', { min: 0 });
    const rng = seed === undefined ? new Rng(this.seed).fold('ridge') : new Rng(readSeed(seed));
    const { X, y } = target.sample(n, rng);
    this.a = ridgeRegression(this.features(X), y, lambda);
    return this.a;
  }

  /** Network output Σ_i a_i σ(w_i·x) for every row of X (a Matrix, nested arrays or a rank-2 tensor). */
  predict(input: MatrixInput): Float64Array {
    const X = this.readInputs(input);
    const F = this.features(X);
    const out = new Float64Array(X.rows);
    for (let r = 0; r < X.rows; r++) {
      let s = 0;
      for (let i = 0; i < this.m; i++) s += this.a[i] * F.data[r * this.m + i];
      out[r] = s;
    }
    return out;
  }

  /** Relative test MSE mean((f − y)²)/Var(y) on n fresh samples (default 20 000). */
  relativeTestMSE(target: MultiIndexTarget, options: { n?: number; seed?: Seed } = {}): number {
    const { n = 20000, seed } = readOptions<{ n?: number; seed?: Seed }>(options);
    this.checkTarget(target);
    readInteger(n, 'n', { min: 1, max: 1e7 });
    const rng = seed === undefined ? new Rng(this.seed).fold('test') : new Rng(readSeed(seed));
    const { X, y } = target.sample(n, rng);
    const pred = this.predict(X);
    let s = 0;
    for (let i = 0; i < n; i++) s += (pred[i] - y[i]) ** 2;
    return s / n / target.variance();
  }

  /**
   * The full state as a versioned blob `{ type: 'SphericalOnlineSGD', version: 1, ... }` (schedules
   * must use constant learning rates). The data stream needs no state: the batch of step t is a
   * fixed function of the seed and t.
   */
  toJSON(): SphericalOnlineSGDState {
    const schedule = this.schedule.map((s, i) => {
      if (typeof s.learningRate !== 'number')
        throw new NotSupportedError(
          `toJSON needs constant learning rates, schedule[${i}].learningRate is a function`,
          'schedule',
        );
      return s.batch === undefined
        ? { steps: s.steps, learningRate: s.learningRate }
        : { steps: s.steps, learningRate: s.learningRate, batch: s.batch };
    });
    const options: SphericalOnlineSGDState['options'] = {
      d: this.d,
      m: this.m,
      activation: this.activation.toJSON(),
      loss: this.loss,
      schedule,
      init: this.init,
      tangentProjection: this.tangentProjection,
      seed:
        typeof this.seed === 'string'
          ? { kind: 'string', value: this.seed }
          : { kind: 'number', value: this.seed },
      secondLayerLearningRate: this.secondLayerLearningRate,
    };
    if (this.a0 !== undefined) options.a0 = this.a0;
    return makeBlob('SphericalOnlineSGD', 1, {
      options,
      W: Array.from(this.W.data),
      a: Array.from(this.a),
      step: this.t,
      samples: this.nSamples,
    }) as SphericalOnlineSGDState;
  }

  /**
   * Restores a learner saved by {@link toJSON} (the blob or its JSON text); continuing it reproduces
   * the uninterrupted run bit for bit. Every field is validated: a wrong type or version, a missing
   * field, a wrong length or a non-finite number is a typed error naming the field.
   */
  static fromJSON(json: unknown): SphericalOnlineSGD {
    const r = openBlob(json, { type: 'SphericalOnlineSGD', version: 1 });
    const o = r.object('options');
    const size = r.at('W').asArrayValue().length; // W is m×d: bounds d and m before anything is allocated
    const d = o.integer('d', { min: 1, max: Math.max(1, size) });
    const m = o.integer('m', { min: 1, max: Math.max(1, size) });
    const act = o.object('activation');
    const activation: Record<number, number> = {};
    for (const key of Object.keys(act.asObjectValue())) {
      if (!/^(0|[1-9][0-9]*)$/.test(key)) throw act.valueError('an object with Hermite degrees as keys', key);
      activation[Number(key)] = act.number(key);
    }
    const loss = o.oneOf('loss', ['squared', 'correlation'] as const);
    const a0 = o.optional('a0', (x) => x.asNumber({ gt: 0 }), undefined as number | undefined);
    const schedule = o.array(
      'schedule',
      (st) => {
        const steps = st.integer('steps', { min: 1 });
        const learningRate = st.number('learningRate', { min: 0 });
        const batch = st.optional('batch', (b) => b.asInteger({ min: 1 }), undefined as number | undefined);
        return batch === undefined ? { steps, learningRate } : { steps, learningRate, batch };
      },
      { minLength: 1 },
    );
    const init = o.oneOf('init', ['sphere', 'orthonormal'] as const);
    const tangentProjection = o.boolean('tangentProjection');
    const seedBlob = o.object('seed');
    const seed: Seed =
      seedBlob.oneOf('kind', ['number', 'string'] as const) === 'string'
        ? seedBlob.string('value')
        : seedBlob.number('value');
    const secondLayerLearningRate = o.number('secondLayerLearningRate', { min: 0 });
    const net = new SphericalOnlineSGD({
      d,
      m,
      activation,
      loss,
      a0,
      schedule,
      init,
      tangentProjection,
      seed,
      secondLayerLearningRate,
    });
    // rows of W are unit vectors, so every entry is in [−1, 1] (up to rounding)
    net.W.data.set(r.vector('W', { length: m * d, min: -1 - 1e-9, max: 1 + 1e-9 }));
    net.a = r.vector('a', { length: m });
    net.t = r.integer('step', { min: 0 });
    net.nSamples = r.integer('samples', { min: 0 });
    return net;
  }

  private checkTarget(target: MultiIndexTarget): void {
    if (target == null || typeof target !== 'object' || !('directions' in target)) {
      throw new ValueError(`target must be a MultiIndexTarget, got ${describe(target)}`, 'target');
    }
    if (target.d !== this.d)
      throw new ShapeError(`target.d must equal the learner's d = ${this.d}, got ${target.d}`, 'target');
  }
}

/** `value` unless it is undefined (a null is kept, so that it meets the reader's typed error). */
function orDefault<T, D>(value: T | undefined, fallback: D): T | D {
  return value === undefined ? fallback : value;
}

function initialLayer(m: number, d: number, init: StudentInit, rng: Rng): Matrix {
  if (init === 'orthonormal') {
    // m ≤ d orthonormal rows: the transpose of a random d×m matrix with orthonormal columns.
    return randomOrthonormalRows(m, d, rng);
  }
  const W = new Matrix(m, d, rng.normalArray(m * d));
  normalizeRowsInPlace(W.data, m, d);
  return W;
}

function randomOrthonormalRows(m: number, d: number, rng: Rng): Matrix {
  return randomOrthonormal(d, m, rng).transpose();
}
