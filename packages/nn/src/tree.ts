/**
 * Parameter trees: the named tensors of a network, grouped by layer.
 *
 * A {@link ParamTree} is a two-level record `{ group: { name: tensor } }`, e.g.
 * `{ dense0: { W, b }, dense1: { W, b } }`. Groups are the unit that layer-wise methods sample
 * (LeZO perturbs a random subset of groups) and that weight-decay filters see; names are the
 * tensors of a group. The order of a tree is the insertion order of its groups and names (group
 * and tensor names must start with a letter or `_`, so JavaScript never reorders them as integer
 * keys); {@link flattenTree} and every serialised form follow it.
 *
 * Ownership: every function here returns *new* tensors owned by the caller and never disposes
 * its inputs. Dispose a tree with {@link disposeTree}.
 * @module
 */
import { ShapeError, ValueError, checkName, describe, readFunction, readNumber } from '@descent/tensor';
import { tf } from './tf';

/** The tensors of one layer, by name (e.g. `{ W, b }`). */
export type TensorGroup = Record<string, tf.Tensor>;

/** Named tensors grouped by layer: `{ group: { name: tensor } }`. */
export type ParamTree = Record<string, TensorGroup>;

/** The shapes of a tree: `{ group: { name: shape } }`. */
export type TreeShapes = Record<string, Record<string, number[]>>;

/** Where a tensor sits in a tree, handed to filters and mapped functions. */
export interface TensorPath {
  /** The group (layer) name, e.g. `"dense0"`. */
  group: string;
  /** The tensor name inside the group, e.g. `"W"`. */
  name: string;
}

const NAME_RE = /^[A-Za-z_][A-Za-z0-9_.-]*$/;

/** Throws {@link ValueError} unless `key` is a valid group or tensor name. */
export function assertTreeKey(what: string, key: string): void {
  checkName(what);
  if (typeof key !== 'string' || !NAME_RE.test(key)) {
    throw new ValueError(
      `${what} must start with a letter or '_' and contain only letters, digits, '_', '.', '-', got ${JSON.stringify(key)}`,
      what,
    );
  }
}

/**
 * Throws a typed error naming `name` unless `tree` is a {@link ParamTree} of live tensors:
 * {@link ShapeError} for a wrong structure, {@link ValueError} for a disposed tensor or a bad key.
 */
export function assertParamTree(name: string, tree: unknown): asserts tree is ParamTree {
  checkName(name);
  if (tree == null || typeof tree !== 'object' || Array.isArray(tree) || tree instanceof tf.Tensor) {
    throw new ShapeError(
      `${name} must be a parameter tree { group: { name: tensor } }, got ${describe(tree)}`,
      name,
    );
  }
  const groups = Object.keys(tree);
  if (groups.length === 0) throw new ShapeError(`${name} must have at least one group, got {}`, name);
  for (const g of groups) {
    assertTreeKey(`${name} group name`, g);
    const group = (tree as Record<string, unknown>)[g];
    if (group == null || typeof group !== 'object' || Array.isArray(group) || group instanceof tf.Tensor) {
      throw new ShapeError(
        `${name}.${g} must be a group { name: tensor }, got ${describe(group)}`,
        `${name}.${g}`,
      );
    }
    for (const k of Object.keys(group)) {
      assertTreeKey(`${name}.${g} tensor name`, k);
      const t = (group as Record<string, unknown>)[k];
      if (!(t instanceof tf.Tensor)) {
        throw new ShapeError(
          `${name}.${g}.${k} must be a tf.Tensor, got ${describe(t)}`,
          `${name}.${g}.${k}`,
        );
      }
      if (t.isDisposed) throw new ValueError(`${name}.${g}.${k} is a disposed tensor`, `${name}.${g}.${k}`);
    }
  }
}

/** The shapes of every tensor of `tree`. */
export function treeShapes(tree: ParamTree): TreeShapes {
  assertParamTree('tree', tree);
  const out: TreeShapes = {};
  for (const g of Object.keys(tree)) {
    out[g] = {};
    for (const k of Object.keys(tree[g])) out[g][k] = tree[g][k].shape.slice();
  }
  return out;
}

