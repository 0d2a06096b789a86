/**
 * A dependency-free log–log SVG of excess risk against n for one algorithm: one colour per
 * regime, the mean as a solid line with points, the 5%–95% band over repetitions shaded, the
 * 99% quantile dotted, and dashed grey reference slopes −1 and −2. The harness's line plots
 * draw bands over seeds only, so the bench writes this figure with `ctx.artifact`.
 * @module
 */
import type { RateResult } from '../src/rateExperiment';

const COLORS = ['#1f77b4', '#d62728', '#2ca02c', '#9467bd', '#ff7f0e', '#8c564b'];

const esc = (s: string) =>
  s.replace(/[<>&"]/g, (c) => ({ '<': '&lt;', '>': '&gt;', '&': '&amp;', '"': '&quot;' })[c] as string);

function level(r: RateResult, q: number): number {
  const k = r.quantileLevels.indexOf(q);
  return k;
}

/** Powers of ten covering [lo, hi] (log10 exponents). */
function decades(lo: number, hi: number): number[] {
  const out: number[] = [];
  for (let e = Math.floor(Math.log10(lo)); e <= Math.ceil(Math.log10(hi)); e++) out.push(e);
  return out;
}

/**
 * Renders the rate results of one algorithm (several regimes) as an SVG string. Quantile levels
 * 0.05, 0.95 and 0.99 are drawn when the results have them.
 */
export function rateSvg(title: string, results: RateResult[], labels: string[]): string {
  const W = 640;
  const H = 420;
  const left = 70;
  const right = 220;
  const top = 36;
  const bottom = 50;
  const pw = W - left - right;
  const ph = H - top - bottom;
  const xs = results.flatMap((r) => r.points.map((p) => p.n));
  const ys = results.flatMap((r) =>
    r.points.flatMap((p) => [p.excessSummary.mean, ...p.excessSummary.quantiles].filter((v) => v > 0)),
  );
  const xlo = Math.min(...xs);
  const xhi = Math.max(...xs);
  const ylo = 10 ** Math.floor(Math.log10(Math.min(...ys)));
  const yhi = 10 ** Math.ceil(Math.log10(Math.max(...ys)));
  const lx = (n: number) =>
    left + ((Math.log(n) - Math.log(xlo)) / (Math.log(xhi) - Math.log(xlo) || 1)) * pw;
  const ly = (v: number) => top + ph - ((Math.log(v) - Math.log(ylo)) / (Math.log(yhi) - Math.log(ylo))) * ph;
  const clampY = (v: number) => Math.min(top + ph, Math.max(top, ly(v)));
  const parts: string[] = [];
  parts.push(
    `<svg xmlns="http://www.w3.org/2000/svg" width="${W}" height="${H}" font-family="sans-serif" font-size="11">`,
    `<rect width="${W}" height="${H}" fill="white"/>`,
    `<text x="${left}" y="20" font-size="14" font-weight="bold">${esc(title)}</text>`,
    `<rect x="${left}" y="${top}" width="${pw}" height="${ph}" fill="none" stroke="#444"/>`,
  );
  for (const e of decades(ylo, yhi)) {
    const v = 10 ** e;
    if (v < ylo || v > yhi) continue;
    const y = ly(v);
    parts.push(
      `<line x1="${left}" x2="${left + pw}" y1="${y}" y2="${y}" stroke="#eee"/>`,
      `<text x="${left - 6}" y="${y + 4}" text-anchor="end">1e${e}</text>`,
    );
  }
  for (const n of [...new Set(xs)].sort((a, b) => a - b)) {
    const x = lx(n);
    parts.push(
      `<line x1="${x}" x2="${x}" y1="${top + ph}" y2="${top + ph + 4}" stroke="#444"/>`,
      `<text x="${x}" y="${top + ph + 16}" text-anchor="middle">${n}</text>`,
    );
  }
  parts.push(
    `<text x="${left + pw / 2}" y="${H - 12}" text-anchor="middle">n (log scale)</text>`,
    `<text transform="translate(16 ${top + ph / 2}) rotate(-90)" text-anchor="middle">excess risk F(A(S)) − F(w*) (log scale)</text>`,
  );
  // reference slopes through the first mean of the first two regimes
  const refs: [number, number][] = [
    [-1, 0],
    [-2, Math.min(1, results.length - 1)],
  ];
  for (const [slope, k] of refs) {
    const r = results[k];
    if (!r || r.points.length === 0) continue;
    const p0 = r.points[0];
    const c = p0.excessSummary.mean * 2;
    const y = (n: number) => c * (n / p0.n) ** slope;
    parts.push(
      `<line x1="${lx(xlo)}" y1="${clampY(y(xlo))}" x2="${lx(xhi)}" y2="${clampY(y(xhi))}" stroke="#888" stroke-dasharray="6 4"/>`,
      `<text x="${lx(xhi) - 4}" y="${clampY(y(xhi)) - 4}" text-anchor="end" fill="#666">slope ${slope}</text>`,
    );
  }
  results.forEach((r, k) => {
    const color = COLORS[k % COLORS.length];
    const i05 = level(r, 0.05);
    const i95 = level(r, 0.95);
    const i99 = level(r, 0.99);
    if (i05 >= 0 && i95 >= 0) {
      const upper = r.points.map((p) => `${lx(p.n)},${clampY(p.excessSummary.quantiles[i95])}`);
      const lower = r.points
        .map((p) => `${lx(p.n)},${clampY(Math.max(ylo, p.excessSummary.quantiles[i05]))}`)
        .reverse();
      parts.push(`<polygon points="${[...upper, ...lower].join(' ')}" fill="${color}" opacity="0.15"/>`);
    }
    if (i99 >= 0) {
      const pts = r.points.map((p) => `${lx(p.n)},${clampY(p.excessSummary.quantiles[i99])}`).join(' ');
      parts.push(`<polyline points="${pts}" fill="none" stroke="${color}" stroke-dasharray="2 3"/>`);
    }
    const pts = r.points.map((p) => `${lx(p.n)},${clampY(p.excessSummary.mean)}`).join(' ');
    parts.push(`<polyline points="${pts}" fill="none" stroke="${color}" stroke-width="2"/>`);
    for (const p of r.points)
      parts.push(`<circle cx="${lx(p.n)}" cy="${clampY(p.excessSummary.mean)}" r="3" fill="${color}"/>`);
    const yLegend = top + 10 + k * 44;
    parts.push(
      `<line x1="${left + pw + 12}" x2="${left + pw + 32}" y1="${yLegend}" y2="${yLegend}" stroke="${color}" stroke-width="2"/>`,
      `<text x="${left + pw + 36}" y="${yLegend + 4}">${esc(labels[k] ?? r.family)}</text>`,
      `<text x="${left + pw + 36}" y="${yLegend + 18}" fill="#555">slope mean ${r.slopes.mean.slope.toFixed(2)}${
        i95 >= 0 ? `, q95 ${r.slopes.quantiles[i95].slope.toFixed(2)}` : ''
      }</text>`,
    );
  });
  const yNote = top + 10 + results.length * 44 + 6;
  parts.push(
    `<text x="${left + pw + 12}" y="${yNote}" fill="#555">line: mean; band: 5–95%;</text>`,
    `<text x="${left + pw + 12}" y="${yNote + 14}" fill="#555">dotted: 99% quantile</text>`,
    '</svg>',
  );
  return parts.join('\n');
}
