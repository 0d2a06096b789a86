/**
 * Few-shot sinusoid regression as META-LEARNING of an MLP prior: iMAML's proximal inner loss
 * (Rajeswaran et al., NeurIPS 2019) on the MAML sinusoid task family (Finn et al., ICML 2017;
 * paper notes §3.2 item 4), over an `@descent/nn` model, as a {@link BilevelProblem} on the tensor
 * path — so every estimator of this package (SGLD B/C/pathwise, IFT-CG/Neumann, full/truncated
 * RMD, T1–T2, DARTS, first order, ignore) meta-learns the prior through the same
 * `estimate(problem, λ, context)` and `bilevelTrain`.
 *
 * Tasks y = a·sin(x − φ), a ~ U[0.1, 5], φ ~ U[0, π], x ~ U[−5, 5], K support and Q query points,
 * drawn from the shared seeded Rng exactly as the float64 `sinusoidFewShot` draws them (task k of
 * the stream is `Rng(seed).fold('task', k)`; meta-batch b holds tasks bM … bM + M − 1, so batch 0
 * of a seed is `sinusoidFewShot`'s training set of the same seed). The outer variable is
 *
 *   λ = [θ₀; ρ]   θ₀ = the prior mean over the model's parameter tree (flattened in tree order),
 *                 ρ  = one log precision per tensor of the tree (only with `learnPrecision`),
 *
 * and the inner variable is the per-task DISPLACEMENT from the prior, θ = [δ_1; …; δ_M] (task m's
 * adapted weights are θ₀ + δ_m, so δ = 0 is "start at the prior", as MAML/iMAML start there):
 *
 *   L_T(δ, λ) = Σ_m ½‖f(θ₀ + δ_m; X_m) − y_m‖² + ½ Σ_j γ_j ‖δ_{m,j}‖²    (γ_j = e^{ρ_j}, or the fixed `precision`)
 *   L_V(δ, λ) = (1/M) Σ_m mean_q (f(θ₀ + δ_m; X^q_m) − y^q_m)²          (query MSE)
 *
 * With θ = θ₀ + δ the Gibbs law exp(−L_T/τ) and the deterministic F(λ) = L_V(δ*(λ), λ) are those of
 * the usual θ-parametrisation (iMAML: ∇_{θ₀}F = Σ_m (I + H_m/γ)⁻¹∇L_V,m); what changes is the
 * split of the hypergradient: ∇_λL_V ≠ 0 (the outer loss sees θ₀ directly) and B = ∂²L_T/∂δ∂θ₀ is
 * the support Hessian. So `dartsFirstOrder` (∇_λL_V after T inner steps) IS the first-order
 * (FOMAML-style) meta-gradient, and a zero inner start needs no knowledge of λ (fresh meta-batches
 * per outer step work with `bilevelTrain`'s `warmStart: false`).
 * @module
 */
import {
  Rng,
  type Seed,
  ShapeError,
  ValueError,
  describe,
  option,
  readInteger,
  readSeed,
  readVector,
  resolveOptions,
} from '@descent/tensor';
import { safeExp, tf } from '@descent/tensor/tf';
import { type Model, type ParamTree, type TreeShapes, disposeTree, flattenTree, mlp, shapesSize, treeShapes } from '@descent/nn';
import { ignoreHypergradient } from '../oneStep';
import { type NnBilevelProblem, nnBilevelProblem } from './nnProblem';

/** One sinusoid task (float64 copies of what the tensors hold). */
export interface SinusoidTask {
  /** Amplitude a ∈ [0.1, 5]. */
  amplitude: number;
  /** Phase φ ∈ [0, π]. */
  phase: number;
  /** Support inputs x (length K). */
  x: Float64Array;
  /** Support targets a·sin(x − φ). */
  y: Float64Array;
  /** Query inputs (length Q). */
  xq: Float64Array;
  /** Query targets. */
  yq: Float64Array;
}

