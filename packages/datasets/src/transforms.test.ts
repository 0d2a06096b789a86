import { ShapeError, ValueError } from '@descent/tensor';
import {
  type ClassificationData,
  type TextData,
  downsample2x2,
  featureScaler,
  filterExamples,
  selectClasses,
  shiftedCopies,
  splitData,
  takeExamples,
  withLabelNoise,
} from './index';

/** n examples, 3 classes, 2×2 single-channel "images" whose pixels encode the row. */
function toy(n = 30, classes = 3): ClassificationData {
  const x = new Float32Array(n * 4);
  for (let i = 0; i < n; i++) for (let j = 0; j < 4; j++) x[i * 4 + j] = i + j / 10;
  return {
    name: 'toy',
    n,
    x,
    features: 4,
    imageShape: [2, 2, 1],
    y: Int32Array.from({ length: n }, (_, i) => i % classes),
    classes,
    classNames: Array.from({ length: classes }, (_, k) => `c${k}`),
    sourceIndex: Int32Array.from({ length: n }, (_, i) => i),
  };
}

function texts(): TextData {
  return {
    name: 'texts',
    n: 4,
    texts: ['a', 'b', 'c', 'd'],
    groups: ['g1', 'g1', 'g2', 'g2'],
    y: Int32Array.from([0, 1, 0, 1]),
    classes: 2,
    classNames: ['no', 'yes'],
    sourceIndex: Int32Array.from([0, 1, 2, 3]),
  };
}

describe('splitData', () => {
  it('cuts disjoint parts of the requested sizes from one seeded permutation (counts or fractions)', () => {
    const d = toy(100);
    const { train, validation, test } = splitData(d, { train: 50, validation: 0.2, test: 30 }, 7);
    expect([train.n, validation.n, test.n]).toEqual([50, 20, 30]);
    const all = [...train.sourceIndex, ...validation.sourceIndex, ...test.sourceIndex].sort((a, b) => a - b);
    expect(all).toEqual(Array.from({ length: 100 }, (_, i) => i));
    // rows travel with their features and labels
    for (let i = 0; i < test.n; i++) {
      expect(test.x[i * 4]).toBe(test.sourceIndex[i]);
      expect(test.y[i]).toBe(test.sourceIndex[i] % 3);
    }
    // same seed same split; another seed another
    expect(splitData(d, { train: 50, validation: 0.2, test: 30 }, 7).test.sourceIndex).toEqual(test.sourceIndex);
    expect(splitData(d, { train: 50, validation: 0.2, test: 30 }, 8).test.sourceIndex).not.toEqual(test.sourceIndex);
    // leftovers are dropped; the input is untouched
    expect(splitData(d, { a: 10 }, 'x').a.n).toBe(10);
    expect(d.sourceIndex[99]).toBe(99);
  });
  it('works on text sets', () => {
    const { a, b } = splitData(texts(), { a: 2, b: 2 }, 0);
    expect([...a.texts, ...b.texts].sort()).toEqual(['a', 'b', 'c', 'd']);
    expect(a.groups.length).toBe(2);
  });
  it('bad sizes and seeds are typed errors naming them', () => {
    expect(() => splitData(toy(10), { a: 8, b: 3 }, 0)).toThrow(/sizes must add up to at most n = 10/);
    expect(() => splitData(toy(10), { a: 1.5 }, 0)).toThrow(/sizes.a must be a count/);
    expect(() => splitData(toy(10), { a: -1 }, 0)).toThrow(ValueError);
    expect(() => splitData(toy(10), {}, 0)).toThrow(ValueError);
    expect(() => splitData(toy(10), { a: 1 }, Number.NaN)).toThrow(/seed/);
    expect(() => splitData({ n: 3 } as unknown as ClassificationData, { a: 1 }, 0)).toThrow(/data must be/);
  });
});

describe('withLabelNoise', () => {
  it('corrupts exactly round(fraction·n) labels, each to another class, and records the clean ones', () => {
    const d = toy(1000, 10);
    const noisy = withLabelNoise(d, 0.5, 3);
    let changed = 0;
    const hits = new Array(10).fill(0);
    for (let i = 0; i < d.n; i++) {
      expect(noisy.cleanY?.[i]).toBe(d.y[i]);
      if (noisy.corrupted?.[i]) {
        changed++;
        expect(noisy.y[i]).not.toBe(d.y[i]);
        hits[(noisy.y[i] - d.y[i] + 10) % 10]++;
      } else expect(noisy.y[i]).toBe(d.y[i]);
    }
    expect(changed).toBe(500);
    // the new class is uniform over the 9 others: each offset 1..9 about 500/9 ≈ 56 times
    expect(hits[0]).toBe(0);
    for (let k = 1; k < 10; k++) expect(Math.abs(hits[k] - 500 / 9)).toBeLessThan(4 * Math.sqrt(500 / 9));
    expect(withLabelNoise(d, 0.5, 3).y).toEqual(noisy.y);
    expect(withLabelNoise(d, 0.5, 4).y).not.toEqual(noisy.y);
    expect(withLabelNoise(d, 0, 3).y).toEqual(d.y);
    expect(d.cleanY).toBeUndefined();
  });
  it('bad input', () => {
    expect(() => withLabelNoise(toy(), 1.5, 0)).toThrow(/fraction must be in \[0, 1\]/);
    expect(() => withLabelNoise(toy(4, 1), 0.5, 0)).toThrow(/at least 2 classes/);
  });
});

