/**
 * Rebuilding the weights of a zeroth-order run from its initial weights and step log (MeZO's
 * `reconstruct_mezo_updates`): per step and direction, the same float32 operations as the run —
 * the +ε, −2ε, +ε perturbation cycle (whose rounding the run left in the weights) and the
 * update — regenerating the noise from the logged seeds. No forward pass is needed, and the
 * result is bit for bit the run's weights.
 * @module
 */
import { type ParamTree, assertParamTree, cloneTree, disposeTree, treeLeaves } from '@descent/nn';
import { type ZoLeaf, leavesOf, perturbLeaves, updateLeaves } from './perturb';
import { type ZoLog, checkLogTensors, readZoLog } from './zoLog';

/**
 * The weights after the logged steps, starting from `initialParams` (not modified; the result is
 * a new tree owned by the caller). `log` is a {@link ZoLog} (e.g. `opt.log` or its JSON text),
 * validated first; `initialParams` must have the log's tensors in the log's order.
 *
 * ```ts
 * const opt = new MeZO(params0, { learningRate: 1e-3, log: true });
 * for (...) opt.stepOn(f);
 * const rebuilt = replay(params0, opt.log!); // bit for bit opt.params
 * ```
 */
export function replay(initialParams: ParamTree, log: ZoLog | string): ParamTree {
  assertParamTree('initialParams', initialParams);
  const l = readZoLog(log);
  const found = treeLeaves(initialParams);
  checkLogTensors(
    l,
    found.map(({ path }) => [path.group, path.name]),
    'initialParams',
  );
  const leaves: ZoLeaf[] = found.map(({ path, tensor }, index) => ({
    group: path.group,
    name: path.name,
    index,
    size: tensor.size,
    decay: l.decayed[index],
  }));
  const scratch = new Float32Array(Math.max(1, ...leaves.map((x) => x.size)));
  const tree = cloneTree(initialParams);
  try {
    for (const entry of l.steps) {
      for (const d of entry.directions) {
        const active = leavesOf(leaves, d.groups);
        perturbLeaves(tree, active, d.seed, l.eps, scratch);
        perturbLeaves(tree, active, d.seed, -2 * l.eps, scratch);
        perturbLeaves(tree, active, d.seed, l.eps, scratch);
      }
      updateLeaves(tree, leaves, entry.directions, entry.learningRate, l.weightDecay, scratch);
    }
    return tree;
  } catch (e) {
    disposeTree(tree);
    throw e;
  }
}
