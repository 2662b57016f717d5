/**
 * Histogram building in WebAssembly: the inner loop of training (see histogram.ts), which adds each
 * row's gradient, hessian and 1 to the bin of the row in each feature. The kernel's memory holds the
 * binned columns, the node's rows with their gradients and hessians, and the histograms themselves,
 * which the pool hands out as views. WebAssembly adds in the same order as the JavaScript loop it
 * replaces, so the histograms, and the trees grown from them, are the same to the bit.
 */
import type { BinnedDataset } from './binning.ts';
import {
  f64,
  i32,
  local,
  type,
  v128,
  wasmModule,
  whileLoop,
  type Code,
  type ValueType,
  type WasmFunction,
} from './wasm-code.ts';

/** The parts of the WebAssembly API used here, which the project's TypeScript libraries do not declare. */
interface WebAssemblyApi {
  Memory: new (descriptor: { initial: number }) => { buffer: ArrayBuffer };
  Module: new (bytes: Uint8Array) => object;
  Instance: new (module: object, imports: object) => { exports: Record<string, unknown> };
}

const webAssembly = (globalThis as unknown as { WebAssembly: WebAssemblyApi }).WebAssembly;

/** Features added per pass over the rows, as in the JavaScript loop. */
export const kernelWidth = 4;

/** Byte offsets of the kernel's memory regions. */
interface Layout {
  /** A node's rows copied from elsewhere, as u32. */
  rows: number;
  /** The training's sampled rows (`GrowInput.rows`), and scratch as long, as u32. */
  sampled: number;
  scratch: number;
  /** Whether each bin goes left, a byte each. */
  goesLeft: number;
  /** Where `partition` writes its result, an i32. */
  result: number;
  /** The node's gradient and hessian pairs, as f64. */
  gathered: number;
  /** Binned columns, one byte per row, column after column. */
  bins: number;
  /** Histogram slots, `histogramBytes` each. */
  histograms: number;
  bytes: number;
}

/**
 * The function `add<k>(rowsAt, n, a0, c0, …, a{k-1}, c{k-1})`: for the n node rows (u32 from byte
 * rowsAt) and their gathered pairs, adds gradient, hessian and 1 to the three f64 at
 * `a_j + 24 × bin`, bin being the byte at `c_j + row`.
 */
function addFunction(k: number, layout: Layout): WasmFunction {
  const rowsAt = 0;
  const n = 1;
  const a = (j: number) => 2 + 2 * j;
  const c = (j: number) => 3 + 2 * j;
  const at = 2 + 2 * k; // byte offset into the node's rows
  const row = at + 1;
  const slot = row + 1;
  const gh = slot + 1;
  const locals: ValueType[] = [type.i32, type.i32, type.i32, type.v128];
  const get = local.get;
  // gradient and hessian as one pair of f64 lanes: each lane adds as f64.add would
  const perFeature = (j: number): Code[] => [
    local.set(slot, i32.add(get(a(j)), i32.mul(i32.load8U(i32.add(get(c(j)), get(row))), i32.const(24)))),
    v128.store(get(slot), v128.f64x2Add(v128.load(get(slot)), get(gh))),
    f64.store(get(slot), f64.add(f64.load(get(slot), 16), f64.const(1)), 16),
  ];
  const features: Code[] = [];
  for (let j = 0; j < k; j++) features.push(...perFeature(j));
  const body: Code[] = [
    local.set(at, i32.const(0)),
    whileLoop(
      i32.ltU(get(at), i32.mul(get(n), i32.const(4))),
      local.set(row, i32.load(i32.add(get(at), get(rowsAt)))),
      local.set(gh, v128.load(i32.add(i32.mul(get(at), i32.const(4)), i32.const(layout.gathered)))),
      ...features,
      local.set(at, i32.add(get(at), i32.const(4))),
    ),
  ];
  return { name: `add${k}`, params: 2 + 2 * k, locals, body };
}