describe('selectClasses, takeExamples, downsample2x2, featureScaler', () => {
  it('selectClasses keeps the chosen classes and relabels them 0..k-1', () => {
    const d = toy(30, 3);
    const s = selectClasses(d, [2, 0]);
    expect(s.n).toBe(20);
    expect(s.classes).toBe(2);
    expect(s.classNames).toEqual(['c2', 'c0']);
    for (let i = 0; i < s.n; i++) expect(s.y[i]).toBe(d.y[s.sourceIndex[i]] === 2 ? 0 : 1);
    const kept = selectClasses(d, [1], { relabel: false });
    expect(kept.classes).toBe(3);
    expect(kept.y.every((v) => v === 1)).toBe(true);
    expect(() => selectClasses(d, [3])).toThrow(/classIds must be distinct integers in \[0, 2\]/);
    expect(() => selectClasses(d, [0, 0])).toThrow(ValueError);
  });
  it('takeExamples and filterExamples', () => {
    const t = texts();
    const g2 = filterExamples(t, (i, d) => d.groups[i] === 'g2');
    expect(() => filterExamples(t, (() => 1) as never)).toThrow(/predicate must return true or false, got 1 for example 0/);
    expect(() => filterExamples(t, null as never)).toThrow(/predicate must be a function/);
    expect(g2.texts).toEqual(['c', 'd']);
    expect(Array.from(g2.sourceIndex)).toEqual([2, 3]);
    expect(() => takeExamples(t, [4])).toThrow(/indices must be integers in \[0, 3\], got 4 at index 0/);
  });
  it('shiftedCopies translates images with zero fill and keeps labels and sources', () => {
    const img = Float32Array.from([1, 2, 3, 4, 5, 6, 7, 8, 9]);
    const d: ClassificationData = {
      name: 'sq',
      n: 1,
      x: img,
      features: 9,
      y: Int32Array.of(2),
      classes: 3,
      classNames: ['a', 'b', 'c'],
      sourceIndex: Int32Array.of(7),
      imageShape: [3, 3, 1],
    };
    const s = shiftedCopies(d, [
      [0, 1],
      [-1, 0],
      [1, -1],
    ]);
    expect(s.n).toBe(4);
    expect(Array.from(s.x.subarray(0, 9))).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9]);
    expect(Array.from(s.x.subarray(9, 18))).toEqual([0, 1, 2, 0, 4, 5, 0, 7, 8]); // right by 1
    expect(Array.from(s.x.subarray(18, 27))).toEqual([4, 5, 6, 7, 8, 9, 0, 0, 0]); // up by 1
    expect(Array.from(s.x.subarray(27, 36))).toEqual([0, 0, 0, 2, 3, 0, 5, 6, 0]); // down 1, left 1
    expect(Array.from(s.y)).toEqual([2, 2, 2, 2]);
    expect(Array.from(s.sourceIndex)).toEqual([7, 7, 7, 7]);
    expect(Array.from(d.x)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9]); // input untouched
    expect(() => shiftedCopies(d, [[3, 0]])).toThrow(/shifts\[0\] must move less than the image size 3×3/);
    expect(() => shiftedCopies(d, [[0.5, 0]] as never)).toThrow(ValueError);
  });
  it('downsample2x2 averages 2×2 blocks', () => {
    const d = toy(3);
    const s = downsample2x2(d);
    expect(s.imageShape).toEqual([1, 1, 1]);
    expect(s.features).toBe(1);
    expect(Array.from(s.x)).toEqual([0, 1, 2].map((i) => Math.fround((4 * i + 0.6) / 4)));
    const plain = { ...toy(3) };
    delete plain.imageShape;
    expect(() => downsample2x2(plain)).toThrow(ShapeError);
  });
  it('featureScaler fits on one set and applies to others', () => {
    const d = toy(50);
    const sc = featureScaler(d);
    const z = sc.apply(d);
    for (let j = 0; j < 4; j++) {
      let m = 0;
      let v = 0;
      for (let i = 0; i < z.n; i++) m += z.x[i * 4 + j] / z.n;
      for (let i = 0; i < z.n; i++) v += (z.x[i * 4 + j] - m) ** 2 / z.n;
      expect(Math.abs(m)).toBeLessThan(1e-6);
      expect(Math.abs(v - 1)).toBeLessThan(1e-5);
    }
    expect(() => sc.apply({ ...d, features: 2, x: new Float32Array(100) })).toThrow(ShapeError);
  });
});
