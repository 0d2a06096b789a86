/**
 * The automaton matrix operator (Balakrishnan, Atasever, Deshmukh, arXiv 2410.11156; automatix
 * `make_automaton_operator`): for a state x,
 *   A(x)[i][j] = λ(x, ψ_ij) if q_i →ψ_ij→ q_j ∈ Δ, else 0̄;   α_i = 1̄·[q_i ∈ I];   β_j = 1̄·[q_j ∈ F]
 * and the score of a trajectory is the semiring product
 *   W(x₀ … x_{T−1}) = α ⊗ A(x₀) ⊗ A(x₁) ⊗ … ⊗ A(x_{T−1}) ⊗ β = ⊕_{accepting runs r} ⊗_t λ(x_t, ψ_t(r)).
 *
 * All T matrices are built at once as a [T, Q, Q] tensor from an [T, E] guard-weight matrix and
 * constant one-hot bases (A = W·B + (1 − mask)·0̄): matmul/add only, no gather (whose gradient
 * fails on wasm). The product is reduced by a pairwise tree (log₂T batched semiring matmuls,
 * the default for true semirings) or a left-to-right scan (the online recursion
 * v_{t+1} = v_t ⊗ A(x_t), default for soft max-min which is not associative).
 * @module
 */
import { type MatrixInput, ShapeError, ValueError, describe } from '@descent/tensor';
import { tf } from '@descent/tensor/tf';
import { type SymbolicAutomaton, readWord } from './automaton';
import { type DistanceShifts, type NnfGuard, type WeightFn, guardWeight, guardWeightT } from './guard';
import { hardMax } from './tensorOps';
import type { Predicate } from './predicate';
import { type Semiring, type SemiringName, resolveSemiring } from './semiring';

/** How the product of the T matrices is evaluated. */
export type Reduction = 'tree' | 'scan';

/** Options of {@link compile}. */
export interface CompileOptions {
  /** Literal weights: 'violation' (−relu(d), default, the paper code's choice) or 'signed' (−d). */
  weightFn?: WeightFn;
  /** Default reduction: 'tree' for true semirings, 'scan' for soft max-min. */
  reduce?: Reduction;
  /** Temperature when `semiring` is given by name ('log', 'softMaxMin'). */
  tau?: number;
  /**
   * Margin ε ≥ 0 (state units, default 0): every region the automaton asks to *enter* somewhere
   * (a predicate with a positive literal in some guard: goals, a workspace) is shrunk by ε, every
   * region it only ever asks to *avoid* (obstacles) is grown by ε, i.e. d_p ↦ d_p + ε resp.
   * d_p − ε in both polarities of every guard (so the guards of a deterministic automaton still
   * partition the state space). With violation weights, W = 0 then means "accepted for the
   * shrunk goals and grown obstacles"; planners use it to keep plans off region boundaries.
   */
  margin?: number;
}

/** A compiled automaton: differentiable scores of trajectories. Holds no tensors (nothing to dispose). */
export interface MatrixOperator {
  readonly automaton: SymbolicAutomaton;
  readonly semiring: Semiring;
  readonly weightFn: WeightFn;
  /** Margin ε of the literal weights (see {@link CompileOptions.margin}). */
  readonly margin: number;
  /** The distance shift δ_p of each predicate implied by `margin` (+ε to enter, −ε to avoid). */
  readonly shifts: DistanceShifts;
  readonly reduce: Reduction;
  /** |Q|. */
  readonly numStates: number;
  /** Smallest state dimension the guards read. */
  readonly stateDim: number;
  /** α (initial weights, finite sentinels) as a new [Q] tensor. */
  alpha(): tf.Tensor1D;
  /** β (final weights) as a new [Q] tensor. */
  beta(): tf.Tensor1D;
  /** A(x_t) for every state: [..., T, n] → [..., T, Q, Q]. */
  transitions(xs: tf.Tensor): tf.Tensor;
  /** W for a trajectory [T, n] (scalar) or a batch [B, T, n] ([B]); differentiable. Non-finite states are a ValueError naming `xs` (as in `scoreValue`). */
  score(xs: tf.Tensor | ArrayLike<ArrayLike<number>>, options?: { reduce?: Reduction }): tf.Tensor;
  /** One online step v ↦ v ⊗ A(x) ([Q], [n] → [Q]); start from {@link MatrixOperator.alpha}. */
  forward(v: tf.Tensor1D, x: tf.Tensor1D): tf.Tensor1D;
  /** ⊕_j v_j ⊗ β_j: the score of the prefix summarised by the forward vector v. */
  finalScore(v: tf.Tensor1D): tf.Scalar;
  /** W in float64 on plain numbers with exact 0̄/1̄ (reference, by scan); states as nested arrays, typed-array rows or a rank-2 tensor. */
  scoreValue(xs: MatrixInput): number;
}

