import type { BitForest } from './bitwise.ts';
import {
  f64,
  i32,
  i64,
  local,
  select,
  type,
  wasmModule,
  when,
  whileLoop,
  ifElse,
  type Code,
  type ValueType,
} from './wasm-code.ts';

/** The parts of the WebAssembly API used here, which the project's TypeScript libraries do not declare. */
interface WebAssemblyApi {
  Memory: new (descriptor: { initial: number }) => { buffer: ArrayBuffer };
  Module: new (bytes: Uint8Array) => object;
  Instance: new (module: object, imports: object) => { exports: Record<string, unknown> };
}

const webAssembly = (globalThis as unknown as { WebAssembly: WebAssemblyApi }).WebAssembly;

/** Rows scored together, one bit each of a 64-bit mask. */
const groupRows = 64;
/** Rows copied into the kernel's memory at a time. */
const batchRows = 4096;

/** Byte offsets of the kernel's memory regions. */
interface Layout {
  cuts: number;
  nodes: number;
  treeNodes: number;
  leafAt: number;
  leaves: number;
  above: number;
  right: number;
  left: number;
  rowBins: number;
  at: number;
  went: number;
  columns: number;
  sums: number;
  /** Each row's path in each tree, one byte per tree, row after row (kernels that keep them). */
  paths: number;
  bytes: number;
}

function layoutOf(forest: BitForest, keepPaths: boolean): Layout {
  let bytes = 0;
  const region = (size: number) => {
    const start = bytes;
    bytes += Math.ceil(size / 8) * 8;
    return start;
  };
  const bins = Math.max(1, ...forest.cutCount) + 1;
  const regions = {
    cuts: region(forest.cuts.byteLength),
    nodes: region(forest.nodes.byteLength),
    treeNodes: region(forest.treeNodes.byteLength),
    leafAt: region(forest.leafAt.byteLength),
    leaves: region(forest.leaves.byteLength),
    above: region(forest.comparisons * 8),
    right: region(bins * 8),
    left: region(bins * 8),
    rowBins: region(groupRows * 4),
    at: region(256 * 8),
    went: region(8 * 8),
    columns: region(forest.features.length * batchRows * 8),
    sums: region(batchRows * 8),
    paths: region(keepPaths ? batchRows * forest.leafAt.length : 0),
  };
  return { ...regions, bytes };
}

/** Names the locals of the kernel function, after its one parameter (the number of rows). */
function localsOf<const N extends string>(
  names: Record<N, ValueType>,
): { index: Record<N, number>; types: ValueType[] } {
  const index = {} as Record<N, number>;
  const types: ValueType[] = [];
  for (const [name, t] of Object.entries(names) as [N, ValueType][]) {
    index[name] = 1 + types.length;
    types.push(t);
  }
  return { index, types };
}

const { index: v, types: localTypes } = localsOf({
  start: type.i32,
  n: type.i32,
  j: type.i32,
  r: type.i32,
  bin: type.i32,
  missing: type.i32,
  t: type.i32,
  k: type.i32,
  first: type.i32,
  end: type.i32,
  word: type.i32,
  leaves: type.i32,
  pathAt: type.i32,
  all: type.i64,
  bit: type.i64,
  acc: type.i64,
  rows: type.i64,
  goRight: type.i64,
  swap: type.i64,
  w0: type.i64,
  w1: type.i64,
  w2: type.i64,
  w3: type.i64,
  w4: type.i64,
  w5: type.i64,
  w6: type.i64,
  w7: type.i64,
  x0: type.f64,
  x1: type.f64,
  x2: type.f64,
  x3: type.f64,
  b0: type.i32,
  b1: type.i32,
  b2: type.i32,
  b3: type.i32,
});

const get = local.get;
const set = local.set;
/** `local += step` for an i32 local. */
const increment = (index: number, step: Code): Code => set(index, i32.add(get(index), step));
/** Address of element `index` of size `bytes` from `base`. */
const at = (base: Code, index: Code, bytes: number): Code => i32.add(base, i32.mul(index, i32.const(bytes)));

