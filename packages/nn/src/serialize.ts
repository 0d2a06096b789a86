/**
 * JSON forms of tensors, parameter trees and optimizer states, bit-exact and validated.
 *
 * A float32 tensor is stored as `{ shape, data }` with `data` the base64 of its little-endian
 * float32 bytes (exact, and ~4× smaller than decimal numbers). Readers check everything they
 * read (structure, shapes, lengths, finiteness) and throw typed errors naming the field.
 * Platform-neutral (uses `btoa`/`atob`, present in browsers and Node ≥ 16).
 * @module
 */
import { ShapeError, ValueError, checkName, describe, readInteger } from '@descent/tensor';
import { tf } from './tf';
import { type ParamTree, type TreeShapes, assertParamTree, assertTreeKey, assertTreeOrShapes, disposeTree } from './tree';

/** A JSON value. */
export type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

/** The JSON form of one float32 tensor. */
export interface TensorJson {
  shape: number[];
  /** Base64 of the little-endian float32 bytes. */
  data: string;
}

/** The JSON form of a parameter tree: `{ group: { name: TensorJson } }`. */
export type TreeJson = Record<string, Record<string, TensorJson>>;

const CHUNK = 0x8000;

/** Base64 of the little-endian bytes of a Float32Array. */
export function encodeFloat32(values: Float32Array): string {
  const bytes = new Uint8Array(values.length * 4);
  const view = new DataView(bytes.buffer);
  for (let i = 0; i < values.length; i++) view.setFloat32(i * 4, values[i], true);
  let bin = '';
  for (let i = 0; i < bytes.length; i += CHUNK) bin += String.fromCharCode(...bytes.subarray(i, i + CHUNK));
  return btoa(bin);
}

/**
 * Decodes {@link encodeFloat32}'s output, checking that it holds exactly `length` finite
 * float32 values; errors name `field`.
 */
export function decodeFloat32(data: unknown, length: number, field: string): Float32Array {
  checkName(field);
  readInteger(length, 'length', { min: 0 });
  if (typeof data !== 'string')
    throw new ValueError(`${field} must be a base64 string, got ${describe(data)}`, field);
  let bin: string;
  try {
    bin = atob(data);
  } catch {
    throw new ValueError(`${field} must be valid base64`, field);
  }
  if (bin.length !== length * 4) {
    throw new ShapeError(
      `${field} must hold ${length} float32 values (${length * 4} bytes), got ${bin.length} bytes`,
      field,
    );
  }
  const view = new DataView(new ArrayBuffer(bin.length));
  for (let i = 0; i < bin.length; i++) view.setUint8(i, bin.charCodeAt(i));
  const out = new Float32Array(length);
  for (let i = 0; i < length; i++) {
    const v = view.getFloat32(i * 4, true);
    if (!Number.isFinite(v))
      throw new ValueError(
        `${field} must contain only finite numbers, got ${describe(v)} at index ${i}`,
        field,
      );
    out[i] = v;
  }
  return out;
}

/** The JSON form of a float32 tensor (one read-back). */
export function tensorToJSON(t: tf.Tensor): TensorJson {
  if (!(t instanceof tf.Tensor)) throw new ShapeError(`t must be a tf.Tensor, got ${describe(t)}`, 't');
  if (t.isDisposed) throw new ValueError('t is a disposed tensor', 't');
  if (t.dtype !== 'float32')
    throw new ValueError(`only float32 tensors are serialisable, got ${t.dtype}`, 't');
  const values = t.dataSync() as Float32Array;
  for (let i = 0; i < values.length; i++) {
    if (!Number.isFinite(values[i])) {
      throw new ValueError(`t must contain only finite values, got ${describe(values[i])} at index ${i}`, 't');
    }
  }
  return { shape: t.shape.slice(), data: encodeFloat32(values) };
}

/**
 * A float32 tensor from {@link tensorToJSON}'s output, checking its shape against `shape` when
 * given; errors name `field`.
 */
export function tensorFromJSON(json: unknown, field: string, shape?: readonly number[]): tf.Tensor {
  checkName(field);
  if (shape !== undefined && (!Array.isArray(shape) || shape.some((d) => !Number.isInteger(d) || d < 0))) {
    throw new ShapeError(`shape must be an array of non-negative integers, got ${describe(shape)}`, 'shape');
  }
  if (json == null || typeof json !== 'object' || Array.isArray(json)) {
    throw new ValueError(`${field} must be a tensor { shape, data }, got ${describe(json)}`, field);
  }
  const j = json as Record<string, unknown>;
  if (!Array.isArray(j.shape)) {
    throw new ValueError(
      `${field}.shape must be an array of non-negative integers, got ${describe(j.shape)}`,
      `${field}.shape`,
    );
  }
  j.shape.forEach((s, i) => {
    if (!Number.isInteger(s) || (s as number) < 0 || (s as number) > 2 ** 31) {
      throw new ValueError(
        `${field}.shape[${i}] must be a non-negative integer, got ${describe(s)}`,
        `${field}.shape[${i}]`,
      );
    }
  });
  const sh = j.shape as number[];
  if (shape && sh.length !== shape.length) {
    throw new ShapeError(
      `${field}.shape must have length ${shape.length} ([${shape}]), got [${sh}]`,
      `${field}.shape`,
    );
  }
  if (shape) {
    sh.forEach((s, i) => {
      if (s !== shape[i])
        throw new ShapeError(
          `${field}.shape[${i}] must be ${shape[i]} (shape [${shape}]), got ${s}`,
          `${field}.shape[${i}]`,
        );
    });
  }
  const size = sh.reduce((a, b) => a * b, 1);
  return tf.tensor(decodeFloat32(j.data, size, `${field}.data`), sh, 'float32');
}

