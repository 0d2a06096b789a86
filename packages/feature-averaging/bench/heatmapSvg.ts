/**
 * A dependency-free SVG of the paper's Figure-2 heatmaps: cos(w_r, μ_j) with one row per neuron
 * (or equivalent weight) and one column per cluster centre, a diverging colour scale on
 * [−1, 1] and the value printed in each cell. Panels side by side.
 * @module
 */

const esc = (s: string) =>
  s.replace(/[<>&"]/g, (c) => ({ '<': '&lt;', '>': '&gt;', '&': '&amp;', '"': '&quot;' })[c] as string);

/** Blue (−1) – white (0) – red (+1). */
function color(v: number): string {
  const t = Math.max(-1, Math.min(1, v));
  const mix = (a: number, b: number, f: number) => Math.round(a + (b - a) * f);
  return t >= 0
    ? `rgb(255,${mix(255, 40, t)},${mix(255, 40, t)})`
    : `rgb(${mix(255, 40, -t)},${mix(255, 90, -t)},255)`;
}

/** One heatmap: `values` row-major rows×cols, with row and column labels. */
export interface HeatmapPanel {
  title: string;
  values: ArrayLike<number>;
  rows: number;
  cols: number;
  rowLabels: string[];
  colLabels: string[];
}

/** Renders the panels side by side as an SVG string. */
export function heatmapSvg(panels: HeatmapPanel[], title: string): string {
  const cell = 34;
  const left = 60;
  const top = 56;
  const gap = 50;
  const widths = panels.map((p) => left + p.cols * cell);
  const W = widths.reduce((a, b) => a + b + gap, 0) + 10;
  const H = top + Math.max(...panels.map((p) => p.rows * cell)) + 30;
  const parts = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${W}" height="${H}" font-family="sans-serif" font-size="10">`,
    `<rect width="${W}" height="${H}" fill="white"/>`,
    `<text x="10" y="18" font-size="14" font-weight="bold">${esc(title)}</text>`,
  ];
  let x0 = 0;
  panels.forEach((p, k) => {
    const ox = x0 + left;
    parts.push(`<text x="${ox}" y="${top - 22}" font-size="12">${esc(p.title)}</text>`);
    for (let j = 0; j < p.cols; j++) {
      parts.push(
        `<text x="${ox + j * cell + cell / 2}" y="${top - 6}" text-anchor="middle">${esc(p.colLabels[j] ?? '')}</text>`,
      );
    }
    for (let r = 0; r < p.rows; r++) {
      const y = top + r * cell;
      parts.push(
        `<text x="${ox - 6}" y="${y + cell / 2 + 3}" text-anchor="end">${esc(p.rowLabels[r] ?? '')}</text>`,
      );
      for (let j = 0; j < p.cols; j++) {
        const v = p.values[r * p.cols + j];
        parts.push(
          `<rect x="${ox + j * cell}" y="${y}" width="${cell}" height="${cell}" fill="${color(v)}" stroke="#ddd"/>`,
          `<text x="${ox + j * cell + cell / 2}" y="${y + cell / 2 + 3}" text-anchor="middle">${v.toFixed(2)}</text>`,
        );
      }
    }
    x0 += widths[k] + gap;
  });
  parts.push('</svg>');
  return parts.join('\n');
}