/** Batched semiring matrix product [..., I, K] ⊗ [..., K, J] → [..., I, J] (broadcasting batch dims). */
export function semiringMatmul(s: Semiring, a: tf.Tensor, b: tf.Tensor): tf.Tensor {
  if (s.name === 'counting') return tf.matMul(a, b);
  const ea = tf.expandDims(a, -1);
  const eb = tf.expandDims(b, -3);
  // ⊗ = + broadcasts correctly; tfjs's Minimum/Maximum gradients do not reduce broadcast
  // dimensions, so the min-based products get explicitly broadcast operands
  const additive = s.name === 'maxPlus' || s.name === 'log';
  const shape = broadcastShape(ea.shape, eb.shape);
  const prod = additive ? s.timesT(ea, eb) : s.timesT(tf.broadcastTo(ea, shape), tf.broadcastTo(eb, shape));
  return s.sumT(prod, prod.rank - 2);
}

/**
 * Compiles an automaton into its matrix operator over `semiring` (a {@link Semiring} or a name).
 *
 * ```ts
 * const op = compile(aut, 'maxPlus');
 * const W = op.score(tf.tensor2d(states));   // 0 iff accepted (violation weights)
 * ```
 */
export function compile(
  automaton: SymbolicAutomaton,
  semiring: Semiring | SemiringName,
  options: CompileOptions = {},
): MatrixOperator {
  if (automaton == null || typeof (automaton as SymbolicAutomaton).validate !== 'function') {
    throw new ValueError(`automaton must be a SymbolicAutomaton, got ${describe(automaton)}`, 'automaton');
  }
  automaton.validate();
  const s = resolveSemiring(semiring, options.tau);
  const weightFn = options.weightFn ?? 'violation';
  if (weightFn !== 'violation' && weightFn !== 'signed') {
    throw new ValueError(`weightFn must be 'violation' or 'signed', got ${describe(weightFn)}`, 'weightFn');
  }
  const reduce = options.reduce ?? (s.isTrueSemiring ? 'tree' : 'scan');
  checkReduce(reduce);
  const margin = options.margin ?? 0;
  if (typeof margin !== 'number' || !(margin >= 0) || !Number.isFinite(margin)) {
    throw new ValueError(`margin must be a finite number >= 0, got ${describe(margin)}`, 'margin');
  }
  const shifts = marginShifts(automaton, margin);
  const Q = automaton.numStates;
  const edges = automaton.edges;
  const E = edges.length;
  const stateDim = automaton.stateDim;
  const preds: Predicate[] = automaton.predicates();

  // constant bases: B[e, i*Q+j] = 1 for edge e = (i, j); C = 0̄ where there is no edge
  const basis = new Float32Array(Math.max(E, 1) * Q * Q);
  const fill = new Float32Array(Q * Q).fill(s.zeroSentinel);
  edges.forEach((e, k) => {
    basis[k * Q * Q + e.src * Q + e.dst] = 1;
    fill[e.src * Q + e.dst] = 0;
  });
  const alphaData = new Float32Array(Q).fill(s.zeroSentinel);
  for (const q of automaton.initial) alphaData[q] = s.oneSentinel;
  const betaData = new Float32Array(Q).fill(s.zeroSentinel);
  for (const q of automaton.accepting) betaData[q] = s.oneSentinel;
  const dnf =
    edges.length > 0
      ? buildDnf(
          edges.map((e) => e.guard),
          preds,
          s,
        )
      : null;
  const identityData = new Float32Array(Q * Q).fill(s.zeroSentinel);
  for (let i = 0; i < Q; i++) identityData[i * Q + i] = s.oneSentinel;

  const checkStates = (xs: tf.Tensor): void => {
    if (xs.rank < 2)
      throw new ShapeError(`xs must have shape [T, n] or [B, T, n], got shape [${xs.shape}]`, 'xs');
    const n = xs.shape[xs.rank - 1];
    const T = xs.shape[xs.rank - 2];
    if (T < 1) throw new ValueError(`xs must contain at least one state (horizon >= 1), got T = ${T}`, 'xs');
    for (const p of preds) {
      if (n < p.dim) {
        throw new ShapeError(
          `predicate '${p.name}' needs states of dimension >= ${p.dim}, got xs of shape [${xs.shape}]`,
          p.name,
        );
      }
    }
  };

  const transitions = (xs: tf.Tensor): tf.Tensor =>
    tf.tidy(() => {
      checkStates(xs);
      const n = xs.shape[xs.rank - 1];
      const lead = xs.shape.slice(0, -1);
      const flat = tf.reshape(xs, [-1, n]) as tf.Tensor2D;
      const N = flat.shape[0];
      const distances = new Map<Predicate, tf.Tensor1D>();
      let A: tf.Tensor;
      if (E === 0) {
        A = tf.tile(tf.tensor2d(fill, [1, Q * Q]), [N, 1]);
      } else {
        const w = dnf
          ? dnfEdgeWeights(dnf, flat, s, weightFn, shifts)
          : (tf.stack(
              edges.map((e) => guardWeightT(e.guard, flat, s, weightFn, distances, shifts)),
              1,
            ) as tf.Tensor2D);
        A = tf.add(tf.matMul(w, tf.tensor2d(basis, [E, Q * Q])), tf.tensor2d(fill, [1, Q * Q]));
      }
      return tf.reshape(A, [...lead, Q, Q]);
    });

  const reduceTree = (A: tf.Tensor): tf.Tensor => {
    // A: [B, T, Q, Q] → [B, Q, Q]
    const B = A.shape[0];
    let T = A.shape[1] as number;
    let M = A;
    while (T > 1) {
      if (T % 2 === 1) {
        const id = tf.tile(tf.reshape(tf.tensor1d(identityData), [1, 1, Q, Q]), [B, 1, 1, 1]);
        M = tf.concat([M, id], 1);
        T += 1;
      }
      const half = T / 2;
      const pairs = tf.reshape(M, [B * half, 2, Q, Q]);
      const [left, right] = tf.split(pairs, 2, 1);
      M = tf.reshape(
        semiringMatmul(s, tf.reshape(left, [B * half, Q, Q]), tf.reshape(right, [B * half, Q, Q])),
        [B, half, Q, Q],
      );
      T = half;
    }
    return tf.reshape(M, [B, Q, Q]);
  };

  const score = (
    xsIn: tf.Tensor | ArrayLike<ArrayLike<number>>,
    opts: { reduce?: Reduction } = {},
  ): tf.Tensor =>
    tf.tidy(() => {
      const xs = xsIn instanceof tf.Tensor ? xsIn : toStates(xsIn);
      const r = opts.reduce ?? reduce;
      checkReduce(r);
      if (xs.rank !== 2 && xs.rank !== 3) {
        throw new ShapeError(`xs must have shape [T, n] or [B, T, n], got shape [${xs.shape}]`, 'xs');
      }
      if (xsIn instanceof tf.Tensor) checkFiniteStates(xs);
      const batched = xs.rank === 3 ? xs : tf.expandDims(xs, 0);
      const B = batched.shape[0];
      const A = transitions(batched); // [B, T, Q, Q]
      const alpha = tf.tile(tf.reshape(tf.tensor1d(alphaData), [1, 1, Q]), [B, 1, 1]);
      let v: tf.Tensor;
      if (r === 'tree') {
        v = semiringMatmul(s, alpha, reduceTree(A));
      } else {
        v = alpha;
        for (const At of tf.unstack(A, 1)) v = semiringMatmul(s, v, At);
      }
      // sentinel sums may drift below 0̄ (≈ −1e9 per missing edge, still finite in float32): clamp once
      const w = s.clampT(
        semiringMatmul(s, v, tf.tile(tf.reshape(tf.tensor1d(betaData), [1, Q, 1]), [B, 1, 1])),
      );
      return xs.rank === 3 ? tf.reshape(w, [B]) : tf.reshape(w, []);
    });

  const forward = (v: tf.Tensor1D, x: tf.Tensor1D): tf.Tensor1D =>
    tf.tidy(() => {
      if (v.rank !== 1 || v.shape[0] !== Q)
        throw new ShapeError(`v must have shape [${Q}], got [${v.shape}]`, 'v');
      if (x.rank !== 1) throw new ShapeError(`x must be a single state [n], got shape [${x.shape}]`, 'x');
      const A = transitions(tf.reshape(x, [1, -1])); // [1, Q, Q]
      return tf.reshape(s.clampT(semiringMatmul(s, tf.reshape(v, [1, 1, Q]), A)), [Q]) as tf.Tensor1D;
    });

  const finalScore = (v: tf.Tensor1D): tf.Scalar =>
    tf.tidy(() => {
      if (v.rank !== 1 || v.shape[0] !== Q)
        throw new ShapeError(`v must have shape [${Q}], got [${v.shape}]`, 'v');
      return tf.reshape(
        semiringMatmul(s, tf.reshape(v, [1, 1, Q]), tf.reshape(tf.tensor1d(betaData), [1, Q, 1])),
        [],
      ) as tf.Scalar;
    });

  const scoreValue = (word: MatrixInput): number => {
    const xs = readWord(word, stateDim);
    let v = Array.from({ length: Q }, (_, i) => (automaton.initial.includes(i) ? s.one : s.zero));
    for (let t = 0; t < xs.length; t++) {
      const next = new Array<number>(Q).fill(s.zero);
      const touched = new Array<boolean>(Q).fill(false);
      for (const e of edges) {
        const term = s.times(v[e.src], guardWeight(e.guard, xs[t], s, weightFn, shifts));
        next[e.dst] = touched[e.dst] ? s.plus(next[e.dst], term) : term;
        touched[e.dst] = true;
      }
      v = next;
    }
    let w = s.zero;
    let first = true;
    for (const q of automaton.accepting) {
      const term = s.times(v[q], s.one);
      w = first ? term : s.plus(w, term);
      first = false;
    }
    return w;
  };

  return Object.freeze({
    automaton,
    semiring: s,
    weightFn,
    margin,
    shifts,
    reduce,
    numStates: Q,
    stateDim,
    alpha: () => tf.tensor1d(alphaData),
    beta: () => tf.tensor1d(betaData),
    transitions,
    score,
    forward,
    finalScore,
    scoreValue,
  });
}

