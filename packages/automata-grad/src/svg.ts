/**
 * A dependency-free SVG picture of planned trajectories over the workspace (boxes and balls of
 * the task's predicates), used by the README and the bench.
 * @module
 */
import { ValueError, describe, readOptions } from '@descent/tensor';
import type { Predicate } from './predicate';

/** Options of {@link trajectorySvg}. */
export interface TrajectorySvgOptions {
  /** Regions to draw (predicates with a box or ball shape; others are skipped). */
  regions: Predicate[];
  /** Trajectories as lists of states; coordinates 0 and 1 are drawn. */
  trajectories: { label: string; states: ArrayLike<ArrayLike<number>> }[];
  /** Workspace [xmin, xmax, ymin, ymax] (default [0, 1, 0, 1]). */
  bounds?: [number, number, number, number];
  /** Picture size in px (default 360). */
  size?: number;
  title?: string;
}

const COLORS = ['#1f77b4', '#d62728', '#2ca02c', '#9467bd', '#ff7f0e', '#17becf'];

const f = (v: number) => v.toFixed(1);

function esc(s: string): string {
  return s.replace(/[<>&"]/g, (c) => ({ '<': '&lt;', '>': '&gt;', '&': '&amp;', '"': '&quot;' })[c]!);
}

/** Renders the regions and trajectories as an SVG string. */
export function trajectorySvg(options: TrajectorySvgOptions): string {
  if (options === undefined)
    throw new ValueError('options must be an options object, got undefined', 'options');
  const {
    regions,
    trajectories,
    bounds = [0, 1, 0, 1],
    size = 360,
    title,
  } = readOptions<TrajectorySvgOptions>(options);
  if (!Array.isArray(trajectories))
    throw new ValueError(`trajectories must be an array, got ${describe(trajectories)}`, 'trajectories');
  if (!Array.isArray(regions))
    throw new ValueError(`regions must be an array of predicates, got ${describe(regions)}`, 'regions');
  if (
    !Array.isArray(bounds) ||
    bounds.length !== 4 ||
    !bounds.every(Number.isFinite) ||
    !(bounds[0] < bounds[1] && bounds[2] < bounds[3])
  ) {
    throw new ValueError(
      `bounds must be [xmin, xmax, ymin, ymax] with xmin < xmax, ymin < ymax, got ${describe(bounds)}`,
      'bounds',
    );
  }
  if (typeof size !== 'number' || !(size > 48) || !Number.isFinite(size)) {
    throw new ValueError(`size must be a finite number > 48 (pixels), got ${describe(size)}`, 'size');
  }
  const [x0, x1, y0, y1] = bounds;
  const pad = 24;
  const w = size;
  const h = size + (title ? 20 : 0) + 16 * trajectories.length;
  const sx = (x: number) => pad + ((x - x0) / (x1 - x0)) * (size - 2 * pad);
  const sy = (y: number) => (title ? 20 : 0) + size - pad - ((y - y0) / (y1 - y0)) * (size - 2 * pad);
  const out: string[] = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${w}" height="${h}" viewBox="0 0 ${w} ${h}" font-family="sans-serif" font-size="11">`,
    `<rect x="0" y="0" width="${w}" height="${h}" fill="white"/>`,
  ];
  if (title) out.push(`<text x="${w / 2}" y="14" text-anchor="middle" font-size="13">${esc(title)}</text>`);
  out.push(
    `<rect x="${sx(x0)}" y="${sy(y1)}" width="${sx(x1) - sx(x0)}" height="${sy(y0) - sy(y1)}" fill="none" stroke="#999"/>`,
  );
  for (const p of regions) {
    const s = p.shape;
    if (s?.dims[0] !== 0 || s.dims[1] !== 1) continue;
    const avoid = /obst|avoid|wall/i.test(p.name);
    const fill = avoid ? '#888' : '#f2c94c';
    if (s.kind === 'box') {
      out.push(
        `<rect x="${f(sx(s.lo[0]))}" y="${f(sy(s.hi[1]))}" width="${f(sx(s.hi[0]) - sx(s.lo[0]))}" height="${f(sy(s.lo[1]) - sy(s.hi[1]))}" fill="${fill}" fill-opacity="0.6" stroke="#555"/>`,
      );
      out.push(
        `<text x="${(sx(s.lo[0]) + sx(s.hi[0])) / 2}" y="${(sy(s.lo[1]) + sy(s.hi[1])) / 2 + 4}" text-anchor="middle">${esc(p.name)}</text>`,
      );
    } else {
      const r = (s.radius / (x1 - x0)) * (size - 2 * pad);
      out.push(
        `<circle cx="${sx(s.center[0])}" cy="${sy(s.center[1])}" r="${r}" fill="${fill}" fill-opacity="0.6" stroke="#555"/>`,
      );
      out.push(
        `<text x="${sx(s.center[0])}" y="${sy(s.center[1]) + 4}" text-anchor="middle">${esc(p.name)}</text>`,
      );
    }
  }
  trajectories.forEach((tr, i) => {
    const c = COLORS[i % COLORS.length];
    const pts = Array.from(tr.states, (x) => `${sx(x[0]).toFixed(1)},${sy(x[1]).toFixed(1)}`).join(' ');
    out.push(
      `<polyline points="${pts}" fill="none" stroke="${c}" stroke-width="1.8" clip-path="url(#plot)"/>`,
    );
    if (tr.states.length > 0)
      out.push(`<circle cx="${sx(tr.states[0][0])}" cy="${sy(tr.states[0][1])}" r="3" fill="${c}"/>`);
    const lx = pad;
    const ly = (title ? 20 : 0) + size + 4 + 16 * i;
    out.push(
      `<line x1="${lx}" y1="${ly - 4}" x2="${lx + 16}" y2="${ly - 4}" stroke="${c}" stroke-width="2"/>`,
    );
    out.push(`<text x="${lx + 20}" y="${ly}">${esc(tr.label)}</text>`);
  });
  out.push('</svg>');
  return out.join('\n');
}
