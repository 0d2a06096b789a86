import { type BenchRecord, quantile } from '@descent/tensor';

/** Summary of one (method, params, metric) cell over seeds. */
export interface Cell {
  method: string;
  params: Record<string, number | string | boolean>;
  paramsKey: string;
  metric: string;
  unit?: string;
  n: number;
  median: number;
  min: number;
  max: number;
  q25: number;
  q75: number;
}

/** The shared quantile (numpy's linear rule); NaN for a cell without finite values. */
function quantileSorted(s: number[], q: number): number {
  return s.length === 0 ? Number.NaN : quantile(s, q);
}

/** A stable text key for a params object (sorted keys). */
export function paramsKey(params: Record<string, number | string | boolean> | undefined): string {
  if (!params) return '';
  return Object.keys(params)
    .sort()
    .map((k) => `${k}=${params[k]}`)
    .join(', ');
}

/** Groups records by (method, params, metric) and summarises each group over seeds. */
export function aggregate(records: BenchRecord[]): Cell[] {
  const groups = new Map<string, { rec: BenchRecord; values: number[] }>();
  for (const r of records) {
    const key = `${r.method}\u0000${paramsKey(r.params)}\u0000${r.metric}`;
    let g = groups.get(key);
    if (!g) {
      g = { rec: r, values: [] };
      groups.set(key, g);
    }
    g.values.push(r.value);
  }
  const cells: Cell[] = [];
  for (const { rec, values } of groups.values()) {
    const finite = values.filter((v) => Number.isFinite(v)).sort((a, b) => a - b);
    cells.push({
      method: rec.method,
      params: rec.params ?? {},
      paramsKey: paramsKey(rec.params),
      metric: rec.metric,
      unit: rec.unit,
      n: values.length,
      median: quantileSorted(finite, 0.5),
      min: finite[0] ?? Number.NaN,
      max: finite[finite.length - 1] ?? Number.NaN,
      q25: quantileSorted(finite, 0.25),
      q75: quantileSorted(finite, 0.75),
    });
  }
  return cells;
}

/** A number for a report: 4 significant digits, exponent notation when tiny or huge. */
export function fmt(v: number): string {
  if (!Number.isFinite(v)) return String(v);
  if (v === 0) return '0';
  const a = Math.abs(v);
  if (a >= 1e6 || a < 1e-3) return v.toExponential(2);
  if (Number.isInteger(v)) return String(v);
  return Number(v.toPrecision(4)).toString();
}
