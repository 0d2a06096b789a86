// TEMPORARY shim until @descent/tensor exports randomOrthonormal and optim (to be deleted).
import { Matrix, type Rng } from '@descent/tensor';
export { type Schedule, assertSchedule, evaluateSchedule } from '../../tensor/src/optim/schedule';
export function randomOrthonormal(n: number, k: number, rng: Rng): Matrix {
  const A = new Matrix(n, k, rng.normalArray(n * k));
  for (let c = 0; c < k; c++) {
    for (let p = 0; p < c; p++) {
      let s = 0;
      for (let i = 0; i < n; i++) s += A.data[i * k + c] * A.data[i * k + p];
      for (let i = 0; i < n; i++) A.data[i * k + c] -= s * A.data[i * k + p];
    }
    let s = 0;
    for (let i = 0; i < n; i++) s += A.data[i * k + c] ** 2;
    s = Math.sqrt(s);
    for (let i = 0; i < n; i++) A.data[i * k + c] /= s;
  }
  return A;
}
