import { Rng } from '@descent/tensor';
import { expectSameBits } from '@descent/testkit';
import { fillNoise, noiseArray, scaleNoise, stepSeed } from './noise';

describe('the noise law z = z(step seed, tensor index)', () => {
  it('is regenerated bit for bit on every call', () => {
    const a = noiseArray(123456789, 3, 1000);
    const b = noiseArray(123456789, 3, 1000);
    expectSameBits(Array.from(a), Array.from(b));
    // a short tensor (the Rng's JavaScript path) is a prefix of a long one (its bulk wasm path)
    const c = fillNoise(new Float32Array(100), 123456789, 3);
    expectSameBits(Array.from(c), Array.from(a.subarray(0, 100)));
  });

  it('is the float32 rounding of the float64 normals of the same stream', () => {
    const z64 = fillNoise(new Float64Array(777), 42, 5);
    const z32 = fillNoise(new Float32Array(777), 42, 5);
    for (let i = 0; i < 777; i++) expect(z32[i]).toBe(Math.fround(z64[i]));
  });

  it('differs between tensors and between seeds, and is standard normal', () => {
    const a = noiseArray(7, 0, 20000);
    const b = noiseArray(7, 1, 20000);
    const c = noiseArray(8, 0, 20000);
    let ab = 0;
    let ac = 0;
    let m = 0;
    let v = 0;
    for (let i = 0; i < a.length; i++) {
      ab += a[i] * b[i];
      ac += a[i] * c[i];
      m += a[i];
      v += a[i] * a[i];
    }
    const n = a.length;
    // correlations and mean within 5 standard errors (1/sqrt(n) = 0.0071), variance within 5 se (sqrt(2/n))
    expect(Math.abs(ab / n)).toBeLessThan(5 / Math.sqrt(n));
    expect(Math.abs(ac / n)).toBeLessThan(5 / Math.sqrt(n));
    expect(Math.abs(m / n)).toBeLessThan(5 / Math.sqrt(n));
    expect(Math.abs(v / n - 1)).toBeLessThan(5 * Math.sqrt(2 / n));
  });

  it('step seeds are a pure function of (run seed, step, direction)', () => {
    const r1 = new Rng('run');
    const r2 = new Rng('run');
    r2.normalArray(100); // draws on the root do not change the step seeds
    expect(stepSeed(r1, 17, 2)).toBe(stepSeed(r2, 17, 2));
    expect(stepSeed(r1, 17, 0)).not.toBe(stepSeed(r1, 18, 0));
    expect(stepSeed(r1, 17, 0)).not.toBe(stepSeed(r1, 17, 1));
    const s = stepSeed(r1, 0);
    expect(Number.isInteger(s) && s >= 0 && s < 2 ** 32).toBe(true);
  });

  it('scales in float64 and rounds once', () => {
    const z = Float32Array.of(1.1, -2.3, 0.7);
    const out = scaleNoise(z, 1e-3, new Float32Array(3));
    for (let i = 0; i < 3; i++) expect(out[i]).toBe(Math.fround(1e-3 * z[i]));
  });

  it('rejects bad arguments with typed errors naming them', () => {
    expect(() => noiseArray(-1, 0, 3)).toThrow(/seed must be an integer in \[0, 2\^32\)/);
    expect(() => noiseArray(2 ** 32, 0, 3)).toThrow(/seed/);
    expect(() => noiseArray(1, -1, 3)).toThrow(/index/);
    expect(() => noiseArray(1, 0, 1.5)).toThrow(/n must be/);
    expect(() => stepSeed(new Rng(0), -1)).toThrow(/step/);
  });
});
