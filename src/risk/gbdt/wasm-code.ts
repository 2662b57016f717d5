/**
 * A small writer of WebAssembly code: expressions are built by the functions below, named after
 * the instructions they emit, and `wasmModule` wraps function bodies into a module that imports
 * its memory as `env.memory`. Only what the scoring kernel needs is here.
 */

/** The bytes of an expression or statement, in nested arrays that `wasmModule` flattens. */
export type Code = readonly (number | Code)[];

/** Value types of locals. */
export const type = { i32: 0x7f, i64: 0x7e, f64: 0x7c, v128: 0x7b } as const;
export type ValueType = (typeof type)[keyof typeof type];

function unsigned(value: number): number[] {
  const bytes: number[] = [];
  do {
    let byte = value & 0x7f;
    value = Math.floor(value / 128);
    if (value > 0) byte |= 0x80;
    bytes.push(byte);
  } while (value > 0);
  return bytes;
}

/** Signed LEB128 of a 32-bit integer. */
function signed32(value: number): number[] {
  const bytes: number[] = [];
  for (;;) {
    const byte = value & 0x7f;
    value >>= 7;
    if ((value === 0 && (byte & 0x40) === 0) || (value === -1 && (byte & 0x40) !== 0)) {
      bytes.push(byte);
      return bytes;
    }
    bytes.push(byte | 0x80);
  }
}

/** Signed LEB128 of a 64-bit integer. */
function signed(value: bigint): number[] {
  const bytes: number[] = [];
  for (;;) {
    const byte = Number(value & 0x7fn);
    value >>= 7n;
    if ((value === 0n && (byte & 0x40) === 0) || (value === -1n && (byte & 0x40) !== 0)) {
      bytes.push(byte);
      return bytes;
    }
    bytes.push(byte | 0x80);
  }
}

const op =
  (opcode: number) =>
  (...operands: Code[]): Code => [...operands, opcode];

/** An instruction of several opcode bytes (SIMD), after its operands. */
function op2(...opcode: number[]) {
  return (...operands: Code[]): Code => [...operands, ...opcode];
}

/** A memory access at address + offset bytes (offsets are constant). */
const access =
  (opcode: number, align: number) =>
  (address: Code, offset = 0): Code => [address, opcode, align, unsigned(offset)];
const write =
  (opcode: number, align: number) =>
  (address: Code, value: Code, offset = 0): Code => [address, value, opcode, align, unsigned(offset)];

export const i32 = {
  const: (value: number): Code => [0x41, signed32(value | 0)],
  load: access(0x28, 2),
  /** Loads one byte, unsigned. */
  load8U: access(0x2d, 0),
  store: write(0x36, 2),
  /** Stores the low byte of the value. */
  store8: write(0x3a, 0),
  eqz: op(0x45),
  eq: op(0x46),
  ne: op(0x47),
  ltU: op(0x49),
  geS: op(0x4e),
  geU: op(0x4f),
  add: op(0x6a),
  sub: op(0x6b),
  mul: op(0x6c),
  and: op(0x71),
  shl: op(0x74),
  shrU: op(0x76),
  wrapI64: op(0xa7),
};

export const i64 = {
  const: (value: bigint): Code => [0x42, signed(BigInt.asIntN(64, value))],
  load: access(0x29, 3),
  store: write(0x37, 3),
  sub: op(0x7d),
  and: op(0x83),
  or: op(0x84),
  xor: op(0x85),
  shl: op(0x86),
  shrU: op(0x88),
  extendI32U: op(0xad),
};

export const f64 = {
  const: (value: number): Code => {
    const bytes = new DataView(new ArrayBuffer(8));
    bytes.setFloat64(0, value, true);
    return [0x44, [...new Uint8Array(bytes.buffer)]];
  },
  load: access(0x2b, 3),
  store: write(0x39, 3),
  ne: op(0x62),
  lt: op(0x63),
  add: op(0xa0),
  sub: op(0xa1),
};

/** 128-bit vectors (fixed-width SIMD), used as two f64 lanes. */
export const v128 = {
  load: (address: Code, offset = 0): Code => [address, 0xfd, 0x00, 3, unsigned(offset)],
  store: (address: Code, value: Code, offset = 0): Code => [address, value, 0xfd, 0x0b, 3, unsigned(offset)],
  /** Lane-wise addition of two f64 pairs. */
  f64x2Add: op2(0xfd, 0xf0, 0x01),
};

/** Local variable access; locals are numbered after the function's parameters. */
export const local = {
  get: (index: number): Code => [0x20, unsigned(index)],
  set: (index: number, value: Code): Code => [value, 0x21, unsigned(index)],
};

/** `condition ? a : b` for two values of the same type, both evaluated. */
export const select = (a: Code, b: Code, condition: Code): Code => [a, b, condition, 0x1b];

/** Runs `body` while `condition` holds (checked before each pass). */
export function whileLoop(condition: Code, ...body: Code[]): Code {
  // block { loop { br_if 1 (!condition); body; br 0 } }
  return [0x02, 0x40, 0x03, 0x40, condition, 0x45, 0x0d, 1, body, 0x0c, 0, 0x0b, 0x0b];
}

/** Runs `body` when `condition` holds. */
export function when(condition: Code, ...body: Code[]): Code {
  return [condition, 0x04, 0x40, body, 0x0b];
}

/** Runs `then` when `condition` holds, `otherwise` when it does not. */
export function ifElse(condition: Code, then: Code, otherwise: Code): Code {
  return [condition, 0x04, 0x40, then, 0x05, otherwise, 0x0b];
}

/** A function of i32 parameters returning nothing, with extra locals of the given types. */
export interface WasmFunction {
  name: string;
  params: number;
  locals: ValueType[];
  body: Code[];
}

/** The bytes of nested code, in order, appended to `bytes`. */
function flatten(code: Code, bytes: number[] = []): number[] {
  for (const part of code) {
    if (typeof part === 'number') bytes.push(part);
    else flatten(part, bytes);
  }
  return bytes;
}

/** A section: its id, byte size, item count and items. */
function section(id: number, items: readonly number[][]): number[] {
  const content = unsigned(items.length);
  for (const item of items) for (const byte of item) content.push(byte);
  const bytes = [id, ...unsigned(content.length)];
  for (const byte of content) bytes.push(byte);
  return bytes;
}

function name(text: string): number[] {
  return [...unsigned(text.length), ...[...text].map((c) => c.charCodeAt(0))];
}

/** The binary of a module importing `env.memory` and exporting the functions by name. */
export function wasmModule(functions: readonly WasmFunction[]): Uint8Array {
  const types = functions.map((f) => [
    0x60,
    ...unsigned(f.params),
    ...Array<number>(f.params).fill(type.i32),
    0,
  ]);
  const bodies = functions.map((f) => {
    const content = flatten(f.body, [...unsigned(f.locals.length), ...f.locals.flatMap((t) => [1, t])]);
    content.push(0x0b);
    return [...unsigned(content.length), ...content];
  });
  const sections = [
    [0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00],
    section(1, types),
    section(2, [[...name('env'), ...name('memory'), 0x02, 0x00, 0x00]]),
    section(
      3,
      functions.map((_, i) => unsigned(i)),
    ),
    section(
      7,
      functions.map((f, i) => [...name(f.name), 0x00, ...unsigned(i)]),
    ),
    section(10, bodies),
  ];
  const module = new Uint8Array(sections.reduce((size, bytes) => size + bytes.length, 0));
  let at = 0;
  for (const bytes of sections) {
    module.set(bytes, at);
    at += bytes.length;
  }
  return module;
}
