import type { DatasetInfo } from '../types';

/** Breast Cancer Wisconsin (Diagnostic), 569 × 30; label +1 benign (357), −1 malignant (212). */
export const breastCancer: DatasetInfo = {
  name: 'breast-cancer',
  file: 'breast-cancer.csv.gz',
  rows: 569,
  features: 30,
  labels: '+1 = benign (357), -1 = malignant (212)',
  format: 'label-first-csv',
  classLabels: [-1, 1],
  classNames: ['malignant', 'benign'],
  provenance: {
    source: 'Debian python3-sklearn 1.2.1+dfsg-1 (bookworm)',
    originalFile: 'sklearn/datasets/data/breast_cancer.csv',
    conversion: 'written as label-first CSV, labels mapped to ±1 (2026-11-29, throw-away script)',
    licence: 'BSD-3-Clause (scikit-learn, licenses/scikit-learn.LICENSE); the data: UCI, CC BY 4.0',
    citation: 'W. Wolberg, W. Street, O. Mangasarian: Breast Cancer Wisconsin (Diagnostic), UCI',
  },
};
