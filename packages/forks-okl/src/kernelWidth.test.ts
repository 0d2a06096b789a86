import { Matrix, medianHeuristic } from '@descent/tensor';
import { Forks } from './forks';
import { MedianKernelWidth } from './kernelWidth';
import { kernelTeacher } from './streams';

describe("the 'auto' kernel: median-heuristic width of the first rows", () => {
  it('σ is the median pairwise distance of the first 100 rows (the shared medianHeuristic) and is then frozen', () => {
    const s = kernelTeacher({ n: 300, dim: 7, seed: 1 });
    const w = new MedianKernelWidth();
    for (const x of s.X) w.observe(x);
    expect(w.frozen).toBe(true);
    expect(w.bandwidth).toBe(medianHeuristic(Matrix.from(s.X.slice(0, 100)), { variant: 'median' }));
  });

  it('before 100 rows it is re-estimated at 2, 4, 8, … rows, and freeze() fixes it from the rows kept so far', () => {
    const s = kernelTeacher({ n: 40, dim: 3, seed: 2 });
    const w = new MedianKernelWidth();
    const changed = s.X.map((x) => w.observe(x));
    expect(changed.flatMap((c, i) => (c ? [i + 1] : []))).toEqual([2, 4, 8, 16, 32]);
    w.freeze();
    expect(w.bandwidth).toBe(medianHeuristic(Matrix.from(s.X), { variant: 'median' }));
    expect(w.observe(s.X[0])).toBe(false);
  });

  it('is the default of Forks: the width is fixed when the feature map is built, and a learner saved mid-estimation resumes bit-identically', () => {
    const s = kernelTeacher({ n: 600, dim: 5, seed: 3 });
    const a = new Forks({ budget: 30, seed: 1 });
    a.learnMany(s.X.slice(0, 20), s.y.slice(0, 20));
    expect(a.isInitialized).toBe(false);
    const b = Forks.fromJSON(JSON.parse(JSON.stringify(a.toJSON())));
    for (let t = 20; t < 600; t++) expect(b.learnOne(s.X[t], s.y[t])).toEqual(a.learnOne(s.X[t], s.y[t]));
    expect(a.isInitialized).toBe(true);
    expect(a.kernel).toEqual(b.kernel);
    // the budget (30 SVs) filled before 100 rows: σ is the median heuristic of the rows seen until then
    expect(a.kernel.type).toBe('rbf');
  });
});
