/**
 * Bad input to the building blocks and stream helpers is a typed DescentError naming the argument
 * (the bad-input fuzz suite's findings, pinned here): options objects that are null or numbers,
 * vectors with NaN/null, stream objects without rows, state objects that are not what they claim.
 */
import { DescentError, Rng } from '@descent/tensor';
import { countSketch, countSketchDense } from './countSketch';
import { referenceForksOptions } from './forks';
import { MedianKernelWidth } from './kernelWidth';
import { formatLibsvm, parseLibsvm } from './libsvm';
import { nystromFeatureMap, nystromTransform } from './nystromFeatureMap';
import { onsProjectedStep } from './onsStep';
import { randomFourierFeatures, rffTransform } from './randomFourierFeatures';
import { ShermanMorrisonInverse } from './shermanMorrison';
import { paperUpdateCycle } from './sketchedKernelLearner';
import { adversarialBlocks, kernelTeacher, permuteStream, rbfBlobs, readStream, standardize, xorStream } from './streams';
import { SymmetricIncrementalEig } from './symmetricIncrementalEig';
import { TruncatedIncrementalSvd } from './truncatedIncrementalSvd';

/** `f()` throws a DescentError whose `argument` is `argument`. */
function named(f: () => unknown, argument: string): void {
  let err: unknown;
  try {
    f();
  } catch (e) {
    err = e;
  }
  expect(err).toBeInstanceOf(DescentError);
  expect((err as DescentError).argument).toBe(argument);
}

describe('typed errors for bad input to the building blocks', () => {
  it('streams: readStream checks rows and labels; the stream helpers use it', () => {
    const s = xorStream(10, 1);
    expect(readStream(s).X[3]).toBe(s.X[3]); // Float64Array rows are not copied
    named(() => readStream(null), 's');
    named(() => readStream({ X: [[1, 2]], y: [1, 1] }), 's.y');
    named(() => readStream({ X: [[1, Number.NaN]], y: [1] }), 's.X[0]');
    named(() => readStream({ X: [[1, 2]], y: [0] }), 's.y');
    named(() => permuteStream(null as never, 1), 's');
    named(() => standardize(Number.NaN as never), 's');
    named(() => adversarialBlocks(null as never), 'data');
    named(() => adversarialBlocks(s, null as never), 'options');
    named(() => adversarialBlocks(s, { blocks: 2, flipOdd: 'yes' as never }), 'flipOdd');
    named(() => rbfBlobs(null as never), 'options');
    named(() => kernelTeacher(42 as never), 'options');
    // a standardised stream is the same stream with centred, unit-variance columns
    const z = standardize(s);
    const mean = z.X.reduce((a, x) => a + x[0], 0) / z.X.length;
    expect(Math.abs(mean)).toBeLessThan(1e-12);
  });

  it('LIBSVM text and streams', () => {
    named(() => parseLibsvm(null as never), 'text');
    named(() => parseLibsvm('1 1:2', null as never), 'options');
    named(() => formatLibsvm(null as never), 's');
    named(() => formatLibsvm({ X: [[1, Number.NaN]], y: [1] }), 's.X[0]');
    expect(parseLibsvm(formatLibsvm({ X: [[1, 0, 2]], y: [-1] }), { dim: 3 }).X[0]).toEqual(Float64Array.of(1, 0, 2));
  });

  it('sizes and cycles', () => {
    named(() => paperUpdateCycle(Number.NaN, 100), 'streamLength');
    named(() => paperUpdateCycle(1000, null as never), 'budget');
    expect(paperUpdateCycle(5100, 100)).toBe(25);
    named(() => referenceForksOptions(Number.POSITIVE_INFINITY), 'streamLength');
    named(() => referenceForksOptions(1000, 1e9), 'budget');
  });

  it('decompositions: rank caps are integers, matrices and updates are finite vectors of the right length', () => {
    named(() => new TruncatedIncrementalSvd(3, 3, Number.POSITIVE_INFINITY), 'maxRank');
    named(() => new SymmetricIncrementalEig(3, Number.POSITIVE_INFINITY), 'maxRank');
    const t = new TruncatedIncrementalSvd(3, 2, 2);
    named(() => t.reset(null as never), 'M');
    named(() => t.update(null as never, new Float64Array(2), 1), 'X');
    named(() => t.update(new Float64Array(3), new Float64Array(2), Number.NaN), 'r');
    const e = new SymmetricIncrementalEig(3, 2);
    named(() => e.reset([1, 2, 3] as never), 'M');
    named(() => e.update(new Float64Array(3), Float64Array.of(Number.NaN), 1), 'C');
  });

  it('feature maps, sketches, Sherman–Morrison and the ONS step check their state arguments', () => {
    const rng = new Rng(2);
    const f = randomFourierFeatures(2, 3, 1, rng);
    named(() => rffTransform(null as never, [1, 2]), 'f');
    named(() => rffTransform({ ...f, u: new Float64Array(1) }, [1, 2]), 'f.u');
    named(() => rffTransform(f, [1, 2], [0, 0] as never), 'out');
    const ny = nystromFeatureMap({ type: 'rbf', bandwidth: 1 }, Float64Array.of(0, 0, 1, 1), 2, 2);
    named(() => nystromTransform(null as never, [1, 2]), 'f');
    named(() => nystromTransform({ ...ny, k: 5 }, [1, 2]), 'f.k');
    named(() => countSketchDense(null as never), 'S');
    const S = countSketch(4, 2, rng);
    named(() => countSketchDense({ ...S, sign: Float64Array.of(1, 2, 1, 1) }), 'S.sign');
    const A = new ShermanMorrisonInverse(2, 1);
    named(() => A.apply([1, 2], null as never), 'out');
    named(() => A.updateWith(Float64Array.of(1, Number.NaN), 0), 'a');
    named(() => A.updateWith(Float64Array.of(1, 1), -1), 'q');
    const w = new Float64Array(2);
    const opts = { bound: 1, guard: 1e-4, sigma: 1 };
    named(() => onsProjectedStep(null as never, A, [1, 1], 0.1, opts, new Float64Array(2)), 'w');
    named(() => onsProjectedStep(w, new ShermanMorrisonInverse(3, 1), [1, 1], 0.1, opts, new Float64Array(2)), 'Ainv');
    named(() => onsProjectedStep(w, A, [1, Number.NaN], 0.1, opts, new Float64Array(2)), 'phi');
    named(() => onsProjectedStep(w, A, [1, 1], 0.1, null as never, new Float64Array(2)), 'opts');
    named(() => onsProjectedStep(w, A, [1, 1], 0.1, { ...opts, sigma: 0 }, new Float64Array(2)), 'opts.sigma');
    const width = new MedianKernelWidth(10);
    width.observe(Float64Array.of(1, 2));
    named(() => width.observe([1, Number.NaN] as never), 'x');
    named(() => width.observe([1, 2, 3] as never), 'x');
  });
});