/** Guards in disjunctive normal form over the literals of the automaton's predicates. */
interface DnfPlan {
  preds: Predicate[];
  /** Literal multiplicities per term: [2P, K] (column k = term k; rows p, P + p = p, ¬p). */
  termLits: Float32Array;
  /** Term-to-edge selection: [E, K]. */
  edgeTerms: Float32Array;
  K: number;
  E: number;
}

const MAX_TERMS = 512;

/**
 * Vectorised guard weights (fast path) for the true semirings with real weights: every guard is
 * expanded to DNF, which leaves its weight unchanged because ⊗ distributes over ⊕ (literal
 * multiplicities are kept, so a ⊗ a = 2a in max-plus/log stays exact). Returns null (slow
 * path: guard-by-guard) for soft max-min (not distributive), indicator semirings, or DNF blow-up.
 */
function buildDnf(guards: NnfGuard[], preds: Predicate[], s: Semiring): DnfPlan | null {
  if (!(s.name === 'maxPlus' || s.name === 'log' || s.name === 'maxMin')) return null;
  const P = preds.length;
  const index = new Map(preds.map((p, i) => [p, i]));
  const toDnf = (g: NnfGuard): number[][] | null => {
    switch (g.kind) {
      case 'const':
        return g.value ? [[]] : [];
      case 'lit':
        return [[(g.neg ? P : 0) + index.get(g.pred)!]];
      case 'or': {
        const out: number[][] = [];
        for (const a of g.args) {
          const d = toDnf(a);
          if (d === null) return null;
          out.push(...d);
        }
        return out.length > MAX_TERMS ? null : out;
      }
      case 'and': {
        let acc: number[][] = [[]];
        for (const a of g.args) {
          const d = toDnf(a);
          if (d === null || acc.length * d.length > MAX_TERMS) return null;
          acc = acc.flatMap((t) => d.map((u) => [...t, ...u]));
        }
        return acc;
      }
    }
  };
  const perEdge: number[][][] = [];
  for (const g of guards) {
    const d = toDnf(g);
    if (d === null) return null;
    perEdge.push(d);
  }
  const K = Math.max(
    1,
    perEdge.reduce((n, d) => n + d.length, 0),
  );
  const termLits = new Float32Array(2 * P * K);
  const edgeTerms = new Float32Array(guards.length * K);
  let k = 0;
  perEdge.forEach((terms, e) => {
    for (const t of terms) {
      for (const l of t) termLits[l * K + k] += 1;
      edgeTerms[e * K + k] = 1;
      k++;
    }
  });
  return { preds, termLits, edgeTerms, K, E: guards.length };
}

