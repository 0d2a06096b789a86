/**
 * A kinematic path by search (ours; one of the planner's initialisations, issue 16): the
 * shortest path on a grid over the coordinates the guards read, in the product of the grid with
 * the automaton, such that the automaton accepts the path's points *with a margin*: every guard
 * literal the path relies on holds at distance ≥ ε from its region boundary, ε ≥ 1.5 cell
 * widths. The predicates' signed distances are 1-Lipschitz, so the straight segments between
 * consecutive path points (≤ √k cells long) keep the guards that hold at their ends: a path
 * found on the grid does not jump thin obstacles (the gradient-planned kinematic path, sampled
 * once per time step at the system's characteristic speed, jumped the suite's 0.1-wide wall).
 * The path is then shortened by string pulling ({@link pullString}) with the same local check,
 * keeping the points where the automaton makes progress (goal visits).
 *
 * Search is Dijkstra on 3^k − 1 neighbours (k ≤ 3 coordinates), the grid spanning the start and
 * the boxes and balls of the predicates (clipped to `reach` around the start) with at most
 * `maxCells` cells.
 * @module
 */
import type { SymbolicAutomaton } from './automaton';
import type { NnfGuard } from './guard';
import type { Predicate } from './predicate';

/** Options of {@link searchPath}. */
export interface PathSearchOptions {
  /** Start state (the automaton reads it as the first letter; coordinates ≥ k are held). */
  x0: ArrayLike<number>;
  /** Coordinates the guards read (1 ≤ k ≤ 3). */
  k: number;
  /** Margin ε (state units) the guards must hold with along the path (default 0.03; at least 1.5 cells). */
  margin?: number;
  /** Largest distance from the start the grid spans per coordinate (default 10). */
  reach?: number;
  /** Cell budget of the grid (default 40 000). */
  maxCells?: number;
}

/** Result of {@link searchPath}. */
export interface PathSearchResult {
  /** Points x₀ (the start, first k coordinates), p₁ … p_L of the string-pulled path. */
  points: number[][];
  /** Indices into `points` where the automaton (one run of it) changes state: goal visits. */
  keys: number[];
  /** The margin used and the cell width. */
  margin: number;
  cell: number;
}

/**
 * Guard truth with a margin: literal p holds if d_p ≤ −ε, ¬p if d_p ≥ ε; a literal for which
 * `lenient` is true gets the margin −ε instead (it holds up to ε across its boundary).
 */
export function guardHoldsWithMargin(
  g: NnfGuard,
  d: (p: Predicate) => number,
  eps: number,
  lenient?: (pred: Predicate, neg: boolean) => boolean,
  ignoreLenient = false,
): boolean {
  switch (g.kind) {
    case 'const':
      return g.value;
    case 'lit': {
      const soft = lenient?.(g.pred, g.neg) ?? false;
      if (soft && ignoreLenient) return true;
      const v = d(g.pred);
      const e = soft ? -eps : eps;
      return g.neg ? v >= e : v <= -e;
    }
    case 'and':
      return g.args.every((a) => guardHoldsWithMargin(a, d, eps, lenient, ignoreLenient));
    case 'or':
      return g.args.some((a) => guardHoldsWithMargin(a, d, eps, lenient, ignoreLenient));
  }
}

function literalsOf(g: NnfGuard, out: Set<string>, key: (p: Predicate, neg: boolean) => string): void {
  if (g.kind === 'lit') out.add(key(g.pred, g.neg));
  else if (g.kind === 'and' || g.kind === 'or') for (const a of g.args) literalsOf(a, out, key);
}

/**
 * Per edge, which literals are lenient: on a self-loop q → q, a literal whose negation appears on
 * a progress edge q → q' (q' ≠ q) only says "the progress has not happened yet" (¬b while F(b)
 * waits): demanding it with a margin would forbid the band around the goal that the path must
 * cross. Safety literals (¬obstacle, workspace) and every literal of a progress edge keep the margin.
 */
