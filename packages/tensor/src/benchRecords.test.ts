import type { BenchRecord } from './experiment';
import { paramValues, recordMedian, recordValues, selectRecords } from './index';

const recs: BenchRecord[] = [
  { method: 'a', metric: 'ms', value: 3, params: { n: 64 } },
  { method: 'a', metric: 'ms', value: 1, params: { n: 64 } },
  { method: 'a', metric: 'ms', value: 2, params: { n: 128 } },
  { method: 'b', metric: 'ms', value: 9, params: { n: 64 } },
];

describe('bench record queries (one helper for every package verdict)', () => {
  it('select by method, metric and params; median and distinct params', () => {
    expect(recordValues(recs, { method: 'a', params: { n: 64 } })).toEqual([3, 1]);
    expect(recordMedian(recs, { method: 'a', params: { n: 64 } })).toBe(2);
    expect(recordMedian(recs, { method: /^[ab]$/, params: { n: 64 } })).toBe(3);
    expect(recordMedian(recs, { method: 'c' })).toBeUndefined();
    expect(paramValues(recs, 'n')).toEqual([64, 128]);
    expect(selectRecords(recs, { metric: 'ms' })).toHaveLength(4);
  });
});
