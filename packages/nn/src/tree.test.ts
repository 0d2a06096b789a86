import { Rng, ShapeError, ValueError } from '@descent/tensor';
import { ready, tf } from '@descent/tensor/tf';
import { rebuildTree } from './grad';
import { disposeState, stateToJSON, treeFromJSON, treeToJSON } from './serialize';
import {
  addTrees,
  assertParamTree,
  axpyTree,
  disposeTree,
  dotTrees,
  flattenTree,
  lerpTrees,
  mapTree,
  mapTreeWithPath,
  scaleTree,
  selectGroups,
  subTrees,
  treeLeaves,
  treeNorm,
  treeShapes,
  treeSize,
  unflattenTree,
  zerosLikeTree,
} from './tree';

beforeAll(async () => {
  await ready();
});

const shapes = { a: { W: [2, 3], b: [3] }, z_last: { v: [4] } };

describe('parameter trees', () => {
  it('flatten and unflatten are inverse and follow tree order', () => {
    const x = new Rng(1).normalArray(13);
    const t = unflattenTree(x, shapes);
    expect(treeShapes(t)).toEqual(shapes);
    expect(treeSize(t)).toBe(13);
    expect(treeLeaves(t).map((l) => `${l.path.group}.${l.path.name}`)).toEqual(['a.W', 'a.b', 'z_last.v']);
    expect(Array.from(flattenTree(t))).toEqual(Array.from(Float32Array.from(x)));
    disposeTree(t);
  });

  it('rebuildTree puts leaves back in tree order (from a tree or its shapes) and checks the count', () => {
    const t = unflattenTree(new Rng(4).normalArray(13), shapes);
    const leaves = treeLeaves(t).map((l) => l.tensor);
    for (const like of [t, shapes]) {
      const r = rebuildTree(like, leaves);
      expect(treeLeaves(r).map((l) => l.tensor)).toEqual(leaves);
    }
    expect(() => rebuildTree(shapes, leaves.slice(1))).toThrow(ShapeError);
    expect(() => rebuildTree(shapes, null as never)).toThrow(/leaves/);
    expect(() => rebuildTree(null as never, leaves)).toThrow(/like/);
    disposeTree(t);
  });

  it('tree arithmetic matches the flat arithmetic, without leaks', () => {
    const rng = new Rng(2);
    const x = rng.normalArray(13);
    const y = rng.normalArray(13);
    const a = unflattenTree(x, shapes);
    const b = unflattenTree(y, shapes);
    const before = tf.memory().numTensors;
    const close = (t: ReturnType<typeof addTrees>, f: (i: number) => number) => {
      const v = flattenTree(t);
      for (let i = 0; i < 13; i++) expect(v[i]).toBeCloseTo(f(i), 5);
      disposeTree(t);
    };
    close(addTrees(a, b), (i) => x[i] + y[i]);
    close(subTrees(a, b), (i) => x[i] - y[i]);
    close(scaleTree(-2, a), (i) => -2 * x[i]);
    close(axpyTree(0.5, a, b), (i) => 0.5 * x[i] + y[i]);
    close(lerpTrees(a, b, 0.25), (i) => 0.75 * x[i] + 0.25 * y[i]);
    close(zerosLikeTree(a), () => 0);
    close(
      mapTreeWithPath((p, t) => (p.group === 'a' ? tf.neg(t) : tf.clone(t)), a),
      (i) => (i < 9 ? -x[i] : x[i]),
    );
    let dot = 0;
    let nn = 0;
    for (let i = 0; i < 13; i++) {
      dot += x[i] * y[i];
      nn += x[i] * x[i];
    }
    expect(dotTrees(a, b)).toBeCloseTo(dot, 4);
    expect(treeNorm(a)).toBeCloseTo(Math.sqrt(nn), 4);
    expect(tf.memory().numTensors).toBe(before);
    expect(Object.keys(selectGroups(a, ['z_last']))).toEqual(['z_last']);
    expect(() => selectGroups(a, ['nope'])).toThrow(ValueError);
    disposeTree(a);
    disposeTree(b);
  });

  it('round-trips through JSON bit for bit and validates what it reads', () => {
    const t = unflattenTree(new Rng(3).normalArray(13), shapes);
    const json = JSON.parse(JSON.stringify(treeToJSON(t)));
    const back = treeFromJSON(json, t);
    expect(Array.from(flattenTree(back))).toEqual(Array.from(flattenTree(t)));
    disposeTree(back);
    const before = tf.memory().numTensors;
    expect(() => treeFromJSON({ ...json, extra: json.a }, t)).toThrow(/unexpected group/);
    expect(() => treeFromJSON({ a: json.a }, t)).toThrow(/missing group "z_last"/);
    expect(() => treeFromJSON({ ...json, a: { W: json.a.W } }, t)).toThrow(/missing tensor "b"/);
    expect(() =>
      treeFromJSON({ ...json, a: { ...json.a, b: { shape: [4], data: json.a.b.data } } }, t),
    ).toThrow(ShapeError);
    expect(() => treeFromJSON({ ...json, a: { ...json.a, b: { shape: [3], data: 5 } } }, t)).toThrow(
      /params\.a\.b\.data must be a base64 string/,
    );
    expect(() => treeFromJSON(null)).toThrow(ValueError);
    expect(() => treeFromJSON({ '0': json.a })).toThrow(/group name/);
    expect(tf.memory().numTensors).toBe(before);
    disposeTree(t);
  });

  it('rejects malformed trees with typed errors naming the path', () => {
    expect(() => assertParamTree('params', null)).toThrow(ShapeError);
    expect(() => assertParamTree('params', { g: { w: [1, 2] } })).toThrow(
      /params\.g\.w must be a tf\.Tensor/,
    );
    expect(() => assertParamTree('params', { '1x': { w: tf.zeros([1]) } })).toThrow(/group name/);
    const t = tf.zeros([2]);
    t.dispose();
    expect(() => assertParamTree('params', { g: { w: t } })).toThrow(/disposed/);
    expect(() => unflattenTree([1, 2], shapes)).toThrow(/length 13/);
    expect(() => unflattenTree(new Array(13).fill(Number.NaN), shapes)).toThrow(/finite/);
  });
  it('every tree function names the bad argument (typed errors, nothing silently accepted)', () => {
    const a = unflattenTree(new Array(13).fill(1), shapes);
    const named = (f: () => unknown, type: typeof ShapeError | typeof ValueError, argument: string) => {
      try {
        f();
      } catch (e) {
        expect(e).toBeInstanceOf(type);
        expect((e as ShapeError).argument).toBe(argument);
        return;
      }
      throw new Error('no error');
    };
    named(() => addTrees([1, 2] as never, a), ShapeError, 'a');
    named(() => addTrees(a, { a: a.a } as never), ShapeError, 'b');
    named(() => scaleTree(Number.NaN, a), ValueError, 'alpha');
    named(() => lerpTrees(a, a, Number.POSITIVE_INFINITY), ValueError, 't');
    named(() => dotTrees(a, null as never), ShapeError, 'b');
    named(() => treeNorm(42 as never), ShapeError, 'a');
    named(() => mapTree((() => 1) as never, a), ValueError, 'fn');
    named(() => mapTree((x) => x, a, 'abc' as never), ShapeError, 'others[0]');
    named(() => selectGroups(a, null as never), ValueError, 'groups');
    named(() => disposeTree(42 as never), ShapeError, 'tree');
    named(() => disposeState(42), ValueError, 'state');
    named(() => stateToJSON([]), ValueError, 'state');
    named(() => assertParamTree(Number.NaN as never, a), ValueError, 'name');
    disposeTree(null); // a no-op, as in finally blocks
    disposeState(undefined);
    disposeTree(a);
  });
});