/** Every tensor of `tree` with its path, in tree order. */
export function treeLeaves(tree: ParamTree): Array<{ path: TensorPath; tensor: tf.Tensor }> {
  assertParamTree('tree', tree);
  const out: Array<{ path: TensorPath; tensor: tf.Tensor }> = [];
  for (const group of Object.keys(tree)) {
    for (const name of Object.keys(tree[group]))
      out.push({ path: { group, name }, tensor: tree[group][name] });
  }
  return out;
}

/** Total number of scalar parameters of `tree`. */
export function treeSize(tree: ParamTree): number {
  assertParamTree('tree', tree);
  let n = 0;
  for (const g of Object.keys(tree)) for (const k of Object.keys(tree[g])) n += tree[g][k].size;
  return n;
}

/** Total number of scalars described by `shapes`. */
export function shapesSize(shapes: TreeShapes): number {
  assertTreeShapes('shapes', shapes);
  let n = 0;
  for (const g of Object.keys(shapes)) for (const k of Object.keys(shapes[g])) n += sizeOf(shapes[g][k]);
  return n;
}

/**
 * Throws a typed error naming `name` unless `shapes` is a {@link TreeShapes}: at least one group,
 * valid names, every shape an array of non-negative integers.
 */
export function assertTreeShapes(name: string, shapes: unknown): asserts shapes is TreeShapes {
  checkName(name);
  if (shapes == null || typeof shapes !== 'object' || Array.isArray(shapes) || shapes instanceof tf.Tensor) {
    throw new ShapeError(`${name} must be tree shapes { group: { name: shape } }, got ${describe(shapes)}`, name);
  }
  const groups = Object.keys(shapes);
  if (groups.length === 0) throw new ShapeError(`${name} must have at least one group, got {}`, name);
  for (const g of groups) {
    assertTreeKey(`${name} group name`, g);
    const group = (shapes as Record<string, unknown>)[g];
    if (group == null || typeof group !== 'object' || Array.isArray(group)) {
      throw new ShapeError(`${name}.${g} must be a group { name: shape }, got ${describe(group)}`, `${name}.${g}`);
    }
    for (const k of Object.keys(group)) {
      assertTreeKey(`${name}.${g} tensor name`, k);
      const sh = (group as Record<string, unknown>)[k];
      if (!Array.isArray(sh) || sh.some((d) => !Number.isInteger(d) || (d as number) < 0)) {
        throw new ShapeError(
          `${name}.${g}.${k} must be a shape (an array of non-negative integers), got ${describe(sh)}`,
          `${name}.${g}.${k}`,
        );
      }
    }
  }
}

/** Throws a typed error naming `name` unless `like` is a {@link ParamTree} or {@link TreeShapes}. */
export function assertTreeOrShapes(name: string, like: unknown): asserts like is ParamTree | TreeShapes {
  if (like != null && typeof like === 'object' && !Array.isArray(like)) {
    for (const g of Object.keys(like)) {
      const grp = (like as Record<string, unknown>)[g];
      if (grp != null && typeof grp === 'object') {
        for (const k of Object.keys(grp)) {
          if (Array.isArray((grp as Record<string, unknown>)[k])) {
            assertTreeShapes(name, like);
            return;
          }
        }
      }
    }
  }
  assertParamTree(name, like);
}

function sizeOf(shape: number[]): number {
  let n = 1;
  for (const s of shape) n *= s;
  return n;
}

/**
 * Throws {@link ShapeError} naming `name` unless `tree` has exactly the groups, names and
 * shapes of `like` (in any order).
 */
