/**
 * Symbolic automata A = (Q, I, F, Δ): finitely many states, initial and accepting sets, and
 * transitions (q, ψ, q′) guarded by Boolean combinations of predicates over the system state
 * (automatix's `NFA`). At most one guard per (q, q′): a second edge on the same pair is merged
 * with OR, as automatix requires users to do by hand.
 * @module
 */
import {
  type MatrixInput,
  ShapeError,
  ValueError,
  describe,
  readBoolean,
  readInteger,
  readOptions,
  readRows,
} from '@descent/tensor';
import { type Guard, type NnfGuard, guardHolds, guardToString, orNnf, predicatesOf, toNnf } from './guard';
import { type Predicate, checkPredicateDim } from './predicate';

/** A state label. */
export type StateId = string | number;

/** A transition after merging parallel edges; `src`/`dst` are state indices. */
export interface Edge {
  src: number;
  dst: number;
  guard: NnfGuard;
}

/** Flags of a state. */
export interface StateOptions {
  initial?: boolean;
  accepting?: boolean;
}

/** A symbolic (nondeterministic) finite automaton over the system state. */
export class SymbolicAutomaton {
  private readonly ids: StateId[] = [];
  private readonly index = new Map<StateId, number>();
  private readonly initialSet = new Set<number>();
  private readonly acceptingSet = new Set<number>();
  private readonly edgeMap = new Map<string, Edge>();

  /** Adds a state (ids must be unique). Returns `this` for chaining. */
  addState(id: StateId, options: StateOptions = {}): this {
    if (typeof id !== 'string' && !(typeof id === 'number' && Number.isFinite(id))) {
      throw new ValueError(`state id must be a string or finite number, got ${describe(id)}`, 'id');
    }
    const o = readOptions<StateOptions>(options);
    const initial = o.initial === undefined ? false : readBoolean(o.initial, 'options.initial');
    const accepting = o.accepting === undefined ? false : readBoolean(o.accepting, 'options.accepting');
    if (this.index.has(id)) throw new ValueError(`state ${JSON.stringify(id)} already exists`, 'id');
    const i = this.ids.length;
    this.ids.push(id);
    this.index.set(id, i);
    if (initial) this.initialSet.add(i);
    if (accepting) this.acceptingSet.add(i);
    return this;
  }

  /** Adds the transition src —ψ→ dst; an existing guard on the same pair becomes ψ_old ∨ ψ. */
  addEdge(src: StateId, dst: StateId, guard: Guard): this {
    const s = this.index.get(src);
    if (s === undefined)
      throw new ValueError(
        `addEdge: src must be a known state, got unknown state ${JSON.stringify(src)}`,
        'src',
      );
    const d = this.index.get(dst);
    if (d === undefined)
      throw new ValueError(
        `addEdge: dst must be a known state, got unknown state ${JSON.stringify(dst)}`,
        'dst',
      );
    const g = toNnf(guard);
    const key = `${s},${d}`;
    const old = this.edgeMap.get(key);
    this.edgeMap.set(key, { src: s, dst: d, guard: old ? orNnf(old.guard, g) : g });
    return this;
  }

  /** Number of states |Q|. */
  get numStates(): number {
    return this.ids.length;
  }

  /** State labels in index order. */
  get stateIds(): readonly StateId[] {
    return this.ids;
  }

  /** Indices of the initial states. */
  get initial(): number[] {
    return [...this.initialSet].sort((a, b) => a - b);
  }

  /** Indices of the accepting states. */
  get accepting(): number[] {
    return [...this.acceptingSet].sort((a, b) => a - b);
  }

  /** The merged transitions, in insertion order of their (src, dst) pair. */
  get edges(): Edge[] {
    return [...this.edgeMap.values()];
  }

  /** Index of a state label (ValueError if unknown). */
  indexOf(id: StateId): number {
    const i = this.index.get(id);
    if (i === undefined) throw new ValueError(`unknown state ${JSON.stringify(id)}`, 'id');
    return i;
  }

  /** Every predicate read by some guard. */
  predicates(): Predicate[] {
    const out = new Set<Predicate>();
    for (const e of this.edgeMap.values()) predicatesOf(e.guard, out);
    return [...out];
  }

  /** Smallest state dimension every predicate can read. */
  get stateDim(): number {
    return this.predicates().reduce((m, p) => Math.max(m, p.dim), 0);
  }

  /** Throws a typed error if the automaton has no initial or no accepting state. */
  validate(): this {
    if (this.ids.length === 0)
      throw new ValueError('automaton must have at least one state, got 0', 'automaton');
    if (this.initialSet.size === 0)
      throw new ValueError('automaton must have an initial state, got none', 'initial');
    if (this.acceptingSet.size === 0)
      throw new ValueError('automaton must have an accepting state, got none', 'accepting');
    return this;
  }