/** The JSON form of a parameter tree. */
export function treeToJSON(tree: ParamTree): TreeJson {
  assertParamTree('tree', tree);
  const out: TreeJson = {};
  for (const g of Object.keys(tree)) {
    out[g] = {};
    for (const k of Object.keys(tree[g])) out[g][k] = tensorToJSON(tree[g][k]);
  }
  return out;
}

/**
 * A parameter tree from {@link treeToJSON}'s output. With `like` (a tree or its shapes), the
 * groups, names and shapes must match it exactly. Errors name the field (`field.group.name`).
 */
export function treeFromJSON(json: unknown, like?: ParamTree | TreeShapes, field = 'params'): ParamTree {
  checkName(field);
  if (like !== undefined) assertTreeOrShapes('like', like);
  if (json == null || typeof json !== 'object' || Array.isArray(json)) {
    throw new ValueError(`${field} must be a tree { group: { name: tensor } }, got ${describe(json)}`, field);
  }
  const j = json as Record<string, unknown>;
  const out: ParamTree = {};
  try {
    if (like) {
      for (const g of Object.keys(like))
        if (!(g in j)) throw new ValueError(`${field} is missing group ${JSON.stringify(g)}`, field);
      for (const g of Object.keys(j))
        if (!(g in like))
          throw new ValueError(`${field} has an unexpected group ${JSON.stringify(g)}`, field);
    }
    for (const g of Object.keys(j)) {
      assertTreeKey(`${field} group name`, g);
      const grp = j[g];
      if (grp == null || typeof grp !== 'object' || Array.isArray(grp)) {
        throw new ValueError(
          `${field}.${g} must be a group { name: tensor }, got ${describe(grp)}`,
          `${field}.${g}`,
        );
      }
      const lg = like ? (like as Record<string, Record<string, tf.Tensor | number[]>>)[g] : undefined;
      if (lg) {
        for (const k of Object.keys(lg))
          if (!(k in grp))
            throw new ValueError(`${field}.${g} is missing tensor ${JSON.stringify(k)}`, `${field}.${g}`);
        for (const k of Object.keys(grp))
          if (!(k in lg))
            throw new ValueError(
              `${field}.${g} has an unexpected tensor ${JSON.stringify(k)}`,
              `${field}.${g}`,
            );
      }
      out[g] = {};
      for (const k of Object.keys(grp)) {
        assertTreeKey(`${field}.${g} tensor name`, k);
        const ref = lg?.[k];
        const shape = ref === undefined ? undefined : ref instanceof tf.Tensor ? ref.shape : ref;
        out[g][k] = tensorFromJSON((grp as Record<string, unknown>)[k], `${field}.${g}.${k}`, shape);
      }
    }
  } catch (e) {
    disposeTree(out);
    throw e;
  }
  return out;
}

function isTree(x: unknown): x is ParamTree {
  if (x == null || typeof x !== 'object' || Array.isArray(x) || x instanceof tf.Tensor) return false;
  const groups = Object.values(x as object);
  if (groups.length === 0) return false;
  return groups.every(
    (g) =>
      g != null &&
      typeof g === 'object' &&
      !Array.isArray(g) &&
      Object.values(g).length > 0 &&
      Object.values(g).every((t) => t instanceof tf.Tensor),
  );
}

/**
 * The JSON form of an optimizer state: numbers stay numbers, parameter trees become
 * `{ $tree: TreeJson }`, single tensors `{ $tensor: TensorJson }`, arrays and records are
 * walked. Throws {@link ValueError} on a non-finite number or an unsupported value.
 */
export function stateToJSON(state: unknown, field = 'state'): Json {
  checkName(field);
  assertStateRoot(state, field);
  return stateToJSONAt(state, field);
}

/** A state is a record, a non-empty array (a chain's) or a tensor at its root; errors name `field`. */
function assertStateRoot(state: unknown, field: string): void {
  const ok =
    state instanceof tf.Tensor ||
    (Array.isArray(state) ? state.length > 0 : state != null && typeof state === 'object' && !ArrayBuffer.isView(state));
  if (!ok) {
    throw new ValueError(
      `${field} must be an optimizer state (a record, a non-empty array or a tensor), got ${describe(state)}`,
      field,
    );
  }
}

