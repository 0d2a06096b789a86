import { NotSupportedError, ValueError } from '@descent/tensor';
import { backendInfo, ready, tf } from './index';

describe('ready()', () => {
  it('selects wasm with SIMD by default and registers gradients and chained ops', async () => {
    const info = await ready();
    expect(info.backend).toBe('wasm');
    expect(info.simd).toBe(true);
    const x = tf.tensor1d([1, 2, 3]);
    // tfjs-core alone throws "gradient function not found for Sum" here
    const g = tf.grad((v: tf.Tensor) => tf.sum(tf.square(v)))(x);
    expect(Array.from(g.dataSync())).toEqual([2, 4, 6]);
    // chained ops are registered on the shared Tensor class
    expect(typeof (x as unknown as { square?: unknown }).square).toBe('function');
    tf.dispose([x, g]);
  });

  it('switches to cpu on request and back', async () => {
    expect((await ready({ backend: 'cpu' })).backend).toBe('cpu');
    expect(backendInfo().backend).toBe('cpu');
    expect((await ready()).backend).toBe('wasm');
  });

  it('rejects an unknown backend with a typed error naming the option', async () => {
    await expect(ready({ backend: 'webgl' as 'cpu' })).rejects.toThrow(/backend must be/);
  });
});

describe('ready() reports a backend that cannot start', () => {
  afterEach(() => jest.restoreAllMocks());

  it('throws NotSupportedError by default, falls back visibly with fallback: true', async () => {
    await ready({ backend: 'cpu' });
    const original = tf.setBackend.bind(tf);
    // simulate a browser whose .wasm files are missing: tfjs's setBackend resolves false
    jest.spyOn(tf, 'setBackend').mockImplementation(async (name: string) => (name === 'wasm' ? false : original(name)));
    await expect(ready()).rejects.toThrow(NotSupportedError);
    await expect(ready()).rejects.toThrow(/wasm backend could not be initialised/);
    const info = await ready({ fallback: true });
    expect(info.backend).toBe('cpu');
    expect(info.fallback).toBe(true);
    expect(info.fallbackReason).toMatch(/wasm/);
    expect(backendInfo().fallback).toBe(true);
    jest.restoreAllMocks();
    const ok = await ready();
    expect(ok).toMatchObject({ backend: 'wasm', fallback: false });
    expect(ok.fallbackReason).toBeUndefined();
  });

  it('rejects malformed wasmPaths with a ValueError naming the option', async () => {
    await expect(ready({ wasmPaths: 42 as unknown as string })).rejects.toThrow(ValueError);
  });
});
