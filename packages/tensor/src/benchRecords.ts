/**
 * Queries over bench records (`BenchRecord[]`), shared by every package's `verdict` so that none
 * keeps its own filter-and-median helper: select by method, metric and params, take values, the
 * median, or the distinct values of a parameter.
 * @module
 */
import { ValueError, describe } from './errors';
import type { BenchRecord } from './experiment';
import { median } from './robustStats';

/** Which records: every given field must match (strings exactly, RegExps by test). */
export interface RecordQuery {
  method?: string | RegExp;
  metric?: string | RegExp;
  /** Parameter values the record's `params` must have. */
  params?: Record<string, number | string | boolean>;
}

function checkRecords(records: unknown): asserts records is BenchRecord[] {
  if (!Array.isArray(records)) throw new ValueError(`records must be an array of bench records, got ${describe(records)}`, 'records');
  records.forEach((r, i) => {
    const rec = r as BenchRecord | null;
    if (rec === null || typeof rec !== 'object' || typeof rec.method !== 'string' || typeof rec.metric !== 'string' || typeof rec.value !== 'number') {
      throw new ValueError(`records[${i}] must be a bench record { method, metric, value }, got ${describe(r)}`, `records[${i}]`);
    }
  });
}

function matches(v: string, q: string | RegExp | undefined): boolean {
  return q === undefined || (typeof q === 'string' ? v === q : q.test(v));
}

/** The records matching `query`, in their order. */
export function selectRecords(records: BenchRecord[], query: RecordQuery = {}): BenchRecord[] {
  checkRecords(records);
  if (query === null || typeof query !== 'object' || Array.isArray(query)) {
    throw new ValueError(`query must be a record query object, got ${describe(query)}`, 'query');
  }
  const params = Object.entries(query.params ?? {});
  return records.filter(
    (r) =>
      r != null &&
      matches(r.method, query.method) &&
      matches(r.metric, query.metric) &&
      params.every(([k, v]) => r.params?.[k] === v),
  );
}

/** The values of the matching records. */
export function recordValues(records: BenchRecord[], query: RecordQuery = {}): number[] {
  return selectRecords(records, query).map((r) => r.value);
}

/**
 * The median value of the matching records (the shared median: ±Infinity ordered), or
 * `undefined` when no record matches (a verdict then says what is missing).
 */
export function recordMedian(records: BenchRecord[], query: RecordQuery = {}): number | undefined {
  const v = recordValues(records, query).filter((x) => !Number.isNaN(x));
  return v.length === 0 ? undefined : median(v);
}

/** The distinct values of parameter `key` among the matching records, sorted (numbers ascending). */
export function paramValues(records: BenchRecord[], key: string, query: RecordQuery = {}): (number | string | boolean)[] {
  if (typeof key !== 'string' || key.length === 0) throw new ValueError(`key must be a parameter name, got ${describe(key)}`, 'key');
  const seen = new Set<number | string | boolean>();
  for (const r of selectRecords(records, query)) {
    const v = r.params?.[key];
    if (v !== undefined) seen.add(v);
  }
  return [...seen].sort((a, b) => (typeof a === 'number' && typeof b === 'number' ? a - b : String(a) < String(b) ? -1 : 1));
}
