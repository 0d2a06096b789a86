import { Rng } from '@descent/tensor';
import { activeBlocks, activeGroups, resolveSelection } from './layerSelection';
import { stepSeed } from './noise';

const root = new Rng('selection-law');

const transformerGroups = ['embed', 'block0', 'block1', 'block2', 'block3', 'norm', 'head'];
const mlpGroups = ['dense0', 'dense1', 'dense2', 'dense3', 'dense4', 'dense5', 'dense6', 'dense7'];

// upper 0.999 quantiles of χ² (tables): dof 7 → 24.322, dof 14 → 36.123
const CHI2_999 = { 7: 24.322, 14: 36.123 };

describe('resolveSelection', () => {
  it('samples transformer blocks and keeps embeddings, norm and head always active', () => {
    const s = resolveSelection(transformerGroups, { drop: 2 });
    expect(s.blocks).toEqual(['block0', 'block1', 'block2', 'block3']);
    expect(s.always).toEqual(['embed', 'norm', 'head']);
    expect(s.keep).toBe(2);
    expect(s.mode).toBe('uniform');
  });

  it('samples every group when there are no block groups; MeZO keeps all', () => {
    const s = resolveSelection(mlpGroups, {});
    expect(s.blocks).toEqual(mlpGroups);
    expect(s.always).toEqual([]);
    expect(s.keep).toBe(8);
    expect(activeGroups(s, 12345, 0)).toEqual(mlpGroups);
  });

  it('reads keep, keepFraction, alwaysActive and explicit blocks (frozen groups left out)', () => {
    expect(resolveSelection(mlpGroups, { keep: 3 }).keep).toBe(3);
    expect(resolveSelection(mlpGroups, { keepFraction: 0.25 }).keep).toBe(2);
    const a = resolveSelection(mlpGroups, { alwaysActive: ['dense7', 'dense0'], drop: 3 });
    expect(a.always).toEqual(['dense0', 'dense7']);
    expect(a.blocks).toEqual(mlpGroups.slice(1, 7));
    expect(a.keep).toBe(3);
    const f = resolveSelection(transformerGroups, {
      blocks: ['block0', 'block1'],
      alwaysActive: ['head'],
      keep: 1,
    });
    const act = activeGroups(f, 9, 0);
    expect(act).toContain('head');
    expect(act).not.toContain('embed');
    expect(act.filter((g) => g.startsWith('block'))).toHaveLength(1);
  });

  it('rejects bad options with typed errors naming the option', () => {
    expect(() => resolveSelection(mlpGroups, { drop: 9 })).toThrow(
      /drop must be <= the number of blocks 8, got 9/,
    );
    expect(() => resolveSelection(mlpGroups, { drop: -1 })).toThrow(/drop/);
    expect(() => resolveSelection(mlpGroups, { keep: 1.5 })).toThrow(/keep/);
    expect(() => resolveSelection(mlpGroups, { keepFraction: 2 })).toThrow(/keepFraction/);
    expect(() => resolveSelection(mlpGroups, { drop: 1, keep: 2 })).toThrow(
      /at most one of drop, keep and keepFraction/,
    );
    expect(() => resolveSelection(mlpGroups, { selection: 'random' as never })).toThrow(/selection/);
    expect(() => resolveSelection(mlpGroups, { blocks: ['dense9'] })).toThrow(
      /blocks\[0\] must name a group/,
    );
    expect(() => resolveSelection(mlpGroups, { alwaysActive: ['dense0', 'dense0'] })).toThrow(/repeats/);
    expect(() => resolveSelection(mlpGroups, { blocks: ['dense0'], alwaysActive: ['dense0'] })).toThrow(
      /alwaysActive/,
    );
    expect(() => resolveSelection(mlpGroups, { drop: 8 })).toThrow(/trains nothing/);
    expect(() => resolveSelection([], {})).toThrow(/groups/);
  });
});

describe('the selection law', () => {
  it('uniform: each block is kept with probability k/N (χ² on the marginal counts)', () => {
    const s = resolveSelection(mlpGroups, { keep: 3 });
    const N = 8;
    const k = 3;
    const T = 10000;
    const counts = new Array(N).fill(0);
    for (let t = 0; t < T; t++) {
      const a = activeBlocks(s, stepSeed(root, t), t);
      expect(a).toHaveLength(k);
      expect(new Set(a).size).toBe(k);
      for (const i of a) counts[i]++;
    }
    const p = k / N;
    const E = T * p;
    const x2 = counts.reduce((acc, o) => acc + (o - E) ** 2 / E, 0);
    // sampling without replacement: X² · (N − 1)/(N (1 − p)) is χ² with N − 1 dof
    expect((x2 * (N - 1)) / (N * (1 - p))).toBeLessThan(CHI2_999[7]);
  });

  it('uniform: every k-subset is equally likely (χ² on the 15 subsets of 2 of 6)', () => {
    const groups = ['block0', 'block1', 'block2', 'block3', 'block4', 'block5'];
    const s = resolveSelection(groups, { keep: 2 });
    const T = 6000;
    const counts = new Map<string, number>();
    for (let t = 0; t < T; t++) {
      const key = activeBlocks(s, stepSeed(root, t), t).join(',');
      counts.set(key, (counts.get(key) ?? 0) + 1);
    }
    expect(counts.size).toBe(15);
    const E = T / 15;
    let x2 = 0;
    for (const o of counts.values()) x2 += (o - E) ** 2 / E;
    expect(x2).toBeLessThan(CHI2_999[14]);
  });

  it('cyclic: k consecutive blocks in turn, every block visited every ⌈N/k⌉ steps', () => {
    const s = resolveSelection(mlpGroups, { keep: 3, selection: 'cyclic' });
    expect(activeBlocks(s, 1, 0)).toEqual([0, 1, 2]);
    expect(activeBlocks(s, 2, 1)).toEqual([3, 4, 5]);
    expect(activeBlocks(s, 3, 2)).toEqual([0, 6, 7]);
    for (let start = 0; start < 20; start++) {
      const seen = new Set<number>();
      for (let t = start; t < start + Math.ceil(8 / 3); t++)
        for (const i of activeBlocks(s, 0, t)) seen.add(i);
      expect(seen.size).toBe(8);
    }
  });

  it('depends on the step seed only through its own stream (same seed, same blocks)', () => {
    const s = resolveSelection(mlpGroups, { keep: 4 });
    expect(activeBlocks(s, 77, 0)).toEqual(activeBlocks(s, 77, 5));
    const distinct = new Set(Array.from({ length: 50 }, (_, i) => activeBlocks(s, i, 0).join(',')));
    expect(distinct.size).toBeGreaterThan(20);
  });
});
