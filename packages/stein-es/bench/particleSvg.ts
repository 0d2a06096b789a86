/**
 * A dependency-free SVG scatter of 2-D particles over the density of a target: one panel per
 * particle set, the density drawn as a coarse grid of filled cells shaded in bands of a quarter
 * decade of log density (down to two decades below the grid maximum), particles as circles; under
 * each panel, how many distinct positions the particles occupy (rounded to 0.05), which shows
 * collapsed populations. Used by the bench for the figure the
 * line plots cannot draw (where the particles of SV-CMA-ES and α = 0 end up).
 * @module
 */
import { ValueError, assertInteger, describe } from '@descent/tensor';
import type { Target } from '../src/targets';

/** Options of {@link particleScatterSvg}. */
export interface ParticleScatterOptions {
  /** The target whose first two coordinates are drawn (its density p̃ ∝ exp(−negLogP)). */
  target: Target;
  /** One panel per set of particles (only coordinates 0 and 1 are drawn). */
  panels: { label: string; particles: ArrayLike<ArrayLike<number>> }[];
  /** Square window [lo, hi] on both axes (default the target's `initBox` on axis 0). */
  window?: [number, number];
  /** Grid cells per axis of the density shading (default 48). */
  grid?: number;
  /** Panel size in px (default 300). */
  size?: number;
  title?: string;
}

const esc = (s: string) =>
  s.replace(/[<>&"]/g, (c) => ({ '<': '&lt;', '>': '&gt;', '&': '&amp;', '"': '&quot;' })[c] as string);

/** Decades of density below the maximum that are shaded (lower is left white). */
const DECADES = 2;
/** Shading bands per decade (flat bands, so their edges read as iso-density lines). */
const BANDS = 4;

/** Shade of a cell from log(p/p_max): white below {@link DECADES} decades, dark blue at the maximum. */
function shade(logRatio: number): string {
  const level = Math.floor((DECADES * BANDS * logRatio) / (DECADES * Math.LN10)) / (DECADES * BANDS);
  const t = Math.max(0, Math.min(1, 1 + level));
  const mix = (a: number, b: number) => Math.round(a + (b - a) * t);
  return `rgb(${mix(255, 33)},${mix(255, 102)},${mix(255, 172)})`;
}

/**
 * Renders the panels side by side as an SVG string. The density of a d > 2 target is evaluated
 * on the plane x₂ = … = x_{d−1} = 0.
 */
export function particleScatterSvg({
  target,
  panels,
  window = [target.initBox.lower[0], target.initBox.upper[0]],
  grid = 48,
  size = 300,
  title,
}: ParticleScatterOptions): string {
  if (!Array.isArray(panels) || panels.length === 0)
    throw new ValueError(`panels must be a non-empty array, got ${describe(panels)}`, 'panels');
  assertInteger('grid', grid, 2);
  const [lo, hi] = window;
  if (!(hi > lo)) throw new ValueError(`window must be [lo, hi] with hi > lo, got [${lo}, ${hi}]`, 'window');
  // log density on the grid, relative to its maximum
  const cell = (hi - lo) / grid;
  const logp = new Float64Array(grid * grid);
  const x = new Float64Array(target.dim);
  let maxLog = Number.NEGATIVE_INFINITY;
  for (let i = 0; i < grid; i++) {
    for (let j = 0; j < grid; j++) {
      x[0] = lo + (i + 0.5) * cell;
      x[1] = lo + (j + 0.5) * cell;
      const v = -target.negLogP(x);
      logp[i * grid + j] = v;
      if (v > maxLog) maxLog = v;
    }
  }
  const pad = 24;
  const inner = size - 2 * pad;
  const top = title ? 22 : 0;
  const px = (v: number) => pad + ((v - lo) / (hi - lo)) * inner;
  const py = (v: number) => top + 18 + pad + inner - ((v - lo) / (hi - lo)) * inner;
  const cpx = inner / grid;
  const width = size * panels.length;
  const height = top + 18 + size;
  const out: string[] = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="sans-serif" font-size="11">`,
    `<rect width="${width}" height="${height}" fill="white"/>`,
  ];
  if (title)
    out.push(`<text x="${width / 2}" y="15" text-anchor="middle" font-size="13">${esc(title)}</text>`);
  panels.forEach((panel, k) => {
    out.push(`<g transform="translate(${k * size},0)">`);
    out.push(`<text x="${size / 2}" y="${top + 14}" text-anchor="middle">${esc(panel.label)}</text>`);
    for (let i = 0; i < grid; i++) {
      for (let j = 0; j < grid; j++) {
        const r = logp[i * grid + j] - maxLog;
        if (r < -DECADES * Math.LN10) continue;
        out.push(
          `<rect x="${(px(lo + i * cell)).toFixed(1)}" y="${(py(lo + (j + 1) * cell)).toFixed(1)}" width="${(cpx + 0.3).toFixed(1)}" height="${(cpx + 0.3).toFixed(1)}" fill="${shade(r)}"/>`,
        );
      }
    }
    out.push(`<rect x="${pad}" y="${py(hi)}" width="${inner}" height="${inner}" fill="none" stroke="#999"/>`);
    let outside = 0;
    for (const p of Array.from(panel.particles)) {
      if (p[0] < lo || p[0] > hi || p[1] < lo || p[1] > hi) {
        outside++;
        continue;
      }
      out.push(
        `<circle cx="${px(p[0]).toFixed(1)}" cy="${py(p[1]).toFixed(1)}" r="2.6" fill="#d62728" fill-opacity="0.85" stroke="black" stroke-width="0.4"/>`,
      );
    }
    const distinct = new Set(
      Array.from(panel.particles, (q) => `${Math.round(q[0] / 0.05)},${Math.round(q[1] / 0.05)}`),
    ).size;
    const note = `${panel.particles.length} particles at ${distinct} distinct positions${outside ? `, ${outside} outside the window` : ''}`;
    out.push(`<text x="${size / 2}" y="${height - 6}" text-anchor="middle" fill="#555">${esc(note)}</text>`);
    out.push('</g>');
  });
  out.push('</svg>');
  return out.join('\n');
}
