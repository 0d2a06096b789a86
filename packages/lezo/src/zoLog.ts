/**
 * The step log of a zeroth-order run: per step, the learning rate and, per direction, the step
 * seed, the projected gradient and the active groups. With the initial weights it determines the
 * whole run (MeZO's `reconstruct_mezo_updates`: a checkpoint is seeds + scalars), see
 * {@link replay}. The log is its own JSON: a plain `{ type: 'ZoLog', version: 1, ... }` object.
 * @module
 */
import { type BlobReader, ValueError, openBlob } from '@descent/tensor';
import type { UpdateDirection } from './perturb';

/** One direction of a logged step. */
export interface ZoLogDirection extends UpdateDirection {
  /** Step seed (integer in [0, 2³²)). */
  seed: number;
  /** Projected gradient (ℓ₊ − ℓ₋)/(2ε). */
  projectedGrad: number;
  /** Active groups, in tree order. */
  groups: string[];
}

/** One logged step. */
export interface ZoLogStep {
  /** Step index (0-based). */
  step: number;
  /** Learning rate η used at this step. */
  learningRate: number;
  /** The directions (n-SPSA: several). */
  directions: ZoLogDirection[];
}

/** The step log of a run: everything {@link replay} needs besides the initial weights. */
export interface ZoLog {
  type: 'ZoLog';
  version: 1;
  /** Perturbation size ε. */
  eps: number;
  /** Weight decay λ. */
  weightDecay: number;
  /** Every tensor of the tree as [group, name], in tree order (the noise index is the position). */
  tensors: Array<[string, string]>;
  /** Whether weight decay applies to each tensor (aligned with `tensors`). */
  decayed: boolean[];
  /** The steps, in order. */
  steps: ZoLogStep[];
}

function readDirection(r: BlobReader, groups: ReadonlySet<string>): ZoLogDirection {
  const seed = r.integer('seed', { min: 0, max: 0xffffffff });
  const projectedGrad = r.number('projectedGrad');
  const names = r.array('groups', (e) => e.asString());
  names.forEach((g, i) => {
    if (!groups.has(g)) throw r.at('groups').at(i).valueError('a group of the logged tensors');
  });
  return { seed, projectedGrad, groups: names };
}

/**
 * Validates a {@link ZoLog} (the object or its JSON text): typed errors naming the field
 * (`ZoLog.fromJSON: steps[3].directions[0].seed must be ...`).
 */
export function readZoLog(json: unknown): ZoLog {
  const r = openBlob(json, { type: 'ZoLog', version: 1 });
  const eps = r.number('eps', { gt: 0 });
  const weightDecay = r.number('weightDecay', { min: 0 });
  const tensors = r.array(
    'tensors',
    (e) => e.asArray((x) => x.asString(), { length: 2 }) as [string, string],
    { minLength: 1 },
  );
  const decayed = r.array('decayed', (e) => e.asBoolean(), { length: tensors.length });
  const groups = new Set(tensors.map((t) => t[0]));
  let last = -1;
  const steps = r.array('steps', (e) => {
    const step = e.integer('step', { min: last + 1 });
    last = step;
    const learningRate = e.number('learningRate');
    const directions = e.array('directions', (d) => readDirection(d, groups), { minLength: 1 });
    return { step, learningRate, directions };
  });
  return { type: 'ZoLog', version: 1, eps, weightDecay, tensors, decayed, steps };
}

/** Throws {@link ValueError} unless the tree's tensors are exactly the log's, in order. */
export function checkLogTensors(log: ZoLog, paths: Array<[string, string]>, name: string): void {
  if (paths.length !== log.tensors.length) {
    throw new ValueError(
      `${name} must have the ${log.tensors.length} tensors of the log, got ${paths.length}`,
      name,
    );
  }
  paths.forEach(([g, k], i) => {
    const [lg, lk] = log.tensors[i];
    if (g !== lg || k !== lk) {
      throw new ValueError(
        `${name} tensor ${i} must be ${lg}.${lk} (the log's tree order), got ${g}.${k}`,
        name,
      );
    }
  });
}