/** Options of {@link mlpMetaPrior}. */
export interface MlpMetaPriorOptions {
  /** The model f(θ; x) (default `mlp({ sizes: [1, 40, 40, 1], activation: 'tanh' })`, MAML's sinusoid width); second-order-safe ops only. */
  model?: Model;
  /** Input map x ↦ the model's input row (default x ↦ [x], MAML's raw inputs in [−5, 5]: measured better than x/5 for meta-learning, see the README). */
  inputs?: (x: number) => ArrayLike<number>;
  /** Tasks per meta-batch M (default 5). */
  metaBatch?: number;
  /** Support points K per task (default 10). */
  shots?: number;
  /** Query points Q per task (default 10). */
  queries?: number;
  /** Proximal precision γ (default 1): fixed, or the initial value per tensor with `learnPrecision`. */
  precision?: number;
  /** Append one log precision per tensor to λ (default false: λ = θ₀ only). */
  learnPrecision?: boolean;
  /** How H v is computed: `'autodiff'` (default) or `'fd'` (nn's hvpTree modes). */
  hvp?: 'autodiff' | 'fd';
  /** Seed of the task stream (default 0). */
  seed?: Seed;
}

/** Options of {@link MlpMetaPriorProblem.metaTestLoss}. */
export interface MetaTestOptions {
  /** Fresh test tasks (default 100). */
  tasks?: number;
  /** Seed of the test tasks (default 'test'): task m is `Rng(seed).fold('test-task', m)`. */
  seed?: Seed;
  /** Adaptation steps: gradient descent on the task's L_T from δ = 0 (required). */
  steps: number;
  /** Adaptation step size (required). */
  learningRate: number;
}

/** The meta-learning problem (see the module comment): an {@link NnBilevelProblem} plus meta-batches and meta-test. */
export interface MlpMetaPriorProblem extends NnBilevelProblem {
  /** d₀: parameters of one model (the length of θ₀). */
  readonly priorDim: number;
  /** The shapes of one model's tree (θ₀'s layout). */
  readonly priorShapes: TreeShapes;
  /** M. */
  readonly metaBatch: number;
  /** The current meta-batch index b. */
  readonly batchIndex: number;
  /** Selects meta-batch `index` (tasks index·M … index·M + M − 1 of the seeded stream; stateless). */
  setMetaBatch(index: number): void;
  /** The tasks of the current meta-batch (copies). */
  tasks(): SinusoidTask[];
  /**
   * A starting λ: θ₀ = `model.init(seed)` flattened (`prior: 'init'`, default) or zeros
   * (`'zero'`), followed by log `precision` per tensor with `learnPrecision`.
   */
  initialLambda(options?: { prior?: 'init' | 'zero'; seed?: Seed }): Float64Array;
  /** θ₀ of λ as one model's tree (owned by the caller). */
  priorTree(lambda: ArrayLike<number>): ParamTree;
  /** λmax of the inner Hessian at (θ, λ) (θ default 0 = at the prior) by power iteration on H v. */
  innerLmax(lambda: ArrayLike<number>, theta?: ArrayLike<number>, iterations?: number): number;
  /** Mean query MSE on fresh tasks after K-shot adaptation (GD on L_T from the prior λ). */
  metaTestLoss(lambda: ArrayLike<number>, options: MetaTestOptions): number;
  /** Releases the task tensors (the problem is unusable afterwards). */
  dispose(): void;
}

/** Draws one sinusoid task exactly as `sinusoidFewShot` does (a, φ, then support/query from their folds). */
function drawTask(r: Rng, shots: number, queries: number): SinusoidTask {
  const amplitude = r.uniformIn(0.1, 5);
  const phase = r.uniformIn(0, Math.PI);
  const x = r.fold('support').fillUniform(new Float64Array(shots), -5, 5);
  const xq = r.fold('query').fillUniform(new Float64Array(queries), -5, 5);
  const f = (v: number) => amplitude * Math.sin(v - phase);
  return { amplitude, phase, x, y: x.map(f), xq, yq: xq.map(f) };
}

