import type { DatasetInfo } from '../types';

/** Optical recognition of handwritten digits, 1797 8×8 images (64 features, 0–16); label the digit 0–9. */
export const digits: DatasetInfo = {
  name: 'digits',
  file: 'digits.csv.gz',
  rows: 1797,
  features: 64,
  labels: 'the digit 0-9 (column `digit`)',
  format: 'label-first-csv',
  classLabels: [0, 1, 2, 3, 4, 5, 6, 7, 8, 9],
  classNames: ['0', '1', '2', '3', '4', '5', '6', '7', '8', '9'],
  imageShape: [8, 8, 1],
  provenance: {
    source: 'Debian python3-sklearn 1.2.1+dfsg-1 (bookworm)',
    originalFile: 'sklearn/datasets/data/digits.csv.gz',
    conversion: 'columns reordered label-first (2026-11-29, throw-away script)',
    licence: 'BSD-3-Clause (scikit-learn, licenses/scikit-learn.LICENSE); the data: UCI, CC BY 4.0',
    citation: 'E. Alpaydin, C. Kaynak: Optical Recognition of Handwritten Digits, UCI',
  },
};