export function assertSameStructure(name: string, tree: ParamTree, like: ParamTree | TreeShapes): void {
  assertParamTree(name, tree);
  if (like !== tree) assertTreeOrShapes('like', like);
  const likeGroups = Object.keys(like);
  for (const g of likeGroups) {
    if (!(g in tree)) throw new ShapeError(`${name} is missing group ${JSON.stringify(g)}`, name);
    const lg = (like as Record<string, Record<string, tf.Tensor | number[]>>)[g];
    for (const k of Object.keys(lg)) {
      const t = tree[g][k];
      if (t === undefined) throw new ShapeError(`${name}.${g} is missing tensor ${JSON.stringify(k)}`, name);
      const ref = lg[k];
      const shape = ref instanceof tf.Tensor ? ref.shape : ref;
      if (t.shape.length !== shape.length || t.shape.some((s, i) => s !== shape[i])) {
        throw new ShapeError(
          `${name}.${g}.${k} must have shape [${shape}], got [${t.shape}]`,
          `${name}.${g}.${k}`,
        );
      }
    }
    for (const k of Object.keys(tree[g])) {
      if (!(k in lg))
        throw new ShapeError(`${name}.${g} has an unexpected tensor ${JSON.stringify(k)}`, name);
    }
  }
  for (const g of Object.keys(tree)) {
    if (!likeGroups.includes(g))
      throw new ShapeError(`${name} has an unexpected group ${JSON.stringify(g)}`, name);
  }
}

/**
 * Applies `fn` to every tensor of `tree` (and the tensors at the same paths of `others`), in tree
 * order, returning a new tree. Intermediate tensors made by `fn` are disposed (each call runs in
 * `tf.tidy`); the results belong to the caller.
 *
 * ```ts
 * const halved = mapTree((p) => tf.mul(p, 0.5), params);
 * const sum = mapTree((a, b) => tf.add(a, b), params, grads);
 * ```
 */
export function mapTree(
  fn: (tensor: tf.Tensor, ...rest: tf.Tensor[]) => tf.Tensor,
  tree: ParamTree,
  ...others: ParamTree[]
): ParamTree {
  readFunction(fn, 'fn');
  return mapTreeWithPath((_path, t, ...rest) => fn(t, ...rest), tree, ...others);
}

/** Like {@link mapTree} but `fn` also receives the tensor's path, to treat groups differently. */
export function mapTreeWithPath(
  fn: (path: TensorPath, tensor: tf.Tensor, ...rest: tf.Tensor[]) => tf.Tensor,
  tree: ParamTree,
  ...others: ParamTree[]
): ParamTree {
  readFunction(fn, 'fn');
  assertParamTree('tree', tree);
  others.forEach((o, i) => {
    assertParamTree(`others[${i}]`, o);
  });
  const out: ParamTree = {};
  try {
    for (const group of Object.keys(tree)) {
      out[group] = {};
      for (const name of Object.keys(tree[group])) {
        const rest = others.map((o, i) => {
          const t = o[group]?.[name];
          if (t === undefined) throw new ShapeError(`tree ${i + 1} is missing ${group}.${name}`, 'others');
          return t;
        });
        out[group][name] = tf.tidy(() => mapped(fn({ group, name }, tree[group][name], ...rest), `${group}.${name}`));
      }
    }
  } catch (e) {
    disposeTree(out);
    throw e;
  }
  return out;
}

/** `fn`'s result must be a tensor (errors name `fn`). */
function mapped(t: unknown, path: string): tf.Tensor {
  if (!(t instanceof tf.Tensor)) throw new ValueError(`fn must return a tf.Tensor, got ${describe(t)} at ${path}`, 'fn');
  return t;
}

/**
 * Disposes every tensor of `tree` (already-disposed tensors are skipped; `null` and `undefined`
 * are no-ops, so it is safe in `finally` blocks, also on a partly built tree with empty groups).
 * Anything else that is not a tree is a {@link ShapeError}.
 */
export function disposeTree(tree: ParamTree | null | undefined): void {
  if (tree == null) return;
  if (typeof tree !== 'object' || Array.isArray(tree) || tree instanceof tf.Tensor) {
    throw new ShapeError(`tree must be a parameter tree { group: { name: tensor } }, got ${describe(tree)}`, 'tree');
  }
  for (const g of Object.keys(tree)) {
    const group = tree[g];
    if (group == null || typeof group !== 'object' || Array.isArray(group)) {
      throw new ShapeError(`tree.${g} must be a group { name: tensor }, got ${describe(group)}`, `tree.${g}`);
    }
    for (const k of Object.keys(group)) {
      const t = group[k];
      if (!(t instanceof tf.Tensor)) throw new ShapeError(`tree.${g}.${k} must be a tf.Tensor, got ${describe(t)}`, `tree.${g}.${k}`);
      if (!t.isDisposed) t.dispose();
    }
  }
}

