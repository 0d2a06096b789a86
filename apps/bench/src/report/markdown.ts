import { type BenchRecord, type Experiment, median } from '@descent/tensor';
import { type Cell, aggregate, fmt } from '../aggregate';

/** A markdown table: rows = (method, params), columns = metrics; cells "median [min, max]". */
export function markdownTable(records: BenchRecord[]): string {
  const cells = aggregate(records);
  const metrics: string[] = [];
  const units = new Map<string, string | undefined>();
  const rows: { method: string; paramsKey: string }[] = [];
  const seenRows = new Set<string>();
  const byKey = new Map<string, Cell>();
  for (const c of cells) {
    if (!metrics.includes(c.metric)) metrics.push(c.metric);
    if (c.unit) units.set(c.metric, c.unit);
    const rk = `${c.method}\u0000${c.paramsKey}`;
    if (!seenRows.has(rk)) {
      seenRows.add(rk);
      rows.push({ method: c.method, paramsKey: c.paramsKey });
    }
    byKey.set(`${rk}\u0000${c.metric}`, c);
  }
  const hasParams = rows.some((r) => r.paramsKey !== '');
  const head = ['method', ...(hasParams ? ['setting'] : []), ...metrics.map((m) => (units.get(m) ? `${m} (${units.get(m)})` : m))];
  const lines = [`| ${head.join(' | ')} |`, `|${head.map(() => '---').join('|')}|`];
  for (const r of rows) {
    const vals = metrics.map((m) => {
      const c = byKey.get(`${r.method}\u0000${r.paramsKey}\u0000${m}`);
      if (!c) return '';
      return c.n > 1 && c.min !== c.max ? `${fmt(c.median)} [${fmt(c.min)}, ${fmt(c.max)}]` : fmt(c.median);
    });
    lines.push(`| ${[r.method, ...(hasParams ? [r.paramsKey] : []), ...vals].join(' | ')} |`);
  }
  return lines.join('\n');
}

/** What the report says about one experiment's run. */
export interface ExperimentResult {
  pkg: string;
  experiment: Experiment;
  records: BenchRecord[];
  seeds: number[];
  runTimesMs: number[];
  verdict: string;
  plots: string[];
  /** Files the experiment saved through `ctx.artifact`. */
  artifacts: string[];
  error?: string;
}

/** The markdown section of one experiment. */
export function experimentSection(r: ExperimentResult): string {
  const e = r.experiment;
  const total = r.runTimesMs.reduce((a, b) => a + b, 0);
  const parts = [
    `## ${e.name} (${r.pkg})`,
    '',
    `**Paper:** ${e.paper}  `,
    `**Claim:** ${e.claim}  `,
    `**Verdict:** ${r.verdict}  `,
    `**Seeds:** ${r.seeds.join(', ')}; run time ${(total / 1000).toFixed(1)} s in total (median ${
      r.runTimesMs.length > 0 ? (median(r.runTimesMs) / 1000).toFixed(1) : 'n/a'
    } s per seed)`,
    '',
  ];
  if (r.error) parts.push('```', r.error, '```', '');
  if (r.records.length > 0) parts.push('Cells are the median over seeds, with [min, max] when seeds differ.', '', markdownTable(r.records), '');
  for (const p of r.plots) parts.push(`![${p}](${p})`, '');
  for (const a of r.artifacts) parts.push(a.endsWith('.svg') ? `![${a}](${a})` : `[${a}](${a})`, '');
  return parts.join('\n');
}

