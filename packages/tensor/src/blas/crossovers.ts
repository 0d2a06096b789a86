/**
 * Crossover sizes of the kernel layer: below them a call runs in JavaScript, above them in wasm.
 * Measured with `packages/tensor/bench/blasCrossovers.ts` (see the README of src/blas for the
 * numbers); work is counted as m·n (level 2) or m·n·k (gemm).
 * @internal
 * @module
 */
export const CROSSOVER = {
  /** gemv / gemvT / ger / fused level-2 on resident arrays: m·n from which wasm wins. */
  gemvResident: 400,
  /** gemm on resident arrays: m·n·k from which wasm wins. */
  gemmResident: 4096,
  /** dgemm on ordinary arrays: m·n·k from which copying into an arena and running wasm wins. */
  dgemmCopy: 20 * 20 * 20,
  /** sgemm on ordinary arrays: m·n·k from which copying in wins. */
  sgemmCopy: 20 * 20 * 20,
  /** Fused Hermite-network gradient: B·m·d from which copying into an arena and running wasm wins. */
  hermiteGradient: 2048,
  /** Bulk normals (Rng.fillNormal): count from which the wasm ziggurat wins. */
  normals: 256,
  /** QL / QR rotation chains on resident rows: row width from which wasm wins. */
  rotations: 16,
};
