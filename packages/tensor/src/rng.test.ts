import { checkDamagedBlobs, fc } from '@descent/testkit';
import { Rng, ValueError } from './index';
import { normalTensor, ready, tf } from './tf';

describe('Rng', () => {
  it('gives the same bits for the same seed, and different bits for seed 0 and 1', () => {
    const a = new Rng(7).normalArray(1000);
    const b = new Rng(7).normalArray(1000);
    expect(Buffer.from(a.buffer).equals(Buffer.from(b.buffer))).toBe(true);
    const z0 = new Rng(0).uniformArray(8);
    const z1 = new Rng(1).uniformArray(8);
    expect(Array.from(z0)).not.toEqual(Array.from(z1));
    expect(Array.from(new Rng(0).uniformArray(8))).toEqual(Array.from(z0)); // seed 0 is a real seed
  });

  it('derives child streams by key, not by call order', () => {
    const parent = new Rng(42);
    const before = parent.fold('perturb', 3).normalArray(16);
    parent.normalArray(12345); // unrelated draws on the parent
    const after = parent.fold('perturb', 3).normalArray(16);
    expect(Array.from(after)).toEqual(Array.from(before));
    expect(Array.from(parent.fold('perturb', 4).normalArray(16))).not.toEqual(Array.from(before));
    expect(Array.from(parent.fold('perturb').fold(3).normalArray(16))).toEqual(Array.from(before));
    expect(Array.from(parent.fold(1).uniformArray(4))).not.toEqual(
      Array.from(parent.fold('1').uniformArray(4)),
    );
  });

  it('child streams are uncorrelated', () => {
    const n = 200000;
    const x = new Rng(3).fold('a').normalArray(n);
    const y = new Rng(3).fold('b').normalArray(n);
    let c = 0;
    for (let i = 0; i < n; i++) c += x[i] * y[i];
    expect(Math.abs(c / n)).toBeLessThan(5 / Math.sqrt(n));
  });

  it('normals have the moments of N(0,1)', () => {
    const n = 1_000_000;
    const x = new Rng(11).normalArray(n);
    let m1 = 0;
    let m2 = 0;
    let m3 = 0;
    let m4 = 0;
    let tail = 0;
    for (let i = 0; i < n; i++) {
      const v = x[i];
      m1 += v;
      m2 += v * v;
      m3 += v * v * v;
      m4 += v * v * v * v;
      if (Math.abs(v) > 3.442619855899) tail++;
    }
    expect(Math.abs(m1 / n)).toBeLessThan(0.005);
    expect(Math.abs(m2 / n - 1)).toBeLessThan(0.006);
    expect(Math.abs(m3 / n)).toBeLessThan(0.02);
    expect(Math.abs(m4 / n - 3)).toBeLessThan(0.04);
    // P(|Z| > r) = 5.76e-4 for the ziggurat's base-layer edge r: the tail algorithm is exercised
    expect(Math.abs(tail / n - 5.76e-4)).toBeLessThan(1e-4);
  });

  it('uniforms are in [0, 1) with mean 1/2 and variance 1/12; normal() and fillNormal agree', () => {
    const u = new Rng(5).uniformArray(200000);
    let s = 0;
    let s2 = 0;
    let outside = 0;
    for (const v of u) {
      if (!(v >= 0 && v < 1)) outside++;
      s += v;
      s2 += v * v;
    }
    expect(outside).toBe(0);
    expect(Math.abs(s / u.length - 0.5)).toBeLessThan(0.003);
    expect(Math.abs(s2 / u.length - s ** 2 / u.length ** 2 - 1 / 12)).toBeLessThan(0.002);
    const r = new Rng(9);
    const one = Array.from({ length: 50 }, () => r.normal());
    expect(one).toEqual(Array.from(new Rng(9).normalArray(50)));
  });

  it('int, permutation and choice are unbiased and valid', () => {
    const r = new Rng(1);
    const counts = new Array(6).fill(0);
    for (let i = 0; i < 60000; i++) counts[r.int(6)]++;
    for (const c of counts) expect(Math.abs(c - 10000)).toBeLessThan(400);
    const p = Array.from(r.permutation(100)).sort((a, b) => a - b);
    expect(p).toEqual(Array.from({ length: 100 }, (_, i) => i));
    const c = r.choice(10, 10);
    expect(new Set(c).size).toBe(10);
    const w = r.choice(3, 30000, { replace: true, p: [1, 0, 3] });
    const wc = [0, 0, 0];
    for (const i of w) wc[i]++;
    expect(wc[1]).toBe(0);
    expect(Math.abs(wc[2] / 30000 - 0.75)).toBeLessThan(0.015);
    expect(() => r.choice(3, 4)).toThrow(ValueError);
    expect(() => r.int(0)).toThrow(/n must be an integer/);
  });

  it('serialises and resumes exactly', () => {
    const r = new Rng('resume');
    r.normalArray(17);
    const saved = JSON.parse(JSON.stringify(r.toJSON()));
    const next = r.normalArray(5);
    expect(Array.from(Rng.fromJSON(saved).normalArray(5))).toEqual(Array.from(next));
  });

  it('makes tensors with the same values on wasm and cpu, without leaking', async () => {
    await ready({ backend: 'cpu' });
    const a = normalTensor(new Rng(2), [3, 4]);
    const cpuVals = Array.from(a.dataSync());
    a.dispose();
    await ready({ backend: 'wasm' });
    const before = tf.memory().numTensors;
    for (let i = 0; i < 1000; i++) normalTensor(new Rng(2), [3, 4]).dispose();
    expect(tf.memory().numTensors).toBe(before);
    const b = normalTensor(new Rng(2), [3, 4]);
    expect(Array.from(b.dataSync())).toEqual(cpuVals);
    expect(b.shape).toEqual([3, 4]);
    b.dispose();
  });
});

describe('Rng state (a component state inside blobs, read by BlobReader.rng)', () => {
  it('round trip: random seeds and draws → toJSON → JSON text → fromJSON continue bit for bit', () => {
    fc.assert(
      fc.property(fc.oneof(fc.integer(), fc.string()), fc.integer({ min: 0, max: 50 }), (seed, draws) => {
        const r = new Rng(seed);
        r.uniformArray(draws);
        const copy = Rng.fromJSON(JSON.parse(JSON.stringify(r.toJSON())));
        expect(Array.from(copy.normalArray(7))).toEqual(Array.from(r.normalArray(7)));
        expect(copy.nextUint32()).toBe(r.nextUint32());
      }),
      { numRuns: 50 },
    );
  });

  it('damaged states are typed errors naming the field, or a sound generator', () => {
    const r = new Rng('damage');
    r.uniformArray(3);
    const report = checkDamagedBlobs({
      blob: r.toJSON(),
      fromJSON: (j) => Rng.fromJSON(j as never),
      probe: (g) => g.normalArray(4),
    });
    expect(report.typedErrors).toBeGreaterThan(0);
  });
});