/** [N, E] guard weights from a DNF plan: literals [N, 2P] → terms [N, K] (⊗) → edges [N, E] (⊕). */
function dnfEdgeWeights(
  plan: DnfPlan,
  xs: tf.Tensor2D,
  s: Semiring,
  weightFn: WeightFn,
  shifts: DistanceShifts,
): tf.Tensor2D {
  const { preds, termLits, edgeTerms, K, E } = plan;
  const P = preds.length;
  let lits: tf.Tensor2D;
  if (P === 0) {
    lits = tf.zeros([xs.shape[0], 0]);
  } else {
    const D =
      preds.length === 1
        ? tf.reshape(preds[0].distance(xs), [-1, 1])
        : tf.stack(
            preds.map((p) => p.distance(xs)),
            1,
          );
    const deltas = preds.map((p) => shifts.get(p) ?? 0);
    const Ds = deltas.some((v) => v !== 0) ? tf.add(D, tf.tensor1d(Float32Array.from(deltas))) : D;
    const both = tf.concat([Ds, tf.neg(Ds)], 1); // [N, 2P]: violations of p, ¬p
    lits = (weightFn === 'signed' ? tf.neg(both) : tf.neg(tf.relu(both))) as tf.Tensor2D;
  }
  let terms: tf.Tensor;
  if (s.name === 'maxMin') {
    // ⊗ = min over the term's literals; unselected literals are 1̄ (+sentinel)
    const sel = new Float32Array(K * 2 * P);
    const off = new Float32Array(K * 2 * P);
    for (let k = 0; k < K; k++) {
      for (let l = 0; l < 2 * P; l++) {
        const on = termLits[l * K + k] > 0 ? 1 : 0;
        sel[k * 2 * P + l] = on;
        off[k * 2 * P + l] = on ? 0 : s.oneSentinel;
      }
    }
    const X = tf.add(
      tf.mul(tf.expandDims(lits, 1), tf.tensor3d(sel, [1, K, 2 * P])),
      tf.tensor3d(off, [1, K, 2 * P]),
    );
    terms = P === 0 ? tf.fill([xs.shape[0], K], s.oneSentinel) : tf.neg(hardMax(tf.neg(X), 2));
  } else {
    // ⊗ = +: a term is a weighted sum of its literals (multiplicities), one matmul
    terms = P === 0 ? tf.zeros([xs.shape[0], K]) : tf.matMul(lits, tf.tensor2d(termLits, [2 * P, K]));
  }
  // ⊕ over each edge's terms; unselected terms are 0̄
  const off = Float32Array.from(edgeTerms, (v) => (v > 0 ? 0 : s.zeroSentinel));
  const X = tf.add(
    tf.mul(tf.expandDims(terms, 1), tf.tensor3d(edgeTerms, [1, E, K])),
    tf.tensor3d(off, [1, E, K]),
  );
  return s.sumT(X, 2) as tf.Tensor2D;
}

