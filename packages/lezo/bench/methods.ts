/**
 * The methods every lezo experiment compares, built the same way everywhere: FO-SGD, FO-Adam,
 * MeZO, LeZO at two sparsity levels (half and three quarters of the blocks dropped), and cyclic
 * block ZO at LeZO-¾'s sparsity.
 * @module
 */
import { type ParamTree, adam, sgd } from '@descent/nn';
import { FirstOrder } from '../src/firstOrder';
import type { StepOptimizer } from '../src/stepOptimizer';
import { LeZO, MeZO } from '../src/zoSgd';

/** Process CPU time in ms (user + system): the step-time clock on a shared, loaded machine. */
export function cpuClock(): number {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1000;
}

/** Method names in report order. */
export const METHODS = ['FO-SGD', 'FO-Adam', 'MeZO', 'LeZO-½', 'LeZO-¾', 'cyclic-ZO'] as const;
/** A method name. */
export type Method = (typeof METHODS)[number];
/** The zeroth-order methods. */
export const ZO_METHODS: readonly Method[] = ['MeZO', 'LeZO-½', 'LeZO-¾', 'cyclic-ZO'];

/** Learning rates per method. */
export type Rates = Record<Method, number>;

/** Options shared by the builders. */
export interface BuildOptions {
  /** Sampled groups (LeZO blocks; default: `block<i>` groups, see `resolveSelection`). */
  blocks?: string[];
  /** Always-active groups (default: the groups that are not blocks). */
  alwaysActive?: string[];
  /** Seed of the ZO step seeds. */
  seed: number;
  /** Record the step log. */
  log?: boolean;
}

/** A fresh optimizer of `method` on a copy of `params`. */
export function build(method: Method, params: ParamTree, rates: Rates, o: BuildOptions): StepOptimizer {
  const n = o.blocks?.length ?? Object.keys(params).filter((g) => /^block\d+$/.test(g)).length;
  const clock = cpuClock;
  const zo = { learningRate: rates[method], eps: 1e-3, seed: o.seed, clock, log: o.log };
  const sparsity = o.blocks ? { blocks: o.blocks, alwaysActive: o.alwaysActive } : {};
  switch (method) {
    case 'FO-SGD':
      return new FirstOrder(params, { optimizer: sgd({ learningRate: rates[method] }), name: method, clock });
    case 'FO-Adam':
      return new FirstOrder(params, {
        optimizer: adam({ learningRate: rates[method] }),
        name: method,
        clock,
      });
    case 'MeZO':
      return new MeZO(params, zo);
    case 'LeZO-½':
      return new LeZO(params, { ...zo, ...sparsity, drop: Math.floor(n / 2) });
    case 'LeZO-¾':
      return new LeZO(params, { ...zo, ...sparsity, drop: Math.floor((3 * n) / 4) });
    case 'cyclic-ZO':
      return new LeZO(params, { ...zo, ...sparsity, keep: n - Math.floor((3 * n) / 4), selection: 'cyclic' });
  }
}