/** The constants of the code that compares one feature: addresses in bytes, -1 for a side no node uses. */
interface FeatureCode {
  column: number;
  cuts: number;
  /** Slots of the feature's thresholds, a power of two. */
  span: number;
  /** How many thresholds it has. */
  top: number;
  /** Where the masks above its thresholds go, for nodes that send missing values right and left. */
  right: number;
  left: number;
}

function featureCodes(forest: BitForest, layout: Layout): FeatureCode[] {
  const side = (entry: number) => (entry < 0 ? -1 : layout.above + 8 * entry);
  return Array.from(forest.features, (f, u) => ({
    column: layout.columns + u * batchRows * 8,
    cuts: layout.cuts + 8 * (forest.cutStart[f] ?? 0),
    span: forest.span[f] ?? 1,
    top: forest.cutCount[f] ?? 0,
    right: side(forest.rightAt[f] ?? -1),
    left: side(forest.leftAt[f] ?? -1),
  }));
}

/** Sets `bins[0..top]` to zero. */
function clearBins(bins: number, top: number): Code {
  return [
    ...set(v.j, i32.const(0)),
    ...whileLoop(
      i32.geS(i32.const(top), get(v.j)),
      i64.store(at(i32.const(bins), get(v.j), 8), i64.const(0n)),
      increment(v.j, i32.const(1)),
    ),
  ];
}

/** Puts in `above` from `side` on the rows above each threshold: `above[j - 1]` = rows in bins j and up. */
function accumulate(bins: number, top: number, side: number): Code {
  return [
    ...set(v.acc, i64.const(0n)),
    ...set(v.j, i32.const(top)),
    ...whileLoop(
      i32.geS(get(v.j), i32.const(1)),
      set(v.acc, i64.or(get(v.acc), i64.load(at(i32.const(bins), get(v.j), 8)))),
      i64.store(at(i32.const(side - 8), get(v.j), 8), get(v.acc)),
      increment(v.j, i32.const(-1)),
    ),
  ];
}

/** `bins[index] |= rows` for i64 masks. */
function mark(bins: number, index: Code, rows: Code): Code {
  return [
    ...set(v.j, at(i32.const(bins), index, 8)),
    ...i64.store(get(v.j), i64.or(i64.load(get(v.j)), rows)),
  ];
}

/** Locals of the four searches that go side by side: the values and their bins. */
const lanes = [
  [v.x0, v.b0],
  [v.x1, v.b1],
  [v.x2, v.b2],
  [v.x3, v.b3],
] as const;

/**
 * Puts in `rowBins[r]` how many of the feature's thresholds are below the value of each row r of the
 * group (0 for a missing value): a binary search, unrolled, over the thresholds padded to a power
 * of two with +Infinity, four rows side by side so that their loads overlap.
 */
function binRows(layout: Layout, feature: FeatureCode): Code {
  const value = (row: Code) => f64.load(at(i32.const(feature.column), i32.add(get(v.start), row), 8));
  const search = (lane: readonly (readonly [number, number])[]): Code[] => {
    const steps: Code[] = [];
    for (let half = feature.span >> 1; half > 0; half >>= 1) {
      for (const [x, bin] of lane) {
        const below = f64.lt(f64.load(at(i32.const(feature.cuts), get(bin), 8), 8 * (half - 1)), get(x));
        steps.push(set(bin, i32.add(get(bin), select(i32.const(half), i32.const(0), below))));
      }
    }
    return steps;
  };
  const start = (lane: readonly (readonly [number, number])[]) =>
    lane.flatMap(([x, bin], i) => [
      ...set(x, value(i32.add(get(v.r), i32.const(i)))),
      ...set(bin, i32.const(0)),
    ]);
  const finish = (lane: readonly (readonly [number, number])[]) =>
    lane.flatMap(([, bin], i) => i32.store(at(i32.const(layout.rowBins), get(v.r), 4), get(bin), 4 * i));
  const one = lanes.slice(0, 1);
  return [
    ...set(v.r, i32.const(0)),
    ...whileLoop(
      i32.ltU(i32.add(get(v.r), i32.const(3)), get(v.n)),
      start(lanes),
      ...search(lanes),
      finish(lanes),
      increment(v.r, i32.const(4)),
    ),
    ...whileLoop(
      i32.ltU(get(v.r), get(v.n)),
      start(one),
      ...search(one),
      finish(one),
      increment(v.r, i32.const(1)),
    ),
  ];
}