function stateToJSONAt(state: unknown, field: string): Json {
  if (typeof state === 'number') {
    if (!Number.isFinite(state))
      throw new ValueError(`${field} must be finite, got ${describe(state)}`, field);
    return state;
  }
  if (state instanceof tf.Tensor) return { $tensor: tensorToJSON(state) as unknown as Json };
  if (Array.isArray(state)) return state.map((s, i) => stateToJSONAt(s, `${field}[${i}]`));
  if (isTree(state)) return { $tree: treeToJSON(state) as unknown as Json };
  if (state != null && typeof state === 'object') {
    const out: Record<string, Json> = {};
    for (const k of Object.keys(state))
      out[k] = stateToJSONAt((state as Record<string, unknown>)[k], `${field}.${k}`);
    return out;
  }
  throw new ValueError(
    `${field} must hold only numbers, tensors, trees, arrays and records, got ${describe(state)}`,
    field,
  );
}

/**
 * Reads an optimizer state saved with {@link stateToJSON}, validated against `template` (a state
 * of the same optimizer for the same parameters, e.g. `optimizer.init(params)`): the structure,
 * every tree's groups, names and shapes, and every number (finite; fields named `count` must be
 * non-negative integers) must match. The template is not consumed.
 */
export function stateFromJSON(json: unknown, template: unknown, field = 'state'): unknown {
  checkName(field);
  assertStateRoot(template, 'template');
  return stateFromJSONAt(json, template, field);
}

function stateFromJSONAt(json: unknown, template: unknown, field: string): unknown {
  if (typeof template === 'number') {
    if (typeof json !== 'number' || !Number.isFinite(json))
      throw new ValueError(`${field} must be a finite number, got ${describe(json)}`, field);
    if (/(^|\.)count$/.test(field) && (!Number.isInteger(json) || json < 0)) {
      throw new ValueError(`${field} must be a non-negative integer, got ${describe(json)}`, field);
    }
    return json;
  }
  if (template instanceof tf.Tensor) {
    const j = json as Record<string, unknown> | null;
    if (j == null || typeof j !== 'object' || !('$tensor' in j))
      throw new ValueError(`${field} must be { $tensor }, got ${describe(json)}`, field);
    return tensorFromJSON(j.$tensor, `${field}.$tensor`, template.shape);
  }
  if (Array.isArray(template)) {
    if (!Array.isArray(json))
      throw new ValueError(
        `${field} must be an array of length ${template.length}, got ${describe(json)}`,
        field,
      );
    if (json.length !== template.length)
      throw new ShapeError(`${field} must have length ${template.length}, got ${json.length}`, field);
    const out: unknown[] = [];
    try {
      for (let i = 0; i < template.length; i++)
        out.push(stateFromJSONAt(json[i], template[i], `${field}[${i}]`));
    } catch (e) {
      disposeStateAt(out);
      throw e;
    }
    return out;
  }
  if (isTree(template)) {
    const j = json as Record<string, unknown> | null;
    if (j == null || typeof j !== 'object' || !('$tree' in j))
      throw new ValueError(`${field} must be { $tree }, got ${describe(json)}`, field);
    return treeFromJSON(j.$tree, template, `${field}.$tree`);
  }
  if (template != null && typeof template === 'object') {
    if (json == null || typeof json !== 'object' || Array.isArray(json))
      throw new ValueError(`${field} must be a record, got ${describe(json)}`, field);
    const keys = Object.keys(template);
    for (const k of Object.keys(json))
      if (!keys.includes(k))
        throw new ValueError(`${field} has an unexpected field ${JSON.stringify(k)}`, field);
    const out: Record<string, unknown> = {};
    try {
      for (const k of keys) {
        if (!(k in json)) throw new ValueError(`${field}.${k} is missing`, `${field}.${k}`);
        out[k] = stateFromJSONAt(
          (json as Record<string, unknown>)[k],
          (template as Record<string, unknown>)[k],
          `${field}.${k}`,
        );
      }
    } catch (e) {
      disposeStateAt(out);
      throw e;
    }
    return out;
  }
  throw new ValueError(`${field}: unsupported template value ${describe(template)}`, field);
}

/**
 * Disposes every tensor inside an optimizer state (trees, arrays, records). `null`,
 * `undefined` and `[]` are no-ops (safe in `finally`/`catch` blocks on partly built states); a
 * number, string or other value that is not a state is a {@link ValueError}.
 */
export function disposeState(state: unknown): void {
  if (state != null && !Array.isArray(state)) assertStateRoot(state, 'state');
  disposeStateAt(state);
}

function disposeStateAt(state: unknown): void {
  if (state instanceof tf.Tensor) {
    if (!state.isDisposed) state.dispose();
  } else if (Array.isArray(state)) {
    for (const s of state) disposeStateAt(s);
  } else if (state != null && typeof state === 'object') {
    for (const v of Object.values(state)) disposeStateAt(v);
  }
}
