// The heap snapshot file (`*.buddyheap`), version 1: what a saved stop or history holds once read
// and checked. See README.md next to this file for the JSON text and why JSON.
import type { Endianness, HeapLayout, PointerWidth } from '../layout';
import type { HeapStructFields } from '../model/buddyHeap';
import type { RootRegion } from '../ownership/types';

export const SNAPSHOT_FORMAT = 'buddy-heap-snapshot';
export const SNAPSHOT_VERSION = 1;
export const SNAPSHOT_EXTENSION = '.buddyheap';

/**
 * Limits a reader enforces before it allocates anything, so a hostile file costs bounded memory
 * and time. A real sparse history is far below them; a full read of a 16 MiB heap at 64 stops is
 * 1 GiB of bytes and is refused (save fewer steps, or read sparsely).
 */
export const SNAPSHOT_LIMITS = {
  /** Characters of JSON text read at all. */
  maxTextLength: 256 * 1024 * 1024,
  maxSteps: 4096,
  /** Known byte ranges in one step. */
  maxRangesPerStep: 1_000_000,
  /** Known bytes over all steps together (hex text is twice this). */
  maxTotalBytes: 96 * 1024 * 1024,
  maxOperations: 1_000_000,
  /** Characters in any free-text field (labels, reasons, paths). */
  maxTextField: 4096,
  /** Roots of one stop's ownership scan, and their pointer slots together. */
  maxRoots: 100_000,
  maxSlots: 1_000_000,
} as const;

/** The program the heap belongs to, when the debugger said. */
export interface SnapshotProgram {
  readonly path?: string;
  readonly buildId?: string;
}

/** The frame a live stop was read in. */
export interface SnapshotFrame {
  readonly id?: number;
  readonly name?: string;
}

/** One stop of a live heap: the struct's fields and the bytes that were read (every other byte was not). */
export interface SnapshotStop {
  /** The history line, e.g. "stop 3: breakpoint". */
  readonly text: string;
  /** The debug adapter's stopped-event reason and description. */
  readonly reason?: string;
  readonly description?: string;
  /** When the stop was read, ISO 8601. */
  readonly time: string;
  readonly frame?: SnapshotFrame;
  readonly fields: HeapStructFields;
  /** Bytes in the heap image the stop was read into (the struct's heap size, or 0 when too large to read). */
  readonly imageSize: number;
  /** Known bytes as [heap offset, bytes], in address order, not overlapping, not adjacent. */
  readonly memory: readonly (readonly [number, Uint8Array])[];
  /** What the ownership scan read at this stop, when it ran: a reopened file scans it again. */
  readonly ownership?: SnapshotOwnership;
}

/**
 * The ownership scan's inputs: the roots it took (statics with their pointer slots, stacks,
 * registers), the target bytes it read for them, and the heap struct (never a root). The heap
 * bytes it read (allocated blocks) are in the stop's `memory` with the rest.
 */
export interface SnapshotOwnership {
  readonly roots: readonly RootRegion[];
  /** Target memory read for the roots as [address, bytes], in address order, not overlapping. */
  readonly rootMemory: readonly (readonly [bigint, Uint8Array])[];
  readonly heapStruct: { readonly address: bigint; readonly size: number };
}

export type SnapshotOperation =
  | { readonly kind: 'alloc'; readonly size: bigint; readonly align: bigint; readonly owner?: string }
  | { readonly kind: 'free'; readonly address: bigint; readonly size: bigint; readonly align: bigint };

interface SnapshotCommon {
  /** The heap's name (a setting's name, an expression, or "Simulated heap"). */
  readonly name: string;
  /** When the file was written, ISO 8601. */
  readonly savedAt: string;
  readonly program?: SnapshotProgram;
  /** The step shown when saved (what a reopened file shows first). */
  readonly shownStep: number;
}

export interface LiveSnapshotFile extends SnapshotCommon {
  readonly kind: 'live';
  readonly pointerWidth: PointerWidth;
  readonly endianness: Endianness;
  readonly stops: readonly SnapshotStop[];
}

/** A simulation: its layout and operations; step k is the heap after the first k operations. */
export interface SimulatedSnapshotFile extends SnapshotCommon {
  readonly kind: 'simulated';
  readonly layout: HeapLayout;
  readonly operations: readonly SnapshotOperation[];
}

export type SnapshotFile = LiveSnapshotFile | SimulatedSnapshotFile;

/** Steps in a snapshot: one per stop, or the fresh heap plus one per operation. */
export function stepCount(file: SnapshotFile): number {
  return file.kind === 'live' ? file.stops.length : file.operations.length + 1;
}