/**
 * The distance shifts of a margin ε (see {@link CompileOptions.margin}): +ε for a predicate with a
 * positive literal in some guard (to be entered), −ε for one that only occurs negated (to be avoided).
 */
export function marginShifts(automaton: SymbolicAutomaton, margin: number): DistanceShifts {
  const out = new Map<Predicate, number>();
  if (margin === 0) return out;
  const positive = new Set<Predicate>();
  const visit = (g: NnfGuard): void => {
    if (g.kind === 'lit') {
      if (!g.neg) positive.add(g.pred);
    } else if (g.kind === 'and' || g.kind === 'or') g.args.forEach(visit);
  };
  for (const e of automaton.edges) visit(e.guard);
  for (const p of automaton.predicates()) out.set(p, positive.has(p) ? margin : -margin);
  return out;
}

function broadcastShape(a: number[], b: number[]): number[] {
  const n = Math.max(a.length, b.length);
  const out = new Array<number>(n);
  for (let i = 0; i < n; i++) {
    const da = a[a.length - n + i] ?? 1;
    const db = b[b.length - n + i] ?? 1;
    out[i] = da === 1 ? db : da;
  }
  return out;
}

function checkReduce(r: unknown): void {
  if (r !== 'tree' && r !== 'scan')
    throw new ValueError(`reduce must be 'tree' or 'scan', got ${describe(r)}`, 'reduce');
}

function toStates(word: ArrayLike<ArrayLike<number>>): tf.Tensor2D {
  const xs = readWord(word, 0);
  const n = xs[0].length;
  const data = new Float32Array(xs.length * n);
  for (let t = 0; t < xs.length; t++) data.set(xs[t], t * n);
  return tf.tensor2d(data, [xs.length, n]);
}

/**
 * The same finiteness rule as {@link readWord} for a tensor of states ([T, n] or [B, T, n]):
 * a ValueError naming `xs` and the first non-finite entry (instead of a silent NaN score).
 */
function checkFiniteStates(xs: tf.Tensor, name = 'xs'): void {
  const v = xs.dataSync();
  for (let j = 0; j < v.length; j++) {
    if (!Number.isFinite(v[j])) {
      const idx: number[] = [];
      let r = j;
      for (let d = xs.rank - 1; d >= 0; d--) {
        idx.unshift(r % xs.shape[d]);
        r = Math.floor(r / xs.shape[d]);
      }
      throw new ValueError(`${name} must contain only finite numbers, got ${v[j]} at [${idx.join(', ')}]`, name);
    }
  }
}
