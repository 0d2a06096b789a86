/**
 * The paper's baseline: (smooth) STL robustness of the whole trajectory, differentiated by
 * backpropagation (STLCG, Leung et al.), in two forms:
 *  - 'mask' (STLCG++/stljax): each temporal operator reduces a [T, T] masked matrix, O(T²) memory
 *    (until: a [T, T, T] tensor, refused beyond T = 256);
 *  - 'recurrent' (STLCG): each unbounded temporal operator is a backward recursion over time,
 *    r(t) = ρ(t) ⊕ r(t+1), O(T) sequential ops; bounded windows use b − a + 1 shifted copies.
 * plus exact float64 robustness and Boolean satisfaction for reference.
 *
 * Discrete-time semantics on x₀ … x_{T−1}: ρ(p, t) = −d_p(x_t); ¬ → −ρ; ∧ → min; ∨ → max;
 * F_[a,b] φ at t = max_{k ∈ [t+a, t+b] ∩ [0, T−1]} ρ_φ(k) (−∞ if empty); G dually (+∞ if empty);
 * φ U_[a,b] ψ at t = max_{k ∈ [t+a, t+b]} min(ρ_ψ(k), min_{t ≤ j < k} ρ_φ(j)), matching LTLf's
 * until. Smooth: max → τ·logsumexp(·/τ), min → −τ·logsumexp(−·/τ).
 * @module
 */
import { type MatrixInput, NotSupportedError, ValueError, describe, readEnum, readOptions } from '@descent/tensor';
import { tf } from '@descent/tensor/tf';
import { readWord } from '../automaton';
import type { Ltl } from '../ltlf';
import { checkLtl, checkStl } from '../formulaChecks';
import { type Predicate, checkPredicateDim, isPredicate } from '../predicate';
import { NEG_SENTINEL, POS_SENTINEL } from '../semiring';
import { hardMax, softMax2, softMaxReduce, softMin2 } from '../tensorOps';

/** An STL formula; `to` may be Infinity (to the end of the trajectory). */
export type Stl =
  | { op: 'const'; value: boolean }
  | { op: 'pred'; pred: Predicate }
  | { op: 'not'; a: Stl }
  | { op: 'and' | 'or'; args: Stl[] }
  | { op: 'always' | 'eventually'; a: Stl; from: number; to: number }
  | { op: 'until'; a: Stl; b: Stl; from: number; to: number };

function readInterval(i: [number, number] | undefined): { from: number; to: number } {
  if (i !== undefined && (!Array.isArray(i) || i.length !== 2)) {
    throw new ValueError(`interval must be [a, b], got ${describe(i)}`, 'interval');
  }
  const [from, to] = i ?? [0, Infinity];
  if (!Number.isInteger(from) || from < 0 || !(to === Infinity || (Number.isInteger(to) && to >= from))) {
    throw new ValueError(
      `interval must be [a, b] with integers 0 <= a <= b (b may be Infinity), got [${from}, ${to}]`,
      'interval',
    );
  }
  return { from, to };
}

/** STL builders. */
export const stl = {
  pred: (pred: Predicate): Stl => {
    if (!isPredicate(pred))
      throw new ValueError(`pred must be a predicate (box, ball, …), got ${describe(pred)}`, 'pred');
    return { op: 'pred', pred };
  },
  not: (a: Stl): Stl => ({ op: 'not', a: stlArg(a, 'a') }),
  and: (...args: Stl[]): Stl => ({ op: 'and', args: args.map((a) => stlArg(a, 'args')) }),
  or: (...args: Stl[]): Stl => ({ op: 'or', args: args.map((a) => stlArg(a, 'args')) }),
  always: (a: Stl, interval?: [number, number]): Stl => ({
    op: 'always',
    a: stlArg(a, 'a'),
    ...readInterval(interval),
  }),
  eventually: (a: Stl, interval?: [number, number]): Stl => ({
    op: 'eventually',
    a: stlArg(a, 'a'),
    ...readInterval(interval),
  }),
  until: (a: Stl, b: Stl, interval?: [number, number]): Stl => ({
    op: 'until',
    a: stlArg(a, 'a'),
    b: stlArg(b, 'b'),
    ...readInterval(interval),
  }),
};

function stlArg(f: unknown, name: string): Stl {
  checkStl(f, name);
  return f as Stl;
}

