/**
 * Timing helpers shared by the tensor package's bench experiments.
 * @module
 */

/**
 * Best (minimum) wall time in ms of `reps` calls after one warm-up call, and the best process
 * CPU time (user + system, ms): on a machine shared with other jobs the CPU time shows what the
 * code costs when it has a core, the wall time what a user waits.
 */
export function timeIt(reps: number, f: () => void): { wall: number; cpu: number } {
  f();
  let wall = Number.POSITIVE_INFINITY;
  let cpu = Number.POSITIVE_INFINITY;
  for (let r = 0; r < reps; r++) {
    const c0 = process.cpuUsage();
    const t0 = performance.now();
    f();
    const t1 = performance.now();
    const c = process.cpuUsage(c0);
    wall = Math.min(wall, t1 - t0);
    cpu = Math.min(cpu, Math.max((c.user + c.system) / 1000, 1e-3));
  }
  return { wall, cpu };
}

/** Best wall time in ms of `reps` calls after one warm-up call (see {@link timeIt}). */
export function bestOf(reps: number, f: () => void): number {
  return timeIt(reps, f).wall;
}