/**
 * Compares the group's rows with the thresholds of one feature: the rows of each bin give the
 * masks of rows above each threshold. A missing value is above every threshold for nodes that send
 * missing values right, and above none for the others.
 */
function compareFeature(layout: Layout, feature: FeatureCode): Code {
  const value = f64.load(at(i32.const(feature.column), i32.add(get(v.start), get(v.r)), 8));
  const rows: Code[] = [
    set(v.bin, i32.load(at(i32.const(layout.rowBins), get(v.r), 4))),
    set(v.bit, i64.shl(i64.const(1n), i64.extendI32U(get(v.r)))),
    set(v.missing, f64.ne(value, value)),
  ];
  const sides: Code[] = [];
  if (feature.right >= 0) {
    rows.push(mark(layout.right, select(i32.const(feature.top), get(v.bin), get(v.missing)), get(v.bit)));
    sides.push(clearBins(layout.right, feature.top));
  }
  if (feature.left >= 0) {
    rows.push(mark(layout.left, get(v.bin), select(i64.const(0n), get(v.bit), get(v.missing))));
    sides.push(clearBins(layout.left, feature.top));
  }
  return [
    ...binRows(layout, feature),
    ...sides.flat(),
    ...set(v.r, i32.const(0)),
    ...whileLoop(i32.ltU(get(v.r), get(v.n)), ...rows, increment(v.r, i32.const(1))),
    ...(feature.right >= 0 ? accumulate(layout.right, feature.top, feature.right) : []),
    ...(feature.left >= 0 ? accumulate(layout.left, feature.top, feature.left) : []),
  ];
}

/** Sends the group's rows down tree t: `went[d]` gets the rows that went right at depth d. */
function descendTree(layout: Layout): Code {
  const atNode = (index: Code) => at(i32.const(layout.at), index, 8);
  const went = (depth: number) => i64.store(i32.const(layout.went + 8 * depth), i64.const(0n));
  return [
    ...[0, 1, 2, 3, 4, 5, 6, 7].flatMap(went),
    ...i64.store(atNode(i32.const(0)), get(v.all)),
    ...set(v.first, i32.load(at(i32.const(layout.treeNodes), get(v.t), 4))),
    ...set(v.end, i32.load(at(i32.const(layout.treeNodes), get(v.t), 4), 4)),
    ...set(v.k, get(v.first)),
    ...whileLoop(
      i32.ltU(get(v.k), get(v.end)),
      set(v.rows, i64.load(atNode(i32.sub(get(v.k), get(v.first))))),
      set(v.j, at(i32.const(layout.nodes), get(v.k), 8)),
      set(v.goRight, i64.and(i64.load(at(i32.const(layout.above), i32.load(get(v.j)), 8)), get(v.rows))),
      set(v.word, i32.load(get(v.j), 4)),
      i64.store(atNode(i32.and(get(v.word), i32.const(255))), i64.xor(get(v.rows), get(v.goRight))),
      i64.store(atNode(i32.and(i32.shrU(get(v.word), i32.const(8)), i32.const(255))), get(v.goRight)),
      set(v.j, at(i32.const(layout.went), i32.shrU(get(v.word), i32.const(16)), 8)),
      i64.store(get(v.j), i64.or(i64.load(get(v.j)), get(v.goRight))),
      increment(v.k, i32.const(1)),
    ),
  ];
}

/** The locals holding the `went` masks of depths 0 to 7 while their bits are transposed. */
const planes = [v.w0, v.w1, v.w2, v.w3, v.w4, v.w5, v.w6, v.w7];

/** Swaps the bits `(planes[b] & mask)` with the bits `shift` places up in `planes[a]`. */
function swapBits(a: number, b: number, shift: bigint, mask: bigint): Code {
  const [high, low] = [planes[a] ?? 0, planes[b] ?? 0];
  return [
    ...set(v.swap, i64.and(i64.xor(i64.shrU(get(high), i64.const(shift)), get(low)), i64.const(mask))),
    ...set(low, i64.xor(get(low), get(v.swap))),
    ...set(high, i64.xor(get(high), i64.shl(get(v.swap), i64.const(shift)))),
  ];
}

