import { datasetNames } from './datasets';
import { loadDataset } from './node';
import { adversarialBlocks, codRnaLike, rbfBlobs, recsysLike, xorStream } from './streams';

describe('streams and data', () => {
  it('seeds are numbers or strings (the shared Rng): the same seed gives the same stream, another seed another', () => {
    expect(xorStream(20, 'a').X).toEqual(xorStream(20, 'a').X);
    expect(xorStream(20, 'a').X).not.toEqual(xorStream(20, 'b').X);
    expect(codRnaLike(20, 'run-1').y).toEqual(codRnaLike(20, 'run-1').y);
    expect(codRnaLike(20, 'run-1').X).not.toEqual(codRnaLike(20, 3).X);
  });

  it('adversarialBlocks repeats each sample `repeats` times and flips the odd blocks (notes §4.3)', () => {
    const base = codRnaLike(50, 1);
    const s = adversarialBlocks(base, { blocks: 20, repeats: 5, seed: 3 });
    expect(s.X.length).toBe(100);
    for (let b = 0; b < 20; b++) {
      const x0 = s.X[b * 5];
      const i = base.X.indexOf(x0);
      expect(i).toBeGreaterThanOrEqual(0);
      for (let r = 0; r < 5; r++) {
        expect(s.X[b * 5 + r]).toBe(x0);
        expect(s.y[b * 5 + r]).toBe(b % 2 === 1 ? -base.y[i] : base.y[i]);
      }
    }
    expect(() => adversarialBlocks(base, { blocks: 51 })).toThrow('blocks must be <= the number of samples (50), got 51');
  });

  it('generators are seeded: same seed, same stream', () => {
    expect(rbfBlobs({ n: 50, seed: 4 })).toEqual(rbfBlobs({ n: 50, seed: 4 }));
    expect(recsysLike({ n: 30, seed: 4 })).toEqual(recsysLike({ n: 30, seed: 4 }));
    expect(xorStream(30, 1)).not.toEqual(xorStream(30, 2));
  });

  it('rbfBlobs with drift flips every label every driftEvery rounds', () => {
    const a = rbfBlobs({ n: 200, seed: 1 });
    const b = rbfBlobs({ n: 200, seed: 1, driftEvery: 50 });
    for (let t = 0; t < 200; t++) expect(b.y[t]).toBe(Math.floor(t / 50) % 2 === 1 ? -a.y[t] : a.y[t]);
  });

  it('loads the shipped datasets from the package folder', () => {
    const sizes: Record<string, [number, number, number]> = {
      german: [1000, 61, 700],
      'breast-cancer': [569, 30, 357],
      'digits-odd-even': [1797, 64, 906],
      'mnist-3-vs-8': [1000, 196, 500],
    };
    for (const n of datasetNames) {
      const s = loadDataset(n);
      expect([s.X.length, s.dim, s.y.filter((v) => v === 1).length]).toEqual(sizes[n]);
    }
  });
});