/** Marks every tensor of `tree` with `tf.keep` (so an enclosing `tf.tidy` does not dispose it); returns `tree`. */
export function keepTree(tree: ParamTree): ParamTree {
  assertParamTree('tree', tree);
  for (const g of Object.keys(tree)) for (const k of Object.keys(tree[g])) tf.keep(tree[g][k]);
  return tree;
}

/** A copy of `tree` (new tensor handles sharing nothing the caller can mutate). */
export function cloneTree(tree: ParamTree): ParamTree {
  return mapTree((t) => tf.clone(t), tree);
}

/** A tree of zeros shaped like `tree`. */
export function zerosLikeTree(tree: ParamTree): ParamTree {
  return mapTree((t) => tf.zerosLike(t), tree);
}

/** `a + b` per tensor. */
export function addTrees(a: ParamTree, b: ParamTree): ParamTree {
  assertParamTree('a', a);
  assertSameStructure('b', b, a);
  return mapTree((x, y) => tf.add(x, y), a, b);
}

/** `a − b` per tensor. */
export function subTrees(a: ParamTree, b: ParamTree): ParamTree {
  assertParamTree('a', a);
  assertSameStructure('b', b, a);
  return mapTree((x, y) => tf.sub(x, y), a, b);
}

/** `alpha · a` per tensor. */
export function scaleTree(alpha: number, a: ParamTree): ParamTree {
  readNumber(alpha, 'alpha');
  assertParamTree('a', a);
  return mapTree((x) => tf.mul(x, alpha), a);
}

/** `alpha · x + y` per tensor (axpy). */
export function axpyTree(alpha: number, x: ParamTree, y: ParamTree): ParamTree {
  readNumber(alpha, 'alpha');
  assertParamTree('x', x);
  assertSameStructure('y', y, x);
  return mapTree((xi, yi) => tf.add(tf.mul(xi, alpha), yi), x, y);
}

/**
 * `(1 − t)·a + t·b` per tensor: the point at `t` on the line through `a` (t = 0) and `b` (t = 1).
 */
export function lerpTrees(a: ParamTree, b: ParamTree, t: number): ParamTree {
  assertParamTree('a', a);
  assertSameStructure('b', b, a);
  readNumber(t, 't');
  return mapTree((x, y) => tf.add(tf.mul(x, 1 - t), tf.mul(y, t)), a, b);
}

/**
 * Σ over every tensor of ⟨a, b⟩, accumulated in float64 per tensor (one read-back).
 */
export function dotTrees(a: ParamTree, b: ParamTree): number {
  assertParamTree('a', a);
  assertSameStructure('b', b, a);
  const parts: tf.Tensor[] = [];
  try {
    for (const g of Object.keys(a)) {
      for (const k of Object.keys(a[g])) {
        const y = b[g]?.[k];
        if (y === undefined) throw new ShapeError(`b is missing ${g}.${k}`, 'b');
        parts.push(tf.tidy(() => tf.sum(tf.mul(a[g][k], y))));
      }
    }
    return sumScalars(parts);
  } finally {
    tf.dispose(parts);
  }
}

/** The global ℓ2 norm √(Σ ‖tensor‖²) of a tree (float64 accumulation across tensors). */
export function treeNorm(a: ParamTree): number {
  assertParamTree('a', a);
  const parts: tf.Tensor[] = [];
  try {
    for (const g of Object.keys(a))
      for (const k of Object.keys(a[g])) parts.push(tf.tidy(() => tf.sum(tf.square(a[g][k]))));
    return Math.sqrt(sumScalars(parts));
  } finally {
    tf.dispose(parts);
  }
}

/** Sum of scalar tensors in float64 with a single read-back. */
function sumScalars(parts: tf.Tensor[]): number {
  if (parts.length === 0) return 0;
  const stacked = tf.tidy(() => tf.stack(parts.map((p) => tf.reshape(p, []))));
  try {
    const v = stacked.dataSync();
    let s = 0;
    for (let i = 0; i < v.length; i++) s += v[i];
    return s;
  } finally {
    stacked.dispose();
  }
}