/** The function `sub(p, c, n)`: subtracts the n f64 at byte c from those at byte p, in place. */
function subFunction(): WasmFunction {
  const [p, c, n, end] = [0, 1, 2, 3];
  const get = local.get;
  return {
    name: 'sub',
    params: 3,
    locals: [type.i32],
    body: [
      local.set(end, i32.add(get(p), i32.mul(get(n), i32.const(8)))),
      whileLoop(
        i32.ltU(get(p), get(end)),
        f64.store(get(p), f64.sub(f64.load(get(p)), f64.load(get(c)))),
        local.set(p, i32.add(get(p), i32.const(8))),
        local.set(c, i32.add(get(c), i32.const(8))),
      ),
    ],
  };
}

/**
 * The function `partition(rowsAt, n, column)`: the stable partition of tree.ts, over the n u32 from
 * byte rowsAt, by the byte of `goesLeft` that each row's bin (the byte at column + row) selects;
 * rows going right are left in scratch, and the number going left is written at `result`.
 */
function partitionFunction(layout: Layout): WasmFunction {
  const [rowsAt, n, column, end, left, right, row, toLeft] = [0, 1, 2, 3, 4, 5, 6, 7];
  const get = local.get;
  return {
    name: 'partition',
    params: 3,
    locals: [type.i32, type.i32, type.i32, type.i32, type.i32],
    body: [
      local.set(end, i32.add(get(rowsAt), i32.mul(get(n), i32.const(4)))),
      local.set(left, get(rowsAt)),
      local.set(right, i32.const(layout.scratch)),
      whileLoop(
        i32.ltU(get(rowsAt), get(end)),
        local.set(row, i32.load(get(rowsAt))),
        local.set(
          toLeft,
          i32.load8U(i32.add(i32.load8U(i32.add(get(column), get(row))), i32.const(layout.goesLeft))),
        ),
        i32.store(get(left), get(row)),
        i32.store(get(right), get(row)),
        local.set(left, i32.add(get(left), i32.mul(get(toLeft), i32.const(4)))),
        local.set(right, i32.add(get(right), i32.mul(i32.sub(i32.const(1), get(toLeft)), i32.const(4)))),
        local.set(rowsAt, i32.add(get(rowsAt), i32.const(4))),
      ),
      i32.store(
        i32.const(layout.result),
        i32.shrU(i32.sub(get(left), i32.sub(get(end), i32.mul(get(n), i32.const(4)))), i32.const(2)),
      ),
    ],
  };
}

type Add = (rowsAt: number, n: number, ...regions: number[]) => void;

/** A kernel for one binned dataset, with room for `slots` histograms of `histogramLength` f64. */
export class HistogramKernel {
  private readonly layout: Layout;
  private readonly memory: { buffer: ArrayBuffer };
  private readonly adds: Add[];
  private readonly sub: (p: number, c: number, n: number) => void;
  /** The training's sampled rows, which `partition` reorders in place. */
  readonly sampled: Uint32Array;
  /** Scratch as long as `sampled`. */
  readonly scratch: Uint32Array;
  /** Whether each bin goes left in the split `partition` applies. */
  readonly goesLeft: Uint8Array;
  private readonly copied: Uint32Array;
  private readonly result: Int32Array;
  private readonly partitionRows: (rowsAt: number, n: number, column: number) => void;
  /** The node's gradients and hessians in turn, to be filled before `add`. */
  readonly gathered: Float64Array;
  /** Free histogram views. */
  private readonly free: Float64Array[] = [];