function lenientLiterals(automaton: SymbolicAutomaton): ((pred: Predicate, neg: boolean) => boolean)[] {
  const ids = new Map<Predicate, number>();
  const key = (p: Predicate, neg: boolean) => {
    if (!ids.has(p)) ids.set(p, ids.size);
    return `${ids.get(p)}${neg ? '-' : '+'}`;
  };
  const edges = automaton.edges;
  const progress = new Map<number, Set<string>>();
  for (const e of edges) {
    if (e.src === e.dst) continue;
    const s = progress.get(e.src) ?? new Set<string>();
    literalsOf(e.guard, s, key);
    progress.set(e.src, s);
  }
  return edges.map((e) => {
    const s = progress.get(e.src);
    if (e.src !== e.dst || s === undefined) return () => false;
    return (p: Predicate, neg: boolean) => s.has(key(p, !neg));
  });
}

/** Bounds [lo, hi] per coordinate: the start and the predicates' boxes/balls on those coordinates, clipped to ±reach. */
function gridBounds(
  aut: SymbolicAutomaton,
  x0: ArrayLike<number>,
  k: number,
  reach: number,
): [number[], number[]] {
  const lo = Array.from({ length: k }, (_, i) => x0[i]);
  const hi = lo.slice();
  const extend = (i: number, a: number, b: number) => {
    lo[i] = Math.min(lo[i], Math.max(a, x0[i] - reach));
    hi[i] = Math.max(hi[i], Math.min(b, x0[i] + reach));
  };
  for (const p of aut.predicates()) {
    const s = p.shape;
    if (s === undefined) continue;
    s.dims.forEach((dim, j) => {
      if (dim >= k) return;
      if (s.kind === 'box') extend(dim, s.lo[j], s.hi[j]);
      else extend(dim, s.center[j] - s.radius, s.center[j] + s.radius);
    });
  }
  for (let i = 0; i < k; i++) {
    const pad = Math.max(0.05 * (hi[i] - lo[i]), 1e-3);
    lo[i] -= pad;
    hi[i] += pad;
  }
  return [lo, hi];
}

/**
 * Whether {@link searchPath} sees every region the guards read: every predicate reads only the
 * first k coordinates and has a geometry (box or ball) that the grid spans. Then "no path" means
 * no path holds the margin at the grid's resolution.
 */
export function searchConclusive(automaton: SymbolicAutomaton, k: number): boolean {
  return (
    k >= 1 &&
    k <= 3 &&
    automaton.predicates().every((p) => p.shape?.dims.every((d) => d < k) === true)
  );
}

/**
 * The shortest grid path from x₀ whose points the automaton accepts with margin ε (see the
 * module comment), string-pulled; null when none exists on the grid (e.g. a passage narrower
 * than 2ε, or a guard on coordinates the grid does not span).
 */