/** The STL formula with the same meaning as an LTLf formula (F → F_[0,∞), G → G_[0,∞), X → F_[1,1], WX → G_[1,1]). */
export function ltlToStl(f: Ltl, predicates: Record<string, Predicate>): Stl {
  checkLtl(f, 'f');
  if (predicates === null || typeof predicates !== 'object' || Array.isArray(predicates)) {
    throw new ValueError(
      `predicates must be an object mapping atom names to predicates, got ${describe(predicates)}`,
      'predicates',
    );
  }
  const r = (g: Ltl) => ltlToStl(g, predicates);
  switch (f.op) {
    case 'true':
    case 'false':
      return { op: 'const', value: f.op === 'true' };
    case 'atom': {
      const p = predicates[f.name];
      if (!isPredicate(p))
        throw new ValueError(
          `predicates must define atom '${f.name}' as a predicate, got ${describe(p)}`,
          'predicates',
        );
      return f.neg ? stl.not(stl.pred(p)) : stl.pred(p);
    }
    case 'not':
      return stl.not(r(f.a));
    case 'and':
    case 'or':
      return { op: f.op, args: f.args.map(r) };
    case 'X':
      return stl.eventually(r(f.a), [1, 1]);
    case 'WX':
      return stl.always(r(f.a), [1, 1]);
    case 'F':
      return stl.eventually(r(f.a));
    case 'G':
      return stl.always(r(f.a));
    case 'U':
      return stl.until(r(f.a), r(f.b));
    case 'R':
      return stl.not(stl.until(stl.not(r(f.a)), stl.not(r(f.b))));
  }
}

function predicatesOfStl(f: Stl, out: Set<Predicate> = new Set()): Set<Predicate> {
  if (f.op === 'pred') out.add(f.pred);
  else if (f.op === 'not' || f.op === 'always' || f.op === 'eventually') predicatesOfStl(f.a, out);
  else if (f.op === 'and' || f.op === 'or') for (const a of f.args) predicatesOfStl(a, out);
  else if (f.op === 'until') {
    predicatesOfStl(f.a, out);
    predicatesOfStl(f.b, out);
  }
  return out;
}

// ------------------------------------------------------------------ exact (float64)
function signalValue(f: Stl, xs: ArrayLike<ArrayLike<number>>): Float64Array {
  const T = xs.length;
  switch (f.op) {
    case 'const':
      return new Float64Array(T).fill(f.value ? Infinity : -Infinity);
    case 'pred':
      return Float64Array.from({ length: T }, (_, t) => -f.pred.distanceAt(xs[t]));
    case 'not':
      return signalValue(f.a, xs).map((v) => -v);
    case 'and':
    case 'or': {
      const sig = f.args.map((a) => signalValue(a, xs));
      return Float64Array.from({ length: T }, (_, t) =>
        f.op === 'and' ? Math.min(...sig.map((s) => s[t])) : Math.max(...sig.map((s) => s[t])),
      );
    }
    case 'always':
    case 'eventually': {
      const s = signalValue(f.a, xs);
      const isMax = f.op === 'eventually';
      return Float64Array.from({ length: T }, (_, t) => {
        let r = isMax ? -Infinity : Infinity;
        for (let k = t + f.from; k <= Math.min(t + f.to, T - 1); k++)
          r = isMax ? Math.max(r, s[k]) : Math.min(r, s[k]);
        return r;
      });
    }
    case 'until': {
      const sa = signalValue(f.a, xs);
      const sb = signalValue(f.b, xs);
      return Float64Array.from({ length: T }, (_, t) => {
        let best = -Infinity;
        let prefix = Infinity;
        for (let k = t; k <= Math.min(t + f.to, T - 1); k++) {
          if (k >= t + f.from) best = Math.max(best, Math.min(sb[k], prefix));
          prefix = Math.min(prefix, sa[k]);
        }
        return best;
      });
    }
  }
}

/** Exact (hard) robustness ρ(φ, x, 0) in float64. */
export function stlRobustnessValue(f: Stl, word: MatrixInput): number {
  const xs = readWord(word, 0);
  const n = xs[0].length;
  for (const p of predicatesOfStl(f)) checkPredicateDim(p, n);
  return signalValue(f, xs)[0];
}

