/**
 * The README's runnable example, run as a test: each `// prints:` value must match what the code
 * computes (`~x` allows 5%, as the consumer check does).
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { cliffRadius, robustAccuracyCurve } from './attacks';
import { makeClusterData } from './clusterData';
import { averagingScore, decouplingScore } from './diagnostics';
import { trainGD } from './fullBatchGD';
import {
  type BinaryReadout,
  type TwoLayerParams,
  type TwoLayerReLU,
  binaryReLU,
  binaryReadout,
  multiClassReLU,
} from './twoLayerReLU';

function matches(token: string, value: string): boolean {
  if (token.startsWith('~')) {
    const want = Number(token.slice(1));
    return Math.abs(Number(value) - want) <= 0.05 * Math.abs(want);
  }
  return token === value;
}

describe('README example', () => {
  it('prints what its // prints: comments say', () => {
    const readme = readFileSync(join(__dirname, '..', 'README.md'), 'utf8');
    const example = /```ts\n([\s\S]*?)```/.exec(readme)?.[1] ?? '';
    const promised = [...example.matchAll(/\/\/ prints: (.*)$/gm)].map((m) => m[1].trim().split(/\s+/));
    const k = 8;
    const d = 256;
    const { train, test, centers } = makeClusterData({ k, d, nTrain: 400, nTest: 200, seed: 0 });
    const bin = binaryReLU({ d, m: 4 });
    const mc = multiClassReLU({ d, k });
    const gd = { learningRate: 0.05, maxSteps: 200 };
    const binParams = trainGD(bin, bin.init(1), train, gd).params;
    const mcParams = trainGD(mc, mc.init(1), train, gd).params;
    const radii = [0.5, 0.75, 1, 1.25, 1.5, 1.75, 2, 2.25].map((f) => f * Math.sqrt(d / k));
    const cliff = (model: TwoLayerReLU, params: TwoLayerParams, readout: BinaryReadout) =>
      cliffRadius(radii, robustAccuracyCurve(model, params, readout, test.X, test.y, { radii, steps: 20 }));
    const binCliff = cliff(bin, binParams, binaryReadout(bin));
    const mcCliff = cliff(mc, mcParams, binaryReadout(mc, train.positive));
    const printed = [
      [averagingScore(bin, binParams, centers, train.positive).inClass.toFixed(2)],
      [decouplingScore(mc, mcParams, centers).diagonal.toFixed(2)],
      [binCliff.toFixed(1), mcCliff.toFixed(1), (mcCliff / binCliff).toFixed(2)],
    ];
    expect(promised.length).toBe(printed.length);
    promised.forEach((tokens, i) => {
      expect(tokens.length).toBe(printed[i].length);
      tokens.forEach((t, j) => {
        expect(`${t} ≈ ${printed[i][j]}: ${matches(t, printed[i][j])}`).toBe(`${t} ≈ ${printed[i][j]}: true`);
      });
    });
  });
});
