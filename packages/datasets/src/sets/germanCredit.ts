import type { DatasetInfo } from '../types';

/** German credit (Statlog), 1000 applicants, 61 dummy-coded / numeric features; label +1 good (700), −1 bad (300). */
export const germanCredit: DatasetInfo = {
  name: 'german-credit',
  file: 'german-credit.csv.gz',
  rows: 1000,
  features: 61,
  labels: '+1 = good credit (700), -1 = bad (300)',
  format: 'label-first-csv',
  classLabels: [-1, 1],
  classNames: ['bad', 'good'],
  provenance: {
    source: 'Debian r-cran-caret 6.0-93+dfsg-1 (bookworm)',
    originalFile: 'caret/data/GermanCredit.RData',
    conversion:
      'R serialisation parsed and written as label-first CSV (2026-11-29, throw-away script); the 61 dummy-coded / numeric columns kept as in caret. LIBSVM\'s german.numer (used by some papers) has the same 1000 people and labels with 24 scaled numeric features.',
    licence: 'GPL-2.0+ (caret); the data: UCI Statlog (German Credit Data), CC BY 4.0',
    citation: 'Hans Hofmann, Universität Hamburg; UCI Machine Learning Repository',
  },
};
