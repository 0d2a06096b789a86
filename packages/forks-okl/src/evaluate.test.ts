import { KernelOgd } from './baselines/kernelOgd';
import { Forks } from './forks';
import { evaluateOnline } from './evaluate';
import { gaussianKernel } from './kernel';
import { xorStream } from './streams';

describe('evaluateOnline', () => {
  it('counts every round and agrees with learnMany on a fresh learner', () => {
    const s = xorStream(600, 1);
    const a = evaluateOnline(new KernelOgd({ kernel: gaussianKernel(0.5) }), s, { historyEvery: 100 });
    const b = new KernelOgd({ kernel: gaussianKernel(0.5) }).learnMany(s.X, s.y);
    expect(a.steps).toBe(600);
    expect(a.mistakes).toBe(b.mistakes);
    expect(a.mistakeRate).toBeCloseTo(b.mistakes / 600, 15);
    expect(a.cumulativeLoss).toBeCloseTo(b.cumulativeLoss, 10);
    expect(a.history.map((p) => p.step)).toEqual([100, 200, 300, 400, 500, 600]);
    expect(a.history[5].mistakeRate).toBeCloseTo(a.mistakeRate, 15);
    const windows = a.history.reduce((sum, p) => sum + p.windowMistakeRate * 100, 0);
    expect(windows).toBeCloseTo(a.mistakes, 9);
    expect(a.roundUs.length).toBe(600);
    expect(() => evaluateOnline(new KernelOgd({ kernel: gaussianKernel(0.5) }), s, { recordEvery: 100 } as never)).toThrow(
      'recordEvery was renamed to historyEvery',
    );
  });

  it("reports the reference code's post-warm-up convention separately (FORKS's budget-filling rounds excluded)", () => {
    const s = xorStream(800, 2);
    const ev = evaluateOnline(new Forks({ kernel: gaussianKernel(0.5), budget: 50, seed: 1 }), s);
    expect(ev.warmupRounds).toBeGreaterThan(50);
    expect(ev.mistakeRateAfterWarmup).toBeLessThan(ev.mistakeRate);
    expect(ev.sketchUpdates).toBeGreaterThan(0);
    const code = evaluateOnline(new Forks({ kernel: gaussianKernel(0.5), budget: 50, seed: 1 }), s, { countFrom: 'afterWarmup' });
    expect(code.history[code.history.length - 1].mistakeRate).toBeCloseTo(ev.mistakeRateAfterWarmup, 15);
    expect(code.mistakeRate).toBe(ev.mistakeRate);
  });

  it('rejects a stream whose X and y lengths differ', () => {
    expect(() => evaluateOnline(new KernelOgd({ kernel: gaussianKernel(1) }), { X: [[1]], y: [1, -1] })).toThrow('stream.y must have the same length as stream.X (1), got 2');
  });
});