function holdsSignal(f: Stl, xs: ArrayLike<ArrayLike<number>>): boolean[] {
  const T = xs.length;
  switch (f.op) {
    case 'const':
      return new Array(T).fill(f.value);
    case 'pred':
      return Array.from({ length: T }, (_, t) => f.pred.distanceAt(xs[t]) <= 0);
    case 'not':
      return holdsSignal(f.a, xs).map((v) => !v);
    case 'and':
    case 'or': {
      const sig = f.args.map((a) => holdsSignal(a, xs));
      return Array.from({ length: T }, (_, t) =>
        f.op === 'and' ? sig.every((s) => s[t]) : sig.some((s) => s[t]),
      );
    }
    case 'always':
    case 'eventually': {
      const s = holdsSignal(f.a, xs);
      return Array.from({ length: T }, (_, t) => {
        const w = s.slice(t + f.from, Math.min(t + f.to, T - 1) + 1);
        return f.op === 'always' ? w.every(Boolean) : w.some(Boolean);
      });
    }
    case 'until': {
      const sa = holdsSignal(f.a, xs);
      const sb = holdsSignal(f.b, xs);
      return Array.from({ length: T }, (_, t) => {
        for (let k = t; k <= Math.min(t + f.to, T - 1); k++) {
          if (k >= t + f.from && sb[k]) return true;
          if (!sa[k]) return false;
        }
        return false;
      });
    }
  }
}

/** Exact Boolean satisfaction at t = 0 (atom p holds iff d_p ≤ 0). */
export function stlHolds(f: Stl, word: MatrixInput): boolean {
  const xs = readWord(word, 0);
  const n = xs[0].length;
  for (const p of predicatesOfStl(f)) checkPredicateDim(p, n);
  return holdsSignal(f, xs)[0];
}

// ------------------------------------------------------------------ differentiable (tensors)
/** Options of {@link stlRobustness}. */
export interface StlRobustnessOptions {
  /** 'mask' (O(T²) memory, STLCG++) or 'recurrent' (O(T) sequential ops, STLCG); default 'mask'. */
  impl?: 'mask' | 'recurrent';
  /** Smooth max/min with temperature τ > 0; omitted: hard max/min (sub-gradients). */
  tau?: number;
}

interface Ops {
  max2(a: tf.Tensor, b: tf.Tensor): tf.Tensor;
  min2(a: tf.Tensor, b: tf.Tensor): tf.Tensor;
  maxR(x: tf.Tensor, axis: number): tf.Tensor;
  minR(x: tf.Tensor, axis: number): tf.Tensor;
}

function ops(tau: number | undefined): Ops {
  if (tau === undefined) {
    return {
      max2: (a, b) => tf.maximum(a, b),
      min2: (a, b) => tf.minimum(a, b),
      maxR: (x, axis) => hardMax(x, axis),
      minR: (x, axis) => tf.neg(hardMax(tf.neg(x), axis)),
    };
  }
  return {
    max2: (a, b) => softMax2(a, b, tau),
    min2: (a, b) => softMin2(a, b, tau),
    maxR: (x, axis) => softMaxReduce(x, axis, tau),
    minR: (x, axis) => tf.neg(softMaxReduce(tf.neg(x), axis, tau)),
  };
}

/** Additive [T, T] window mask: 0 where k ∈ [t+a, t+b], `fill` elsewhere. */
function windowMask(T: number, from: number, to: number, fill: number): tf.Tensor2D {
  const m = new Float32Array(T * T).fill(fill);
  for (let t = 0; t < T; t++) for (let k = t + from; k <= Math.min(t + to, T - 1); k++) m[t * T + k] = 0;
  return tf.tensor2d(m, [T, T]);
}

function shift(x: tf.Tensor1D, k: number, fill: number): tf.Tensor1D {
  const T = x.shape[0];
  if (k === 0) return x;
  if (k >= T) return tf.fill([T], fill) as tf.Tensor1D;
  return tf.concat([tf.slice(x, [k], [T - k]), tf.fill([k], fill)]) as tf.Tensor1D;
}

