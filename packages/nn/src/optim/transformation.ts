/**
 * Gradient transformations over parameter trees, in optax's shape: pure `init(params) → state`
 * and `update(grads, state, params?) → { updates, state }`, composed with {@link chain}, and
 * updates *added* to the parameters by {@link applyUpdates}. The same protocol and names as the
 * float64 optimizers of `@descent/tensor`, with P = {@link ParamTree}.
 *
 * Ownership (tensors are not garbage collected): `init` and `update` never dispose or mutate
 * their arguments, and everything they return is new (updates and every tensor of the new
 * state). The caller disposes what it no longer needs: the old state ({@link disposeState}), the
 * grads and updates ({@link disposeTree}). {@link trainStep} does all of this for you.
 * @module
 */
import { type GradientTransformation, chainState, checkChainArguments } from '@descent/tensor';
import { disposeState } from '../serialize';
import { tf } from '../tf';
import { type ParamTree, assertSameStructure, cloneTree, disposeTree, mapTree } from '../tree';

/**
 * A pure gradient transformation over parameter trees: the shared protocol
 * `GradientTransformation<S, P>` of `@descent/tensor` with P = {@link ParamTree} (optax's
 * `GradientTransformation`). `init(params)` returns new tensors; `update(grads, state, params?)`
 * returns `{ updates, state }` of new tensors and never disposes or mutates its arguments.
 */
export type TreeTransformation<S = unknown> = GradientTransformation<S, ParamTree>;

/** The state type of a transformation. */
export type TreeStateOf<T> = T extends TreeTransformation<infer S> ? S : never;

/** Throws unless `grads` is a tree with the structure of `like` (a tree held by the state). */
export function checkGrads(grads: ParamTree, like: ParamTree | undefined): void {
  if (like === undefined) {
    assertSameStructure('grads', grads, grads);
    return;
  }
  assertSameStructure('grads', grads, like);
}

/**
 * Chains transformations left to right: the updates of one are the grads of the next (optax
 * `chain`); the state is the array of inner states. Intermediate updates are disposed.
 *
 * ```ts
 * const opt = chain(clipByGlobalNorm(1), scaleByAdam(), scaleByLearningRate(1e-3));
 * ```
 */
// biome-ignore lint/suspicious/noExplicitAny: a chain mixes transformations of different state types
export function chain(...transforms: TreeTransformation<any>[]): TreeTransformation<unknown[]> {
  checkChainArguments(transforms, 'TreeTransformation { init, update }');
  return {
    init(params) {
      const states: unknown[] = [];
      try {
        for (const t of transforms) states.push(t.init(params));
      } catch (e) {
        disposeState(states);
        throw e;
      }
      return states;
    },
    update(grads, state, params) {
      chainState(state, transforms.length);
      let u = grads;
      const next: unknown[] = [];
      try {
        for (let i = 0; i < transforms.length; i++) {
          const r = transforms[i].update(u, state[i], params);
          if (u !== grads) disposeTree(u);
          u = r.updates;
          next.push(r.state);
        }
      } catch (e) {
        if (u !== grads) disposeTree(u);
        disposeState(next);
        throw e;
      }
      if (u === grads) u = cloneTree(grads);
      return { updates: u, state: next };
    },
  };
}

/** `params + updates` as a new tree (optax `apply_updates`); the structures must match. */
export function applyUpdates(params: ParamTree, updates: ParamTree): ParamTree {
  assertSameStructure('updates', updates, params);
  return mapTree((p, u) => tf.add(p, u), params, updates);
}

/** The identity transformation (state `{}`; updates are copies of the grads). */
export function identity(): TreeTransformation<Record<string, never>> {
  return {
    init: () => ({}),
    update: (grads) => {
      checkGrads(grads, undefined);
      return { updates: cloneTree(grads), state: {} };
    },
  };
}
