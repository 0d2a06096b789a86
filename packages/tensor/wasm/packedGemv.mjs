// Generator of the packed matrix–vector kernels of wasm/kernels.ts (A z, Aᵀ r and the fused
// Wirtinger-flow gradient on PackedMatrix's layout): emits their AssemblyScript, which
// scripts/buildWasm.mjs writes to wasm/packedGemv.generated.ts (git-ignored; open it after a build
// to read the kernels as compiled) and compiles with kernels.ts, which re-exports them.
//
// Why generated: the inner loops are written out UNROLL steps per loop trip, each step (or half
// step) its own basic block, split by `if (m4 < −q) break` (never true: m4 ≥ 0, but V8 cannot
// know; one fused compare-and-branch each). TurboFan hoists every load of a basic block to its top,
// so a plainly unrolled body keeps all its loaded vectors live at once and spills V8's 15 usable
// xmm registers (dpgemv with eight accumulators in one block: 61 → 107 µs); one block per step
// keeps a step's loads plus the accumulators in registers, while the pointer increments and V8's
// loop stack check are paid once per UNROLL steps. The same pattern as sgemm's micro-kernel in
// kernels.ts, here emitted by a loop instead of written out: dpwfgrad alone would be ~300 lines.
//
// Layout (src/blas/packedMatrix.ts packRows): rows in blocks of 4 (m4 = 4⌈m/4⌉, zero rows), n4 =
// 4⌈n/4⌉ columns (zero columns); inside a block the four rows' entries (j, j+1) are adjacent, 64
// bytes per column pair. One STEP = 128 bytes = the block's 4 rows × columns j..j+3: bytes
// [16r, 16r + 16) hold a_r,(j, j+1) and [64 + 16r, 80 + 16r) hold a_r,(j+2, j+3), r = 0..3.
//
// Two forms of each pass, chosen at compile time by ASC_FEATURE_RELAXED_SIMD:
// - plain SIMD (mul + add): the operations, and their order, of the one-step loops these replace,
//   so plain results keep their bits; per step 10 loads and 16 arithmetic ops, bound by V8's
//   instruction dispatch (~4.5 cycles a step), not by the two multiply pipes (4 cycles);
// - relaxed SIMD (FMA): pass 1 with eight accumulators (s_r over columns j, j+1; t_r over
//   j+2, j+3: one FMA each per step, so no FMA waits on another of the same step; half steps in
//   their own blocks so 5 loads + 8 accumulators fit), pass 2 with one chain of four FMAs per g
//   pair. Eight FMAs a step: bound by the two FMA pipes (4 cycles a step).
// Measured on the 2-core EPYC (2.6 GHz; n = 256, m = 8n, quiet; µs per call, plain / relaxed):
// dpgemv 61.5 / 56.6 → 60.5 / 50.1; dpgemvT 66.5 / 58.4 → 66.3 / 55.6; dpwfgrad (two passes over
// chunks of 256 KB, old) 128.1 / 114.2 → fused per 4-row block 122.8 / 103.5. The multiply-pipe
// bound of 2·m·n multiply-adds at 2.6 GHz is 101 µs.

/** Steps per loop trip (4 and 8 measured equal; 16: +3%; 32: +8%, code size). */
export const UNROLL = 8;

