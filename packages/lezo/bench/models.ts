/**
 * The models of the lezo bench.
 * @module
 */
import { type Model, mlp } from '@descent/nn';

/** Inputs of the block MLP (14×14 digits). */
export const MLP_INPUTS = 196;

/**
 * An MLP `inputs` (default 196) → w (input projection, `dense0`) → 8 hidden blocks w → w (`dense1` … `dense8`,
 * the groups LeZO samples) → `outputs` (default 10; head, `dense9`); input projection and head always active, as
 * embeddings and head in the paper's reconstruction.
 */
export function blockMlp(
  width: number,
  inputs = MLP_INPUTS,
  outputs = 10,
): { model: Model; blocks: string[]; alwaysActive: string[] } {
  const sizes = [inputs, ...new Array(9).fill(width), outputs];
  return {
    model: mlp({ sizes }),
    blocks: Array.from({ length: 8 }, (_, i) => `dense${i + 1}`),
    alwaysActive: ['dense0', 'dense9'],
  };
}