function signalT(f: Stl, xs: tf.Tensor2D, o: Ops, impl: 'mask' | 'recurrent'): tf.Tensor1D {
  const T = xs.shape[0];
  switch (f.op) {
    case 'const':
      return tf.fill([T], f.value ? POS_SENTINEL : NEG_SENTINEL) as tf.Tensor1D;
    case 'pred':
      return tf.neg(f.pred.distance(xs)) as tf.Tensor1D;
    case 'not':
      return tf.neg(signalT(f.a, xs, o, impl)) as tf.Tensor1D;
    case 'and':
    case 'or': {
      const sig = f.args.map((a) => signalT(a, xs, o, impl));
      if (sig.length === 1) return sig[0];
      return (f.op === 'and' ? o.minR : o.maxR)(tf.stack(sig, 1), 1) as tf.Tensor1D;
    }
    case 'always':
    case 'eventually': {
      const isMax = f.op === 'eventually';
      const s = signalT(f.a, xs, o, impl);
      const fill = isMax ? NEG_SENTINEL : POS_SENTINEL;
      if (impl === 'mask') {
        const M = tf.add(tf.expandDims(s, 0), windowMask(T, f.from, f.to, fill)); // [t, k]
        return (isMax ? o.maxR : o.minR)(M, 1) as tf.Tensor1D;
      }
      const base = shift(s, f.from, fill);
      if (f.to === Infinity) {
        const xsT = tf.unstack(base);
        const out: tf.Tensor[] = new Array(T);
        out[T - 1] = xsT[T - 1];
        for (let t = T - 2; t >= 0; t--) out[t] = (isMax ? o.max2 : o.min2)(xsT[t], out[t + 1]);
        return tf.stack(out) as tf.Tensor1D;
      }
      let r: tf.Tensor = base;
      for (let k = 1; k <= f.to - f.from; k++) r = (isMax ? o.max2 : o.min2)(r, shift(s, f.from + k, fill));
      return r as tf.Tensor1D;
    }
    case 'until': {
      const sa = signalT(f.a, xs, o, impl);
      const sb = signalT(f.b, xs, o, impl);
      if (impl === 'recurrent') {
        if (f.from !== 0 || f.to !== Infinity) {
          throw new NotSupportedError(
            `recurrent until supports only the interval [0, Infinity], got [${f.from}, ${f.to}] (use impl: 'mask')`,
            'formula',
          );
        }
        const a = tf.unstack(sa);
        const b = tf.unstack(sb);
        const out: tf.Tensor[] = new Array(T);
        out[T - 1] = b[T - 1];
        for (let t = T - 2; t >= 0; t--) out[t] = o.max2(b[t], o.min2(a[t], out[t + 1]));
        return tf.stack(out) as tf.Tensor1D;
      }
      if (T > 256)
        throw new NotSupportedError(
          `mask until needs a [T, T, T] tensor; the horizon T must be <= 256, got ${T}`,
          'horizon',
        );
      // S[t, k] = min_{t ≤ j < k} ρ_a(j) via a [T, T, T] mask (+∞ outside)
      const m3 = new Float32Array(T * T * T).fill(POS_SENTINEL);
      for (let t = 0; t < T; t++)
        for (let k = t; k < T; k++) for (let j = t; j < k; j++) m3[(t * T + k) * T + j] = 0;
      const S = o.minR(tf.add(tf.reshape(sa, [1, 1, T]), tf.tensor3d(m3, [T, T, T])), 2); // [t, k]
      const inner = o.min2(tf.expandDims(sb, 0), S);
      return o.maxR(tf.add(inner, windowMask(T, f.from, f.to, NEG_SENTINEL)), 1) as tf.Tensor1D;
    }
  }
}

/**
 * Differentiable robustness ρ(φ, x, 0) of a trajectory xs ([T, n]) as a scalar tensor.
 * Hard by default; `tau` gives the smooth (log-sum-exp) version.
 */
export function stlRobustness(f: Stl, xs: tf.Tensor2D, options: StlRobustnessOptions = {}): tf.Scalar {
  checkStl(f, 'f');
  options = readOptions<StlRobustnessOptions>(options);
  const impl =
    options.impl === undefined ? 'mask' : readEnum(options.impl, 'impl', ['mask', 'recurrent'] as const);
  if (
    options.tau !== undefined &&
    !(typeof options.tau === 'number' && options.tau > 0 && Number.isFinite(options.tau))
  ) {
    throw new ValueError(`tau must be > 0, got ${describe(options.tau)}`, 'tau');
  }
  if (!(xs instanceof tf.Tensor) || xs.rank !== 2) {
    throw new ValueError(
      `xs must be a [T, n] tensor, got ${xs instanceof tf.Tensor ? `shape [${xs.shape}]` : describe(xs)}`,
      'xs',
    );
  }
  if (xs.shape[0] < 1)
    throw new ValueError(`xs must contain at least one state (horizon >= 1), got T = ${xs.shape[0]}`, 'xs');
  for (const p of predicatesOfStl(f)) checkPredicateDim(p, xs.shape[1]);
  const o = ops(options.tau);
  return tf.tidy(() => tf.reshape(tf.slice(signalT(f, xs, o, impl), [0], [1]), []) as tf.Scalar);
}