export function searchPath(
  automaton: SymbolicAutomaton,
  options: PathSearchOptions,
): PathSearchResult | null {
  const { x0, k } = options;
  if (k < 1 || k > 3) return null;
  const [lo, hi] = gridBounds(automaton, x0, k, options.reach ?? 10);
  const volume = lo.reduce((v, l, i) => v * (hi[i] - l), 1);
  const cell = (volume / (options.maxCells ?? 40_000)) ** (1 / k);
  const dims = lo.map((l, i) => Math.max(1, Math.ceil((hi[i] - l) / cell)));
  const nCells = dims.reduce((a, b) => a * b, 1);
  const eps = Math.max(options.margin ?? 0.03, 1.5 * cell);
  const tail = Array.from(x0).slice(k);
  const center = (c: number): number[] => {
    const p: number[] = [];
    for (let i = 0; i < k; i++) {
      p.push(lo[i] + ((c % dims[i]) + 0.5) * cell);
      c = Math.floor(c / dims[i]);
    }
    return p;
  };
  const Q = automaton.numStates;
  const edges = automaton.edges;
  const accepting = new Set(automaton.accepting);
  const lenient = lenientLiterals(automaton);
  // guard truth with margin per (cell, edge) and predicate distances per cell, computed lazily
  const preds = automaton.predicates();
  const predIndex = new Map(preds.map((p, i) => [p, i] as const));
  const distances = new Float64Array(nCells * preds.length).fill(Number.NaN);
  const truth = new Uint8Array(nCells * edges.length); // 0 unknown, 1 false, 2 true
  const x = [...center(0), ...tail];
  let cur = 0;
  const distanceOf = (p: Predicate): number => {
    const slot = cur * preds.length + (predIndex.get(p) as number);
    let v = distances[slot];
    if (Number.isNaN(v)) {
      const c = center(cur);
      for (let i = 0; i < k; i++) x[i] = c[i];
      v = p.distanceAt(x);
      distances[slot] = v;
    }
    return v;
  };
  const holds = (c: number, e: number): boolean => {
    const slot = c * edges.length + e;
    if (truth[slot] === 0) {
      cur = c;
      truth[slot] = guardHoldsWithMargin(edges[e].guard, distanceOf, eps, lenient[e]) ? 2 : 1;
    }
    return truth[slot] === 2;
  };
  // the start: its cell, and the automaton states after reading x₀ exactly
  let sc = 0;
  for (let i = k - 1; i >= 0; i--) {
    const j = Math.min(dims[i] - 1, Math.max(0, Math.floor((x0[i] - lo[i]) / cell)));
    sc = sc * dims[i] + j;
  }
  const x0Full = Array.from(x0);
  const initial = new Set<number>();
  const pred0 = new Map<Predicate, number>();
  const d0 = (p: Predicate) => {
    let v = pred0.get(p);
    if (v === undefined) {
      v = p.distanceAt(x0Full);
      pred0.set(p, v);
    }
    return v;
  };
  for (const e of edges)
    if (automaton.initial.includes(e.src) && guardHoldsWithMargin(e.guard, d0, 0)) initial.add(e.dst);
  if ([...initial].some((q) => accepting.has(q)))
    return { points: [x0Full.slice(0, k)], keys: [], margin: eps, cell };
  // neighbour offsets (3^k − 1) and their lengths
  const offsets: number[][] = [];
  for (let c = 0; c < 3 ** k; c++) {
    const o: number[] = [];
    let code = c;
    for (let i = 0; i < k; i++) {
      o.push((code % 3) - 1);
      code = Math.floor(code / 3);
    }
    if (o.some((v) => v !== 0)) offsets.push(o);
  }
  const offsetLength = offsets.map((o) => Math.sqrt(o.reduce((a, v) => a + v * v, 0)));
  const nNodes = nCells * Q;
  const dist = new Float64Array(nNodes).fill(Number.POSITIVE_INFINITY);
  const parent = new Int32Array(nNodes).fill(-1);
  const heap = new MinHeap();
  for (const q of initial) {
    dist[sc * Q + q] = 0;
    heap.push(0, sc * Q + q);
  }
  const byTarget = new Map<number, number[]>(); // src state → edge indices
  edges.forEach((e, i) => {
    const l = byTarget.get(e.src) ?? [];
    l.push(i);
    byTarget.set(e.src, l);
  });
  let goal = -1;
  const coord = new Array<number>(k);
  while (heap.size > 0) {
    const [dv, node] = heap.pop();
    if (dv > dist[node]) continue;
    const q = node % Q;
    const c = (node - q) / Q;
    if (accepting.has(q)) {
      goal = node;
      break;
    }
    const out = byTarget.get(q) ?? [];
    let rest = c;
    for (let i = 0; i < k; i++) {
      coord[i] = rest % dims[i];
      rest = Math.floor(rest / dims[i]);
    }
    for (let n = 0; n < offsets.length; n++) {
      const o = offsets[n];
      let nc = 0;
      let ok = true;
      for (let i = k - 1; i >= 0; i--) {
        const j = coord[i] + o[i];
        if (j < 0 || j >= dims[i]) {
          ok = false;
          break;
        }
        nc = nc * dims[i] + j;
      }
      if (!ok) continue;
      const len = offsetLength[n];
      for (const e of out) {
        if (!holds(nc, e)) continue;
        const nn = nc * Q + edges[e].dst;
        const nd = dv + len;
        if (nd < dist[nn]) {
          dist[nn] = nd;
          parent[nn] = node;
          heap.push(nd, nn);
        }
      }
    }
  }
  if (goal < 0) return null;
  const nodes: number[] = [];
  for (let v = goal; v !== -1; v = parent[v]) nodes.push(v);
  nodes.reverse();
  // nodes[0] is the start node (x₀ itself, not its cell centre)
  const points = [x0Full.slice(0, k), ...nodes.slice(1).map((v) => center((v - (v % Q)) / Q))];
  const states = nodes.map((v) => v % Q);
  // states[i] = automaton state after reading points[i]; a key is a point whose reading changes it
  const keys: number[] = [];
  for (let i = 1; i < states.length; i++) if (states[i] !== states[i - 1]) keys.push(i);
  const pulled = pullString(
    points,
    states,
    keys,
    (q, p) => {
      const x = [...p, ...tail];
      const d = (pr: Predicate) => pr.distanceAt(x);
      return (byTarget.get(q) ?? []).some(
        (e) => edges[e].dst === q && guardHoldsWithMargin(edges[e].guard, d, eps / 2, lenient[e], true),
      );
    },
    cell / 2,
  );
  return { ...pulled, margin: eps, cell };
}

