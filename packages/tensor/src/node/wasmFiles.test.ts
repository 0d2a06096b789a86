import { existsSync, readFileSync } from 'node:fs';
import { wasmDir, wasmFiles } from './index';

describe('wasmFiles (Node helper for browser builds)', () => {
  it('lists the three tfjs wasm binaries, which are real wasm modules', () => {
    const files = wasmFiles();
    expect(Object.keys(files).sort()).toEqual([
      'tfjs-backend-wasm-simd.wasm',
      'tfjs-backend-wasm-threaded-simd.wasm',
      'tfjs-backend-wasm.wasm',
    ]);
    for (const path of Object.values(files)) {
      expect(path.startsWith(wasmDir())).toBe(true);
      expect(existsSync(path)).toBe(true);
      expect(Array.from(readFileSync(path).subarray(0, 4))).toEqual([0, 0x61, 0x73, 0x6d]); // "\0asm"
    }
  });
});