/**
 * The tensors of `tree` concatenated in tree order as one float64 vector (for float64 algorithms
 * such as Lanczos; one read-back per tensor).
 */
export function flattenTree(tree: ParamTree): Float64Array {
  assertParamTree('tree', tree);
  const out = new Float64Array(treeSize(tree));
  let off = 0;
  for (const g of Object.keys(tree)) {
    for (const k of Object.keys(tree[g])) {
      const v = tree[g][k].dataSync();
      for (let i = 0; i < v.length; i++) out[off + i] = v[i];
      off += v.length;
    }
  }
  return out;
}

/**
 * The inverse of {@link flattenTree}: float32 tensors shaped like `like` (a tree or its shapes)
 * from a flat vector of the right length.
 */
export function unflattenTree(flat: ArrayLike<number>, like: ParamTree | TreeShapes): ParamTree {
  assertTreeOrShapes('like', like);
  const shapes = isShapes(like) ? like : treeShapes(like);
  const n = shapesSize(shapes);
  if (flat == null || typeof flat.length !== 'number') {
    throw new ShapeError(`flat must be a vector of length ${n}, got ${describe(flat)}`, 'flat');
  }
  if (flat.length !== n)
    throw new ShapeError(`flat must have length ${n} (the tree size), got ${flat.length}`, 'flat');
  const out: ParamTree = {};
  let off = 0;
  for (const g of Object.keys(shapes)) {
    out[g] = {};
    for (const k of Object.keys(shapes[g])) {
      const shape = shapes[g][k];
      const size = sizeOf(shape);
      const buf = new Float32Array(size);
      for (let i = 0; i < size; i++) {
        const x = flat[off + i];
        if (!Number.isFinite(x)) {
          disposeTree(out);
          throw new ValueError(
            `flat must contain only finite numbers, got ${describe(x)} at index ${off + i}`,
            'flat',
          );
        }
        buf[i] = x;
      }
      out[g][k] = tf.tensor(buf, shape, 'float32');
      off += size;
    }
  }
  return out;
}

function isShapes(x: ParamTree | TreeShapes): x is TreeShapes {
  for (const g of Object.keys(x)) {
    for (const k of Object.keys(x[g])) return Array.isArray((x as TreeShapes)[g][k]);
  }
  return false;
}

/**
 * The sub-tree of the listed groups (same tensor handles, not copies: do not dispose it
 * separately from `tree`). Throws {@link ValueError} for an unknown group.
 */
export function selectGroups(tree: ParamTree, groups: readonly string[]): ParamTree {
  assertParamTree('tree', tree);
  if (!Array.isArray(groups) || groups.length === 0) {
    throw new ValueError(`groups must be a non-empty array of group names, got ${describe(groups)}`, 'groups');
  }
  const out: ParamTree = {};
  for (const g of groups) {
    if (!(g in tree)) {
      throw new ValueError(
        `groups must name groups of the tree (${Object.keys(tree).join(', ')}), got ${JSON.stringify(g)}`,
        'groups',
      );
    }
    out[g] = tree[g];
  }
  return out;
}

/** Max |a − b| over all entries (for tests and diagnostics; one read-back per tensor). */
export function maxAbsDiffTrees(a: ParamTree, b: ParamTree): number {
  assertParamTree('a', a);
  assertSameStructure('b', b, a);
  let m = 0;
  for (const g of Object.keys(a)) {
    for (const k of Object.keys(a[g])) {
      const y = b[g]?.[k];
      if (y === undefined) throw new ShapeError(`b is missing ${g}.${k}`, 'b');
      const va = a[g][k].dataSync();
      const vb = y.dataSync();
      if (va.length !== vb.length)
        throw new ShapeError(`b.${g}.${k} must have ${va.length} entries, got ${vb.length}`, 'b');
      for (let i = 0; i < va.length; i++) m = Math.max(m, Math.abs(va[i] - vb[i]));
    }
  }
  return m;
}