/**
 * Turns the masks of rows that went right at each depth into each row's path: eight 8 × 8 bit
 * transposes side by side, one per byte, after which byte c of `planes[d]` is the path of row
 * 8c + d (bit b set when it went right at depth b).
 */
function transposePlanes(layout: Layout): Code {
  const swaps: Code[] = [];
  for (const [distance, mask] of [
    [4, 0x0f0f0f0f0f0f0f0fn],
    [2, 0x3333333333333333n],
    [1, 0x5555555555555555n],
  ] as const) {
    for (let a = 0; a < 8; a++)
      if ((a & distance) === 0) swaps.push(swapBits(a, a + distance, BigInt(distance), mask));
  }
  return [
    ...planes.flatMap((plane, d) => set(plane, i64.load(i32.const(layout.went + 8 * d)))),
    ...swaps.flat(),
  ];
}

/**
 * `sums[start + row] += leaves[path]` with the path of a row of the group; with `keep`, the path is
 * also stored as a byte at `keep.address + keep.offset`.
 */
function addLeaf(layout: Layout, row: Code, path: Code, keep?: { address: Code; offset: number }): Code {
  const leaf = keep ? get(v.bin) : path;
  return [
    ...(keep ? set(v.bin, path) : []),
    ...set(v.j, at(i32.const(layout.sums), i32.add(get(v.start), row), 8)),
    ...f64.store(get(v.j), f64.add(f64.load(get(v.j)), f64.load(at(get(v.leaves), leaf, 8)))),
    ...(keep ? i32.store8(keep.address, get(v.bin), keep.offset) : []),
  ];
}

/**
 * Adds tree t's leaf value to the sum of each row of the group, a full group without a loop; with
 * `trees` (the forest's tree count), also keeps each row's path in tree t among the paths.
 */
function addLeaves(layout: Layout, trees?: number): Code {
  const byte = (plane: Code, shift: Code) => i32.wrapI64(i64.and(i64.shrU(plane, shift), i64.const(255n)));
  const full: Code[] = [];
  for (let row = 0; row < groupRows; row++) {
    const path = byte(get(planes[row & 7] ?? 0), i64.const(BigInt(8 * (row >> 3))));
    const keep = trees === undefined ? undefined : { address: get(v.pathAt), offset: row * trees };
    full.push(addLeaf(layout, i32.const(row), path, keep));
  }
  const plane = i64.load(at(i32.const(layout.went), i32.and(get(v.r), i32.const(7)), 8));
  const partial = whileLoop(
    i32.ltU(get(v.r), get(v.n)),
    addLeaf(
      layout,
      get(v.r),
      byte(plane, i64.extendI32U(i32.mul(i32.shrU(get(v.r), i32.const(3)), i32.const(8)))),
      trees === undefined
        ? undefined
        : { address: i32.add(get(v.pathAt), i32.mul(get(v.r), i32.const(trees))), offset: 0 },
    ),
    increment(v.r, i32.const(1)),
  );
  // the paths of the group's first row start at paths[start × trees + t]
  const pathAt =
    trees === undefined
      ? []
      : set(
          v.pathAt,
          i32.add(i32.const(layout.paths), i32.add(i32.mul(get(v.start), i32.const(trees)), get(v.t))),
        );
  return [
    ...pathAt,
    ...set(v.leaves, at(i32.const(layout.leaves), i32.load(at(i32.const(layout.leafAt), get(v.t), 4)), 8)),
    ...transposePlanes(layout),
    ...ifElse(i32.eq(get(v.n), i32.const(groupRows)), full.flat(), [
      ...planes.flatMap((p, d) => i64.store(i32.const(layout.went + 8 * d), get(p))),
      ...set(v.r, i32.const(0)),
      ...partial,
    ]),
  ];
}

/**
 * The kernel `score(rows)`: adds each tree's leaf value, tree after tree, to `sums[i]` for the
 * first `rows` rows held in `columns`, 64 rows at a time; with `keepPaths`, it also keeps the path
 * each row took in each tree.
 */