interface TaskTensors {
  x: tf.Tensor2D;
  y: tf.Tensor2D;
  xq: tf.Tensor2D;
  yq: tf.Tensor2D;
}

function isModel(v: unknown): v is Model {
  const m = v as Model;
  return m !== null && typeof m === 'object' && typeof m.init === 'function' && typeof m.apply === 'function';
}

/** The few-shot sinusoid meta-learning problem over an nn model (see the module comment). */
export function mlpMetaPrior(options: MlpMetaPriorOptions = {}): MlpMetaPriorProblem {
  if (options === null || typeof options !== 'object' || Array.isArray(options)) {
    throw new ValueError(`options must be an object, got ${describe(options)}`, 'options');
  }
  const o = resolveOptions(options, {
    model: option.custom((v, name) => {
      if (!isModel(v)) throw new ValueError(`${name} must be an nn Model { init, apply }, got ${describe(v)}`, name);
      return v;
    }),
    inputs: option.func<(x: number) => ArrayLike<number>>(),
    metaBatch: option.integer({ min: 1, max: 1000, default: 5 }),
    shots: option.integer({ min: 1, max: 10000, default: 10 }),
    queries: option.integer({ min: 1, max: 10000, default: 10 }),
    precision: option.number({ gt: 0, default: 1 }),
    learnPrecision: option.boolean({ default: false }),
    hvp: option.oneOf(['autodiff', 'fd'] as const, { default: 'autodiff' }),
    seed: option.seed(),
  }, { name: 'options' });
  const model = o.model ?? mlp({ sizes: [1, 40, 40, 1], activation: 'tanh' });
  const inputs = o.inputs ?? ((x: number) => [x]);
  const M = o.metaBatch;
  const gamma = o.precision;
  const root = new Rng(o.seed);

  const probe = model.init(0);
  const priorShapes = treeShapes(probe);
  disposeTree(probe);
  const d0 = shapesSize(priorShapes);
  // leaves of one model in tree order, with their offsets in θ₀
  const leaves: Array<{ group: string; name: string; shape: number[]; size: number; offset: number }> = [];
  {
    let off = 0;
    for (const group of Object.keys(priorShapes)) {
      for (const name of Object.keys(priorShapes[group])) {
        const shape = priorShapes[group][name];
        const size = shape.reduce((a, b) => a * b, 1);
        leaves.push({ group, name, shape, size, offset: off });
        off += size;
      }
    }
  }
  const nT = leaves.length;
  const p = d0 + (o.learnPrecision ? nT : 0);
  const taskGroup = (m: number, g: string) => `t${m}.${g}`;

  const inputRows = (xs: Float64Array, name: string): tf.Tensor2D => {
    const rows = Array.from(xs, (x) => {
      const r = inputs(x);
      if (r === null || typeof r !== 'object' || typeof r.length !== 'number') {
        throw new ValueError(`inputs must return a vector (the model's input row), got ${describe(r)}`, 'inputs');
      }
      return Array.from(r, (v) => {
        if (typeof v !== 'number' || !Number.isFinite(v)) throw new ValueError(`inputs must return finite numbers, got ${describe(v)}`, 'inputs');
        return v;
      });
    });
    const w = rows[0]?.length ?? 0;
    if (w === 0 || rows.some((r) => r.length !== w)) throw new ShapeError(`inputs must return rows of one positive length (${name})`, 'inputs');
    return tf.tensor2d(Float32Array.from(rows.flat()), [rows.length, w]);
  };
  const toTensors = (t: SinusoidTask): TaskTensors => {
    const x = inputRows(t.x, 'support');
    try {
      return {
        x,
        y: tf.tensor2d(Float32Array.from(t.y), [t.y.length, 1]),
        xq: inputRows(t.xq, 'query'),
        yq: tf.tensor2d(Float32Array.from(t.yq), [t.yq.length, 1]),
      };
    } catch (e) {
      x.dispose();
      throw e;
    }
  };
  const disposeTasks = (ts: TaskTensors[]) => {
    for (const t of ts) tf.dispose([t.x, t.y, t.xq, t.yq]);
  };

  /** θ₀'s leaves as tensors sliced from λ (differentiable in λ to any order). */
  const priorLeaves = (l: tf.Tensor1D) => leaves.map((leaf) => tf.reshape(tf.slice(l, [leaf.offset], [leaf.size]), leaf.shape));
  /** Task m's weights θ₀ + δ_m as one model's tree. */
  const taskParams = (q: ParamTree, m: number, prior: tf.Tensor[]): ParamTree => {
    const out: ParamTree = {};
    leaves.forEach((leaf, j) => {
      out[leaf.group] ??= {};
      out[leaf.group][leaf.name] = tf.add(q[taskGroup(m, leaf.group)][leaf.name], prior[j]);
    });
    return out;
  };
  /** γ_j as scalar tensors (learned) or numbers (fixed). */
  const precisions = (l: tf.Tensor1D): Array<tf.Tensor | number> =>
    leaves.map((_, j) => (o.learnPrecision ? tf.reshape(safeExp(tf.slice(l, [d0 + j], [1])), []) : gamma));

  /** The nn bilevel problem of a list of tasks (δ-parametrised, see the module comment). */
  const build = (tasks: TaskTensors[]): NnBilevelProblem => {
    const n = tasks.length;
    const shapes: TreeShapes = {};
    for (let m = 0; m < n; m++) {
      for (const g of Object.keys(priorShapes)) shapes[taskGroup(m, g)] = structuredClone(priorShapes[g]);
    }
    return nnBilevelProblem({
      params: shapes,
      hyperDim: p,
      outerUsesLambda: true,
      hvp: o.hvp,
      innerLoss: (q, l) => {
        const prior = priorLeaves(l);
        const fit = tasks.map((t, m) => tf.mul(0.5, tf.sum(tf.square(tf.sub(model.apply(taskParams(q, m, prior), t.x), t.y)))));
        const gam = precisions(l);
        const pen = leaves.map((leaf, j) => {
          const s = tf.addN(tasks.map((_, m) => tf.sum(tf.square(q[taskGroup(m, leaf.group)][leaf.name]))));
          return tf.mul(gam[j], s);
        });
        return tf.add(tf.addN(fit), tf.mul(0.5, tf.addN(pen)));
      },
      outerLoss: (q, l) => {
        const prior = priorLeaves(l);
        const mse = tasks.map((t, m) => tf.mean(tf.square(tf.sub(model.apply(taskParams(q, m, prior), t.xq), t.yq))));
        return tf.div(tf.addN(mse), n);
      },
    });
  };

  const taskOf = (k: number) => drawTask(root.fold('task', k), o.shots, o.queries);
  let batchIndex = 0;
  let current = Array.from({ length: M }, (_, m) => taskOf(m));
  const currentTensors: TaskTensors[] = [];
  let disposed = false;
  try {
    for (const t of current) currentTensors.push(toTensors(t));
  } catch (e) {
    disposeTasks(currentTensors);
    throw e;
  }
  // the problem's losses close over `currentTensors`, whose contents setMetaBatch replaces
  const base = build(currentTensors);
  const lam = (lambda: ArrayLike<number>) => readVector(lambda, 'lambda', { length: p });
  const alive = () => {
    if (disposed) throw new ValueError('this mlpMetaPrior problem was disposed', 'problem');
  };
  const check = <A extends unknown[], R>(f: (...a: A) => R) => (...a: A): R => {
    alive();
    return f(...a);
  };

  const problem: MlpMetaPriorProblem = {
    ...base,
    innerValue: check(base.innerValue),
    innerGradient: check(base.innerGradient),
    innerHyperGradient: check(base.innerHyperGradient),
    outerValue: check(base.outerValue),
    outerGradient: check(base.outerGradient),
    outerHyperGradient: base.outerHyperGradient === undefined ? undefined : check(base.outerHyperGradient),
    innerHvp: base.innerHvp === undefined ? undefined : check(base.innerHvp),
    innerMixedVjp: base.innerMixedVjp === undefined ? undefined : check(base.innerMixedVjp),
    innerMixedJvp: base.innerMixedJvp === undefined ? undefined : check(base.innerMixedJvp),
    priorDim: d0,
    priorShapes,
    metaBatch: M,
    get batchIndex() {
      return batchIndex;
    },
    setMetaBatch(index) {
      alive();
      const b = readInteger(index, 'index', { min: 0, max: Math.floor(2 ** 31 / M) });
      if (b === batchIndex) return;
      const next = Array.from({ length: M }, (_, m) => taskOf(b * M + m));
      const tensors: TaskTensors[] = [];
      try {
        for (const t of next) tensors.push(toTensors(t));
      } catch (e) {
        disposeTasks(tensors);
        throw e;
      }
      disposeTasks(currentTensors.splice(0, M, ...tensors));
      current = next;
      batchIndex = b;
    },
    tasks() {
      alive();
      return current.map((t) => ({ ...t, x: t.x.slice(), y: t.y.slice(), xq: t.xq.slice(), yq: t.yq.slice() }));
    },
    initialLambda(opts = {}) {
      const r = resolveOptions(opts, {
        prior: option.oneOf(['init', 'zero'] as const, { default: 'init' }),
        seed: option.seed(),
      }, { name: 'options' });
      const out = new Float64Array(p);
      if (r.prior === 'init') {
        const tree = model.init(r.seed);
        try {
          out.set(flattenTree(tree));
        } finally {
          disposeTree(tree);
        }
      }
      if (o.learnPrecision) out.fill(Math.log(gamma), d0);
      return out;
    },
    priorTree(lambda) {
      const l = lam(lambda);
      const out: ParamTree = {};
      for (const leaf of leaves) {
        out[leaf.group] ??= {};
        out[leaf.group][leaf.name] = tf.tensor(Float32Array.from(l.subarray(leaf.offset, leaf.offset + leaf.size)), leaf.shape);
      }
      return out;
    },
    innerLmax(lambda, theta, iterations = 30) {
      alive();
      const l = lam(lambda);
      const t = theta === undefined ? new Float64Array(base.dim) : readVector(theta, 'theta', { length: base.dim });
      const iters = readInteger(iterations, 'iterations', { min: 1, max: 10000 });
      let v = new Rng('power-iteration').normalArray(base.dim);
      let value = 0;
      for (let k = 0; k < iters; k++) {
        const norm = Math.sqrt(v.reduce((s, x) => s + x * x, 0));
        v = v.map((x) => x / norm);
        const hv = Float64Array.from(problem.innerHvp?.(t, l, v) ?? []);
        value = hv.reduce((s, x, i) => s + x * v[i], 0);
        v = hv;
      }
      return Math.abs(value);
    },
    metaTestLoss(lambda, opts) {
      alive();
      const l = lam(lambda);
      const r = resolveOptions(opts, {
        tasks: option.integer({ min: 1, max: 100000, default: 100 }),
        seed: option.seed({ default: 'test' }),
        steps: option.integer({ min: 0, max: 1e6, required: true }),
        learningRate: option.number({ gt: 0, required: true }),
      }, { name: 'options' });
      const testRoot = new Rng(readSeed(r.seed, 'options.seed'));
      const adapt = ignoreHypergradient({ innerSteps: r.steps, innerLearningRate: r.learningRate });
      let sum = 0;
      for (let start = 0; start < r.tasks; start += M) {
        const chunk: TaskTensors[] = [];
        try {
          for (let m = start; m < Math.min(r.tasks, start + M); m++) {
            chunk.push(toTensors(drawTask(testRoot.fold('test-task', m), o.shots, o.queries)));
          }
          sum += adapt.estimate(build(chunk), l).outerValue * chunk.length;
        } finally {
          disposeTasks(chunk);
        }
      }
      return sum / r.tasks;
    },
    dispose() {
      if (disposed) return;
      disposed = true;
      disposeTasks(currentTensors.splice(0));
    },
  };
  return problem;
}
