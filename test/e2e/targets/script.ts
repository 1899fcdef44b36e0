// The allocation script both targets run, step by step: the one source of truth. The builder
// turns it into script.h / script.rs, and the tests replay it on the core model to know what the
// heap must look like at each checkpoint. Sizes stay small so one script fits every heap variant
// (4 KiB to 1 MiB, minimum block 32 B).

export type ScriptOp =
  | { readonly kind: 'alloc'; readonly slot: number; readonly size: number; readonly align: number }
  | { readonly kind: 'free'; readonly slot: number };

export interface ScriptStep {
  /** The argument `checkpoint` gets after this step's operations. */
  readonly step: number;
  readonly what: string;
  readonly ops: readonly ScriptOp[];
}

/** The argument of the endless checkpoint calls after the script (C) or the last one (Rust). */
export const FINAL_STEP = 0xffff;

const alloc = (slot: number, size: number, align: number): ScriptOp => ({ kind: 'alloc', slot, size, align });
const free = (slot: number): ScriptOp => ({ kind: 'free', slot });
const range = (from: number, to: number, by = 1): number[] => Array.from({ length: Math.ceil((to - from) / by) }, (_, i) => from + i * by);

/** Slots 10..33 hold the fill allocations of steps 5, 6 and 8. */
const FILL = range(10, 34);

export const HEAP_SCRIPT: readonly ScriptStep[] = [
  { step: 0, what: 'fresh heap: one top-order block', ops: [] },
  { step: 1, what: 'a minimum block: the top block splits all the way down', ops: [alloc(0, 8, 8)] },
  { step: 2, what: '100 B rounds up to 128; 32 B aligned to 64 takes a 64 B block', ops: [alloc(1, 100, 4), alloc(2, 32, 64)] },
  { step: 3, what: 'a 1 KiB block and one more minimum block', ops: [alloc(3, 1000, 8), alloc(4, 16, 16)] },
  { step: 4, what: 'two frees, the second merging with its buddy', ops: [free(0), free(4)] },
  { step: 5, what: '24 small allocations', ops: FILL.map(slot => alloc(slot, 24, 4)) },
  { step: 6, what: 'every other small block freed: fragmentation, nothing merges', ops: FILL.filter((_, i) => i % 2 === 0).map(free) },
  { step: 7, what: 'requests that fail: too large, and an alignment above 4096', ops: [alloc(5, 1 << 21, 8), alloc(6, 32, 8192)] },
  { step: 8, what: 'the rest of the small blocks freed: buddies merge back', ops: FILL.filter((_, i) => i % 2 === 1).map(free) },
  { step: 9, what: 'everything freed: the heap is whole again (C; std still holds blocks in Rust)', ops: [free(1), free(2), free(3)] },
];

const OP_CODES = { alloc: 1, free: 2, checkpoint: 3 } as const;

/** The script flattened as both programs run it: each step's operations, then its checkpoint. */
function flatten(script: readonly ScriptStep[]): { kind: number; slot: number; step: number; size: number; align: number }[] {
  return script.flatMap(s => [
    ...s.ops.map(op => op.kind === 'alloc'
      ? { kind: OP_CODES.alloc, slot: op.slot, step: s.step, size: op.size, align: op.align }
      : { kind: OP_CODES.free, slot: op.slot, step: s.step, size: 0, align: 0 }),
    { kind: OP_CODES.checkpoint, slot: 0, step: s.step, size: 0, align: 0 },
  ]);
}

/** script.h for the firmware: `struct script_op` is declared in fw.c. */
export function scriptToC(script: readonly ScriptStep[]): string {
  const ops = flatten(script);
  const rows = ops.map(o => `  { ${o.kind}, ${o.slot}, ${o.step}, ${o.size}u, ${o.align}u },`);
  return `/* Generated from test/e2e/targets/script.ts: do not edit. */\n#define SCRIPT_LENGTH ${ops.length}u\nstatic const struct script_op SCRIPT[SCRIPT_LENGTH] = {\n${rows.join('\n')}\n};\n`;
}

/** script.rs for the Rust program: `ScriptOp` is declared in prog.rs. */
export function scriptToRust(script: readonly ScriptStep[]): string {
  const ops = flatten(script);
  const rows = ops.map(o => `    ScriptOp { kind: ${o.kind}, slot: ${o.slot}, step: ${o.step}, size: ${o.size}, align: ${o.align} },`);
  return `// Generated from test/e2e/targets/script.ts: do not edit.\nstatic SCRIPT: [ScriptOp; ${ops.length}] = [\n${rows.join('\n')}\n];\n`;
}