  /** Throws a ShapeError if some predicate cannot read states of dimension n. */
  checkStateDim(n: number): void {
    readInteger(n, 'n', { min: 0 });
    for (const p of this.predicates()) checkPredicateDim(p, n);
  }

  /**
   * Exact acceptance of the word x₀ … x_{T−1} (one letter per state, T ≥ 1) by subset
   * simulation on plain numbers: the reference for the differentiable scores.
   */
  accepts(word: MatrixInput): boolean {
    this.validate();
    const xs = readWord(word, this.stateDim);
    let cur = new Set(this.initialSet);
    const edges = this.edges;
    for (let t = 0; t < xs.length && cur.size > 0; t++) {
      const next = new Set<number>();
      for (const e of edges)
        if (cur.has(e.src) && !next.has(e.dst) && guardHolds(e.guard, xs[t])) next.add(e.dst);
      cur = next;
    }
    for (const q of cur) if (this.acceptingSet.has(q)) return true;
    return false;
  }

  /**
   * One accepting run of the word x₀ … x_{L−1}: automaton states q₀ … q_L with q₀ initial, q_L
   * accepting and the guard of q_t → q_{t+1} holding at x_t (x_t is read by that edge), or null
   * if the word is rejected. Forward reachable sets, then a backward pass (lowest state index
   * first, so the run is deterministic).
   */
  acceptingRun(word: MatrixInput): number[] | null {
    this.validate();
    const xs = readWord(word, this.stateDim);
    const edges = this.edges;
    const sets: Set<number>[] = [new Set(this.initialSet)];
    for (let t = 0; t < xs.length; t++) {
      const next = new Set<number>();
      for (const e of edges)
        if (sets[t].has(e.src) && !next.has(e.dst) && guardHolds(e.guard, xs[t])) next.add(e.dst);
      sets.push(next);
    }
    const ends = [...sets[xs.length]].filter((q) => this.acceptingSet.has(q)).sort((a, b) => a - b);
    if (ends.length === 0) return null;
    const run = [ends[0]];
    for (let t = xs.length - 1; t >= 0; t--) {
      const q = run[run.length - 1];
      const p = [...sets[t]]
        .sort((a, b) => a - b)
        .find((s) => edges.some((e) => e.src === s && e.dst === q && guardHolds(e.guard, xs[t])));
      run.push(p as number);
    }
    return run.reverse();
  }

  /**
   * A copy without the states that are unreachable from I or cannot reach F (structurally);
   * they carry no accepting run, so every score is unchanged.
   */
  trim(): SymbolicAutomaton {
    const n = this.ids.length;
    const fwd = new Set(this.initialSet);
    const bwd = new Set(this.acceptingSet);
    const edges = this.edges.filter((e) => !(e.guard.kind === 'const' && !e.guard.value));
    for (let changed = true; changed; ) {
      changed = false;
      for (const e of edges) {
        if (fwd.has(e.src) && !fwd.has(e.dst)) {
          fwd.add(e.dst);
          changed = true;
        }
        if (bwd.has(e.dst) && !bwd.has(e.src)) {
          bwd.add(e.src);
          changed = true;
        }
      }
    }
    const out = new SymbolicAutomaton();
    for (let i = 0; i < n; i++) {
      if (fwd.has(i) && bwd.has(i)) {
        out.addState(this.ids[i], { initial: this.initialSet.has(i), accepting: this.acceptingSet.has(i) });
      }
    }
    for (const e of edges) {
      if (out.index.has(this.ids[e.src]) && out.index.has(this.ids[e.dst])) {
        out.addEdge(this.ids[e.src], this.ids[e.dst], e.guard as unknown as Guard);
      }
    }
    return out;
  }

  /** A readable listing of states and guarded edges. */
  toString(): string {
    const lines = this.ids.map(
      (id, i) =>
        `${JSON.stringify(id)}${this.initialSet.has(i) ? ' (initial)' : ''}${this.acceptingSet.has(i) ? ' (accepting)' : ''}`,
    );
    for (const e of this.edges) {
      lines.push(
        `${JSON.stringify(this.ids[e.src])} -> ${JSON.stringify(this.ids[e.dst])} : ${guardToString(e.guard)}`,
      );
    }
    return lines.join('\n');
  }
}

/**
 * Reads a word x₀ … x_{T−1} with the shared matrix reader (nested arrays, typed-array rows or a
 * rank-2 tensor; ShapeError for a wrong form, ragged rows or no state, ValueError naming the
 * row and column of a non-finite entry) and checks that the states have dimension ≥ `minDim`
 * (the coordinates the guards read). Returns the states as Float64Array rows.
 */
export function readWord(xs: MatrixInput | unknown, minDim: number, name = 'xs'): Float64Array[] {
  const rows = readRows(xs, name);
  const n = rows[0].length;
  if (n < minDim)
    throw new ShapeError(
      `${name} must have states of dimension >= ${minDim} (read by the guards), got ${n}`,
      name,
    );
  return rows;
}
