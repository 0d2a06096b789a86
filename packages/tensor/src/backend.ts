/**
 * tfjs backend setup. Importing this module registers tfjs-core's gradients and chained ops
 * (bundled by scripts/bundleTfjsRegistrations.mjs) and the wasm and cpu backends;
 * {@link ready} selects the backend. No other descent package touches tfjs internals.
 * @module
 */
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import '@tensorflow/tfjs-backend-wasm';
import './generated/tfjsRegistrations.cjs';
import { NotSupportedError, ValueError } from './errors';

export { tf };

/** Backends descent supports. */
export type BackendName = 'wasm' | 'cpu';

/** Options of {@link ready}. */
export interface ReadyOptions {
  /** The preferred backend (default `'wasm'`, falling back to `'cpu'` if wasm cannot start). */
  backend?: BackendName;
  /** If false, a failure of the preferred backend throws instead of falling back (default true). */
  fallback?: boolean;
}

/** What {@link ready} selected. */
export interface BackendInfo {
  backend: BackendName;
  simd: boolean;
  threads: number;
  tfjsVersion: string;
}

/**
 * Selects the tfjs backend (wasm with SIMD by default, cpu as the fallback) and waits for it.
 * Safe to call many times; switching backends is allowed.
 *
 * ```ts
 * import { ready, tf } from '@descent/tensor';
 * await ready();             // wasm (SIMD, single-threaded in Node)
 * await ready({ backend: 'cpu' });
 * ```
 */
export async function ready(options: ReadyOptions = {}): Promise<BackendInfo> {
  const wanted = options.backend ?? 'wasm';
  if (wanted !== 'wasm' && wanted !== 'cpu') {
    throw new ValueError(`backend must be 'wasm' or 'cpu', got ${JSON.stringify(wanted)}`, 'backend');
  }
  let ok = false;
  if (tf.getBackend() === wanted) {
    await tf.ready();
    ok = true;
  } else {
    try {
      ok = await tf.setBackend(wanted);
    } catch {
      ok = false;
    }
  }
  if (!ok) {
    if (options.fallback === false || wanted === 'cpu') {
      throw new NotSupportedError(`the ${wanted} backend could not be initialised`, 'backend');
    }
    await tf.setBackend('cpu');
  }
  await tf.ready();
  return backendInfo();
}

/** The active backend and its flags. */
export function backendInfo(): BackendInfo {
  const backend = tf.getBackend() as BackendName;
  const simd = backend === 'wasm' ? Boolean(tf.env().getBool('WASM_HAS_SIMD_SUPPORT')) : false;
  return { backend, simd, threads: 1, tfjsVersion: tf.version_core };
}
