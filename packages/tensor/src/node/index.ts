/**
 * @descent/tensor/node: Node-only helpers for shipping the tf layer to a browser. `wasmFiles()`
 * finds the `.wasm` binaries of `@tensorflow/tfjs-backend-wasm` from `@descent/tensor`'s own
 * location (so it works under pnpm, where the app itself may not resolve the wasm package), for a
 * build script to copy them next to the page and pass their URL to `ready({ wasmPaths })`.
 * @packageDocumentation
 */
import { readdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { NotSupportedError } from '@descent/tensor';

function requireHere(): NodeJS.Require {
  return typeof require === 'function' ? require : createRequire(import.meta.url);
}

/** The folder holding the `.wasm` files of the installed `@tensorflow/tfjs-backend-wasm`. */
export function wasmDir(): string {
  let pkg: string;
  try {
    pkg = requireHere().resolve('@tensorflow/tfjs-backend-wasm/package.json');
  } catch {
    throw new NotSupportedError(
      '@tensorflow/tfjs-backend-wasm is not installed: add it (and @tensorflow/tfjs-core, -backend-cpu) to use @descent/tensor/tf',
      'wasmDir',
    );
  }
  return join(dirname(pkg), 'dist');
}

/**
 * The absolute paths of the three tfjs wasm binaries, by file name
 * (`tfjs-backend-wasm.wasm`, `tfjs-backend-wasm-simd.wasm`, `tfjs-backend-wasm-threaded-simd.wasm`).
 *
 * ```ts
 * import { copyFileSync } from 'node:fs';
 * import { wasmFiles } from '@descent/tensor/node';
 * for (const [name, path] of Object.entries(wasmFiles())) copyFileSync(path, `public/wasm/${name}`);
 * // then, in the page: await ready({ wasmPaths: '/wasm/' })
 * ```
 */
export function wasmFiles(): Record<string, string> {
  const dir = wasmDir();
  return Object.fromEntries(
    readdirSync(dir)
      .filter((f) => f.endsWith('.wasm'))
      .map((f) => [f, join(dir, f)]),
  );
}