/** AssemblyScript source of dpgemv, dpgemvT and dpwfgrad. */
export function packedGemvSource() {
  let q = 0;
  /** A never-taken exit that ends the basic block. */
  const split = (ind) => `${ind}if (m4 < ${-++q}) break;`;

  // ---- pass 1: s_r (+ t_r) += a_r · z over one step k (offsets relative to p and zp)
  const pass1 = {
    plain(k, ind) {
      const P = k * 128;
      const Z = k * 32;
      const o = [`${ind}zv = v128.load(zp, ${Z});`, `${ind}zw = v128.load(zp, ${Z + 16});`];
      for (let r = 0; r < 4; r++)
        o.push(
          `${ind}s${r} = f64x2.add(s${r}, f64x2.add(f64x2.mul(v128.load(p, ${P + 64 + 16 * r}), zw), f64x2.mul(v128.load(p, ${P + 16 * r}), zv)));`,
        );
      return o;
    },
    relaxed(k, ind) {
      const P = k * 128;
      const Z = k * 32;
      const o = [`${ind}zv = v128.load(zp, ${Z});`];
      for (let r = 0; r < 4; r++)
        o.push(`${ind}s${r} = f64x2.relaxed_madd(v128.load(p, ${P + 16 * r}), zv, s${r});`);
      o.push(split(ind), `${ind}zv = v128.load(zp, ${Z + 16});`);
      for (let r = 0; r < 4; r++)
        o.push(`${ind}t${r} = f64x2.relaxed_madd(v128.load(p, ${P + 64 + 16 * r}), zv, t${r});`);
      return o;
    },
  };
  // ---- pass 2: g += Σ_r v_r a_r over one step k (offsets relative to p and gp)
  const pass2 = {
    plain(k, ind) {
      const P = k * 128;
      const G = k * 32;
      const o = [];
      for (const h of [0, 1]) {
        const a = P + 64 * h;
        o.push(
          `${ind}u = f64x2.add(f64x2.mul(v1, v128.load(p, ${a + 16})), f64x2.mul(v0, v128.load(p, ${a})));`,
          `${ind}w = f64x2.add(f64x2.mul(v3, v128.load(p, ${a + 48})), f64x2.mul(v2, v128.load(p, ${a + 32})));`,
          `${ind}v128.store(gp, f64x2.add(v128.load(gp, ${G + 16 * h}), f64x2.add(u, w)), ${G + 16 * h});`,
        );
      }
      return o;
    },
    relaxed(k, ind) {
      const P = k * 128;
      const G = k * 32;
      const o = [];
      for (const h of [0, 1]) {
        const a = P + 64 * h;
        o.push(
          `${ind}u = f64x2.relaxed_madd(v0, v128.load(p, ${a}), v128.load(gp, ${G + 16 * h}));`,
          `${ind}u = f64x2.relaxed_madd(v1, v128.load(p, ${a + 16}), u);`,
          `${ind}u = f64x2.relaxed_madd(v2, v128.load(p, ${a + 32}), u);`,
          `${ind}v128.store(gp, f64x2.relaxed_madd(v3, v128.load(p, ${a + 48}), u), ${G + 16 * h});`,
        );
      }
      return o;
    },
  };

  /** The loops over one block's steps: (steps mod UNROLL) single steps, then UNROLL per trip. */
  const blockLoops = (step, ptr2, ind) => {
    const o = [
      `${ind}while (p < head) {`,
      ...step(0, `${ind}  `),
      `${ind}  p += 128;`,
      `${ind}  ${ptr2} += 32;`,
      `${ind}}`,
    ];
    o.push(`${ind}while (p < end) {`);
    for (let k = 0; k < UNROLL; k++) {
      o.push(...step(k, `${ind}  `));
      if (k < UNROLL - 1) o.push(split(`${ind}  `));
    }
    o.push(`${ind}  p += ${128 * UNROLL};`, `${ind}  ${ptr2} += ${32 * UNROLL};`, `${ind}}`);
    return o;
  };
  /** Both compile-time forms of a pass. */
  const forms = (pass, ptr2, ind) => [
    `${ind}if (ASC_FEATURE_RELAXED_SIMD) {`,
    ...blockLoops(pass.relaxed, ptr2, `${ind}  `),
    `${ind}} else {`,
    ...blockLoops(pass.plain, ptr2, `${ind}  `),
    `${ind}}`,
  ];
  const blockStart = (ind) => [
    `${ind}const end = p + blk;`,
    `${ind}const head = p + ((<usize>(steps % ${UNROLL})) << 7);`,
  ];
  const accumulators = (ind) => [
    `${ind}let s0 = f64x2.splat(0);`,
    `${ind}let s1 = f64x2.splat(0);`,
    `${ind}let s2 = f64x2.splat(0);`,
    `${ind}let s3 = f64x2.splat(0);`,
    `${ind}let t0 = f64x2.splat(0); // relaxed form only (plain: stays 0, folded away)`,
    `${ind}let t1 = f64x2.splat(0);`,
    `${ind}let t2 = f64x2.splat(0);`,
    `${ind}let t3 = f64x2.splat(0);`,
    `${ind}let zp = z;`,
  ];
  /** a_r = the 4 dot products; plain: s_r, relaxed: s_r + t_r. */
  const dots = (ind) =>
    [0, 1, 2, 3].map(
      (r) => `${ind}const a${r} = ASC_FEATURE_RELAXED_SIMD ? hsum2(f64x2.add(s${r}, t${r})) : hsum2(s${r});`,
    );
  /** The start of each kernel: (g cleared,) block pointer and sizes, the v128 locals, the row loop. */
  const prologue = (clearG, locals) => [
    ...(clearG ? ['  memory.fill(g, 0, (<usize>n4) << 3);'] : []),
    '  let p = ap;',
    '  const blk = (<usize>n4) << 5;',
    '  const steps = n4 >> 2;',
    ...locals.map((v) => `  let ${v}: v128;`),
    '  for (let i = 0; i < m4; i += 4) {',
  ];
  const splats = (ind, value) => [0, 1, 2, 3].map((r) => `${ind}const v${r} = f64x2.splat(${value(r)});`);

  const text = [
    '// GENERATED by wasm/packedGemv.mjs (run by scripts/buildWasm.mjs): do not edit.',
    '',
    '@inline function hsum2(v: v128): f64 {',
    '  return f64x2.extract_lane(v, 0) + f64x2.extract_lane(v, 1);',
    '}',
    '',
    '/** az[0..m4) ← A z on the packed layout (z padded to n4 with zeros; m4, n4 multiples of 4). */',
    'export function dpgemv(m4: i32, n4: i32, ap: usize, z: usize, az: usize): void {',
    ...prologue(false, ['zv', 'zw']),
    ...blockStart('    '),
    ...accumulators('    '),
    ...forms(pass1, 'zp', '    '),
    ...dots('    '),
    '    const ao = az + ((<usize>i) << 3);',
    ...[0, 1, 2, 3].map((r) => `    store<f64>(ao, a${r}, ${8 * r});`),
    '  }',
    '}',
    '',
    '/** g[0..n4) ← Aᵀ r on the packed layout (r padded to m4 with zeros). */',
    'export function dpgemvT(m4: i32, n4: i32, ap: usize, r: usize, g: usize): void {',
    ...prologue(true, ['u', 'w']),
    ...blockStart('    '),
    '    const ro = r + ((<usize>i) << 3);',
    ...splats('    ', (k) => `load<f64>(ro, ${8 * k})`),
    '    let gp = g;',
    ...forms(pass2, 'gp', '    '),
    '  }',
    '}',
    '',
    '/**',
    " * The WF gradient on the packed layout, fused per block of 4 rows: pass 1 gives the block's",
    ' * a_iᵀz (stored to az), then r_i = scale ((a_iᵀz)² − y_i)(a_iᵀz) and pass 2 adds Σ_i r_i a_i to g',
    ' * while the block (8 KB at n = 256) is in L1. y is padded to m4 (padding rows have a_i = 0).',
    ' * Plain SIMD: the same operations in the same order as dpgemv, then r, then dpgemvT (same bits).',
    ' */',
    'export function dpwfgrad(m4: i32, n4: i32, ap: usize, z: usize, yv: usize, scale: f64, az: usize, g: usize): void {',
    ...prologue(true, ['zv', 'zw', 'u', 'w']),
    '    const start = p;',
    ...blockStart('    '),
    ...accumulators('    '),
    ...forms(pass1, 'zp', '    '),
    ...dots('    '),
    '    const io = (<usize>i) << 3;',
    '    const ao = az + io;',
    '    const yo = yv + io;',
    ...[0, 1, 2, 3].map((r) => `    store<f64>(ao, a${r}, ${8 * r});`),
    ...splats('    ', (k) => `scale * (a${k} * a${k} - load<f64>(yo, ${8 * k})) * a${k}`),
    '    p = start;',
    '    let gp = g;',
    ...forms(pass2, 'gp', '    '),
    '  }',
    '}',
    '',
  ];
  return text.join('\n');
}
