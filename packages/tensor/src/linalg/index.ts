/**
 * Float64 dense linear algebra on {@link Matrix} and `Float64Array` (see ./README.md for the
 * algorithms, their sources and the choices made).
 * @module
 */
export { add, axpy, dot, norm2, scale, sub } from './vector';
export { gram, matTvec, matmul, matvec } from './products';
export { triangularSolve, type TriangularSolveOptions } from './triangularSolve';
export { cholesky, choleskySolve, logDetSpd, type CholeskyOptions } from './cholesky';
export { det, inv, lu, luSolve, slogdet, solve, type LUDecomposition } from './lu';
export { qr, type QrDecomposition, type QrOptions } from './qr';
export { eigh, type EighDecomposition, type EighOptions } from './eigh';
export { cond, pinv, rank, singularValues, svd, type SvdDecomposition, type SvdOptions } from './svd';
export { lstsq, type LstsqResult } from './lstsq';
export {
  topEigs,
  topSingular,
  type EigWhich,
  type MatVec,
  type TopEigsOptions,
  type TopEigsResult,
  type TopSingularOptions,
  type TopSingularResult,
} from './lanczos';
export {
  randomOrthonormal,
  randomizedSvd,
  type LinearOperator,
  type RandomizedSvdOptions,
} from './randomized';
export type { RhsLike, VectorLike } from './internal';
