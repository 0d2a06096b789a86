/**
 * The BLAS kernel layer of the float64 core (see ./README.md): gemv/gemvT/ger/gemm/syrk in
 * float64 and float32 on caller-owned row-major buffers, a fused Wirtinger-flow gradient, kernel
 * arenas for zero-copy wasm, and the wasm loader's controls.
 * @module
 */
export { KernelArena } from './arena';
export { disableKernelThreads, enableKernelThreads, THREAD_MIN_DOUBLES } from './kernelThreads';
export { HermiteTeacherStudent, type HermiteTeacherStudentOptions } from './hermiteTeacherStudent';
export { PackedMatrix } from './packedMatrix';
export { PackedSgemmB, sgemmPacked } from './sgemmPacked';
export {
  gemm,
  gemv,
  gemvT,
  ger,
  type HermiteNetworkGradientArgs,
  hermiteNetworkForward,
  hermiteNetworkGradient,
  sgemm,
  sgemv,
  sgemvT,
  sger,
  syrk,
  wfGradient,
} from './kernels';
export { gemvTOrdered, onsNewtonStep } from './onsKernels';
export { enableRelaxedSimd, initKernels, type KernelInfo, type KernelMode, kernelInfo } from './wasmModule';