/**
 * String pulling: from each kept point, jump to the farthest later point (not past the next key;
 * found by bisection) such that every point of the straight segment (sampled every `step`) satisfies the self-loop
 * guard of the automaton state held there (`inside(q, p)`); keys are always kept.
 */
export function pullString(
  points: number[][],
  states: number[],
  keys: number[],
  inside: (q: number, p: number[]) => boolean,
  step: number,
): { points: number[][]; keys: number[] } {
  const keySet = new Set(keys);
  const kept = [0];
  let i = 0;
  const last = points.length - 1;
  while (i < last) {
    let limit = i + 1;
    while (limit < last && !keySet.has(limit)) limit++;
    // the state held along the segment is the one after reading points[i]
    const q = states[i];
    // the farthest visible point, by bisection (visibility along a grid path is nearly
    // monotone; the chosen segment is always one that was checked)
    let j = i + 1;
    if (segmentInside(points[i], points[limit], q, inside, step)) j = limit;
    else {
      let hi = limit;
      while (hi - j > 1) {
        const mid = (j + hi) >> 1;
        if (segmentInside(points[i], points[mid], q, inside, step)) j = mid;
        else hi = mid;
      }
    }
    kept.push(j);
    i = j;
  }
  return { points: kept.map((t) => points[t]), keys: kept.flatMap((t, n) => (keySet.has(t) ? [n] : [])) };
}

function segmentInside(
  a: number[],
  b: number[],
  q: number,
  inside: (q: number, p: number[]) => boolean,
  step: number,
): boolean {
  const len = Math.sqrt(a.reduce((s, v, i) => s + (b[i] - v) ** 2, 0));
  const n = Math.max(1, Math.ceil(len / step));
  for (let s = 1; s < n; s++) {
    const w = s / n;
    if (
      !inside(
        q,
        a.map((v, i) => v + w * (b[i] - v)),
      )
    )
      return false;
  }
  return true;
}

/** A binary min-heap of (priority, value) pairs. */
class MinHeap {
  private readonly pri: number[] = [];
  private readonly val: number[] = [];
  get size(): number {
    return this.pri.length;
  }
  push(p: number, v: number): void {
    const { pri, val } = this;
    let i = pri.length;
    pri.push(p);
    val.push(v);
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (pri[parent] <= p) break;
      pri[i] = pri[parent];
      val[i] = val[parent];
      i = parent;
    }
    pri[i] = p;
    val[i] = v;
  }
  pop(): [number, number] {
    const { pri, val } = this;
    const top: [number, number] = [pri[0], val[0]];
    const p = pri.pop() as number;
    const v = val.pop() as number;
    const n = pri.length;
    if (n > 0) {
      let i = 0;
      for (;;) {
        const l = 2 * i + 1;
        if (l >= n) break;
        const r = l + 1;
        const c = r < n && pri[r] < pri[l] ? r : l;
        if (pri[c] >= p) break;
        pri[i] = pri[c];
        val[i] = val[c];
        i = c;
      }
      pri[i] = p;
      val[i] = v;
    }
    return top;
  }
}