  constructor(
    private readonly binned: BinnedDataset,
    histogramLength: number,
    slots: number,
  ) {
    const { rows } = binned;
    let bytes = 0;
    const region = (size: number) => {
      const start = bytes;
      bytes += Math.ceil(size / 8) * 8;
      return start;
    };
    const histogramBytes = histogramLength * 8;
    this.layout = {
      rows: region(rows * 4),
      sampled: region(rows * 4),
      scratch: region(rows * 4),
      goesLeft: region(256),
      result: region(8),
      gathered: region(rows * 16),
      bins: region(rows * binned.bins.length),
      histograms: region(histogramBytes * slots),
      bytes: 0,
    };
    this.layout.bytes = bytes;
    this.memory = new webAssembly.Memory({ initial: Math.max(1, Math.ceil(bytes / 65536)) });
    const { buffer } = this.memory;
    this.copied = new Uint32Array(buffer, this.layout.rows, rows);
    this.sampled = new Uint32Array(buffer, this.layout.sampled, rows);
    this.scratch = new Uint32Array(buffer, this.layout.scratch, rows);
    this.goesLeft = new Uint8Array(buffer, this.layout.goesLeft, 256);
    this.result = new Int32Array(buffer, this.layout.result, 1);
    this.gathered = new Float64Array(buffer, this.layout.gathered, 2 * rows);
    binned.bins.forEach((column, f) => new Uint8Array(buffer, this.layout.bins + f * rows, rows).set(column));
    for (let s = slots - 1; s >= 0; s--)
      this.free.push(new Float64Array(buffer, this.layout.histograms + s * histogramBytes, histogramLength));
    const functions = Array.from({ length: kernelWidth }, (_, j) => addFunction(j + 1, this.layout));
    const module = new webAssembly.Module(
      wasmModule([...functions, subFunction(), partitionFunction(this.layout)]),
    );
    const instance = new webAssembly.Instance(module, { env: { memory: this.memory } });
    this.adds = functions.map((f) => instance.exports[f.name] as Add);
    this.sub = instance.exports.sub as (p: number, c: number, n: number) => void;
    this.partitionRows = instance.exports.partition as (rowsAt: number, n: number, column: number) => void;
  }

  /** A histogram in the kernel's memory, or undefined when every slot is taken. */
  take(): Float64Array | undefined {
    return this.free.pop();
  }

  /** Returns a histogram `take` gave. */
  give(hist: Float64Array): void {
    this.free.push(hist);
  }

  /** Whether `hist` lives in the kernel's memory (came from `take`). */
  holds(hist: Float64Array): boolean {
    return hist.buffer === this.memory.buffer;
  }

  /**
   * Subtracts `child` from `parent` (both held by the kernel) over `n` f64 from index `at`, as
   * `parent[k] -= child[k]` in JavaScript would.
   */
  subtract(parent: Float64Array, child: Float64Array, at: number, n: number): void {
    this.sub(parent.byteOffset + at * 8, child.byteOffset + at * 8, n);
  }

  /**
   * Where `rows[start..end)` is in the kernel's memory: in place for `sampled`, otherwise copied
   * (for the next `add` only).
   */
  rowsAt(rows: Uint32Array, start: number, end: number): number {
    if (rows.buffer === this.memory.buffer) return rows.byteOffset + start * 4;
    this.copied.set(rows.subarray(start, end));
    return this.layout.rows;
  }

  /**
   * Adds `n` rows (at byte `rowsAt`, see `rowsAt`) and the first n pairs of `gathered` to the
   * regions of features `f[j..j+k)` in `hist` (one the kernel holds), whose regions are `width` f64
   * each; k is 1 to `kernelWidth`.
   */
  add(
    hist: Float64Array,
    features: Int32Array,
    j: number,
    k: number,
    width: number,
    rowsAt: number,
    n: number,
  ): void {
    const regions: number[] = [];
    for (let u = j; u < j + k; u++) {
      const f = features[u] ?? 0;
      regions.push(hist.byteOffset + f * width * 8, this.layout.bins + f * this.binned.rows);
    }
    this.adds[k - 1]?.(rowsAt, n, ...regions);
  }

  /**
   * Partitions `sampled[start..end)` stably by `goesLeft` of each row's bin of feature f, as tree.ts
   * does; returns where the right side begins.
   */
  partition(start: number, end: number, f: number): number {
    this.partitionRows(this.layout.sampled + start * 4, end - start, this.layout.bins + f * this.binned.rows);
    const left = start + (this.result[0] ?? 0);
    this.sampled.set(this.scratch.subarray(0, end - left), left);
    return left;
  }
}