function kernelOf(forest: BitForest, layout: Layout, keepPaths: boolean): Uint8Array {
  const trees = forest.leafAt.length;
  const body: Code[] = [
    set(v.start, i32.const(0)),
    whileLoop(
      i32.ltU(get(v.start), get(0)),
      set(v.n, i32.sub(get(0), get(v.start))),
      when(i32.geU(get(v.n), i32.const(groupRows)), set(v.n, i32.const(groupRows))),
      set(
        v.all,
        select(
          i64.const(-1n),
          i64.sub(i64.shl(i64.const(1n), i64.extendI32U(get(v.n))), i64.const(1n)),
          i32.eq(get(v.n), i32.const(groupRows)),
        ),
      ),
      ...featureCodes(forest, layout).map((feature) => compareFeature(layout, feature)),
      set(v.t, i32.const(0)),
      whileLoop(
        i32.ltU(get(v.t), i32.const(trees)),
        descendTree(layout),
        addLeaves(layout, keepPaths ? trees : undefined),
        increment(v.t, i32.const(1)),
      ),
      increment(v.start, i32.const(groupRows)),
    ),
  ];
  return wasmModule([{ name: 'score', params: 1, locals: localTypes, body }]);
}

/** Writes the forest's thresholds, nodes and leaves into the kernel's memory. */
function writeForest(forest: BitForest, layout: Layout, buffer: ArrayBuffer): void {
  new Float64Array(buffer, layout.cuts, forest.cuts.length).set(forest.cuts);
  new Int32Array(buffer, layout.nodes, forest.nodes.length).set(forest.nodes);
  new Int32Array(buffer, layout.treeNodes, forest.treeNodes.length).set(forest.treeNodes);
  new Int32Array(buffer, layout.leafAt, forest.leafAt.length).set(forest.leafAt);
  new Float64Array(buffer, layout.leaves, forest.leaves.length).set(forest.leaves);
}

/**
 * A bitwise forest compiled to WebAssembly (see `BitForest`): rows are copied into its memory a
 * batch at a time and scored there, 64 at a time. Each row reaches the same leaves as by tree
 * traversal, and its leaf values are added in tree order, so the scores are the same to the bit.
 */
export class BitKernel {
  private readonly layout: Layout;
  private readonly memory: { buffer: ArrayBuffer };
  private readonly score: (rows: number) => void;
  /** Whether the kernel keeps each row's path in each tree (see `addScores`). */
  readonly keepsPaths: boolean;
  /** Where tree t's leaves start, for the paths `addScores` keeps. */
  readonly leafAt: Int32Array;

  constructor(
    private readonly forest: BitForest,
    options: { keepPaths?: boolean } = {},
  ) {
    this.keepsPaths = options.keepPaths ?? false;
    this.leafAt = forest.leafAt;
    this.layout = layoutOf(forest, this.keepsPaths);
    this.memory = new webAssembly.Memory({ initial: Math.ceil(this.layout.bytes / 65536) });
    writeForest(forest, this.layout, this.memory.buffer);
    const module = new webAssembly.Module(kernelOf(forest, this.layout, this.keepsPaths));
    const instance = new webAssembly.Instance(module, { env: { memory: this.memory } });
    this.score = instance.exports.score as (rows: number) => void;
  }

  /**
   * Adds the raw scores of every row of column-major data to `out`, adding tree values in tree
   * order. With `paths` (a kernel that keeps them), `paths[i × trees + t]` gets the path row i took
   * in tree t, which indexes the tree's leaves from `leafAt[t]` (see BitForest).
   */
  addScores(columns: readonly Float64Array[], rows: number, out: Float64Array, paths?: Uint8Array): void {
    const { buffer } = this.memory;
    const { features } = this.forest;
    const trees = this.forest.leafAt.length;
    if (paths && (!this.keepsPaths || paths.length < rows * trees))
      throw new Error('paths need a kernel that keeps them and a byte per row and tree');
    const sums = new Float64Array(buffer, this.layout.sums, batchRows);
    for (let start = 0; start < rows; start += batchRows) {
      const n = Math.min(batchRows, rows - start);
      features.forEach((f, u) => {
        const column = (columns[f] as Float64Array).subarray(start, start + n);
        new Float64Array(buffer, this.layout.columns + u * batchRows * 8, n).set(column);
      });
      sums.set(out.subarray(start, start + n));
      this.score(n);
      out.set(sums.subarray(0, n), start);
      if (paths) paths.set(new Uint8Array(buffer, this.layout.paths, n * trees), start * trees);
    }
  }
}
