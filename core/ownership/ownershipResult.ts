// What the ownership scan found, with the questions the panel and the CLI ask of it: which block
// holds an address, who owns a block and through which chain, who refers to it, and what nothing
// the scan can see refers to. Per-block facts live in columns; sentences are built on request.
import type { HeapView } from '../decoder/types';
import { formatBytes, hex } from '../layout';
import { POW2 } from '../util/powersOfTwo';
import { BlockIndex } from './blockIndex';
import { CONFIDENCE_OF_REASON, type InferredBlocks } from './inferBlocks';
import type { RootReference } from './rawReferences';
import type { Reachability, ReferenceGraph } from './referenceGraph';
import {
  type ChainStep,
  type Confidence,
  InferenceReason,
  type LeakSuspect,
  type LeakSummary,
  type OwnerChain,
  type Referrer,
  type RootRegion,
  type ScanStats,
} from './types';

export interface OwnershipParts {
  readonly view: HeapView;
  readonly roots: readonly RootRegion[];
  readonly rootReferences: readonly RootReference[];
  readonly blocks: InferredBlocks;
  readonly graph: ReferenceGraph;
  readonly reach: Reachability;
  readonly stats: ScanStats;
  readonly truncatedReason: string | undefined;
  readonly notes: readonly string[];
}

export class OwnershipResult {
  readonly heapBase: bigint;
  readonly minBlockSize: number;
  readonly roots: readonly RootRegion[];
  readonly rootReferences: readonly RootReference[];
  /** The allocated spans cut into inferred blocks (address order); every query takes an index into them. */
  readonly blocks: InferredBlocks;
  readonly graph: ReferenceGraph;
  readonly reach: Reachability;
  readonly stats: ScanStats;
  readonly truncated: boolean;
  /** Why and where the scan stopped early; undefined when it read everything. */
  readonly truncatedReason: string | undefined;
  /** Things the user should know about what was and was not scanned (excluded root bytes, unknown spans). */
  readonly notes: readonly string[];
  private readonly view: HeapView;
  private index: BlockIndex | undefined;

  constructor(parts: OwnershipParts) {
    this.view = parts.view;
    this.heapBase = parts.view.heapBase;
    this.minBlockSize = parts.view.minBlockSize;
    this.roots = parts.roots;
    this.rootReferences = parts.rootReferences;
    this.blocks = parts.blocks;
    this.graph = parts.graph;
    this.reach = parts.reach;
    this.stats = parts.stats;
    this.truncatedReason = parts.truncatedReason;
    this.truncated = parts.truncatedReason !== undefined;
    this.notes = parts.notes;
  }

  get blockCount(): number {
    return this.blocks.count;
  }

  address(block: number): bigint {
    return this.heapBase + BigInt(this.blocks.offsets[block]!);
  }

  size(block: number): number {
    return this.minBlockSize * POW2[this.blocks.orders[block]!]!;
  }

  /** The inferred block holding a target address, or -1 when it lies in no allocated span. */
  blockAt(address: bigint): number {
    const offset = address - this.heapBase;
    if (offset < 0n || offset >= BigInt(this.view.heapSize) || this.blocks.count === 0) return -1;
    this.index ??= new BlockIndex(this.blocks.offsets, this.blocks.count, this.view.heapSize, this.minBlockSize);
    const block = this.index.find(Number(offset));
    return block >= 0 && Number(offset) < this.blocks.offsets[block]! + this.size(block) ? block : -1;
  }

  confidence(block: number): Confidence {
    return CONFIDENCE_OF_REASON[this.blocks.reasons[block]!]!;
  }

  /** How sure the block's extent is, and why, in the user's words. */
  inference(block: number): { readonly confidence: Confidence; readonly reason: string } {
    return { confidence: this.confidence(block), reason: this.reasonText(block) };
  }

  /** The root at the start of the block's shortest path from any root; undefined when none reaches it. */
  owner(block: number): { readonly rootIndex: number; readonly root: RootRegion; readonly path: string } | undefined {
    const edge = this.reach.ownerEdge[block]!;
    if (edge < 0) return undefined;
    const ref = this.rootReferences[edge]!;
    return { rootIndex: ref.rootIndex, root: this.roots[ref.rootIndex]!, path: ref.path };
  }

  /** The shortest path from a root to the block (BFS order breaks ties; see reachability). */
  chain(block: number): OwnerChain | undefined {
    const { parentEdge } = this.reach;
    if (parentEdge[block]! < 0) return undefined;
    const { sourceBlock, sourceOffset, enteredAt } = this.graph;
    const steps: ChainStep[] = [];
    let at = block;
    let outWord: number | undefined = undefined;
    for (;;) {
      const edge = parentEdge[at]!;
      steps.push({ block: at, address: this.address(at), enteredAt: enteredAt[edge]!, wordOffset: outWord });
      if (edge < this.graph.rootEdges) {
        const ref = this.rootReferences[edge]!;
        return { rootIndex: ref.rootIndex, rootPath: ref.path, steps: steps.reverse() };
      }
      outWord = sourceOffset[edge]!;
      at = sourceBlock[edge]!;
    }
  }

  referrerCount(block: number): number {
    return this.graph.firstIn[block + 1]! - this.graph.firstIn[block]!;
  }

  /** Every word that points into the block: root words first (root order), then heap words by address. */
  referrers(block: number, limit = Infinity): Referrer[] {
    const { firstIn, incoming, sourceBlock, sourceOffset, enteredAt, rootEdges } = this.graph;
    const out: Referrer[] = [];
    for (let i = firstIn[block]!, end = firstIn[block + 1]!; i < end && out.length < limit; i++) {
      const edge = incoming[i]!;
      if (edge < rootEdges) {
        const ref = this.rootReferences[edge]!;
        out.push({ kind: 'root', rootIndex: ref.rootIndex, path: ref.path, interior: enteredAt[edge]! });
      } else {
        const from = sourceBlock[edge]!;
        out.push({ kind: 'block', block: from, address: this.address(from), wordOffset: sourceOffset[edge]!, interior: enteredAt[edge]! });
      }
    }
    return out;
  }

  /** Allocated blocks no root reaches, in address order. */
  leakSuspects(): LeakSuspect[] {
    const out: LeakSuspect[] = [];
    const { depth } = this.reach;
    for (let block = 0; block < this.blocks.count; block++) {
      if (depth[block] !== -1) continue;
      out.push({
        block,
        address: this.address(block),
        size: this.size(block),
        confidence: this.confidence(block),
        why: this.referrerCount(block) === 0 ? 'unreferenced' : 'unreachable',
      });
    }
    return out;
  }

  leakSummary(): LeakSummary {
    let count = 0;
    let bytes = 0;
    let unreferenced = 0;
    const { depth } = this.reach;
    for (let block = 0; block < this.blocks.count; block++) {
      if (depth[block] !== -1) continue;
      count++;
      bytes += this.size(block);
      if (this.referrerCount(block) === 0) unreferenced++;
    }
    return { count, bytes, unreferenced, unreachable: count - unreferenced, caveat: this.caveat() };
  }

  /** What the scan could not see: shown with every leak suspect, because the suspects may be in use. */
  caveat(): string {
    const unread = this.stats.rootBytesUnreadable + this.stats.spanBytesUnreadable;
    const parts = [
      'Possible leaks, not proven ones: the scan sees only pointers stored plainly in the memory it read.',
      unread > 0
        ? `${formatBytes(unread)} of roots and blocks could not be read, and pointers there are not seen.`
        : 'Pointers in memory that was not read (statics or stacks not given as roots) are not seen.',
      'Nor are pointers held in registers the debugger does not show, or stored encoded (tagged, compressed, as offsets or indexes).',
    ];
    if (this.truncated) parts.push('The scan was cut short, so blocks referenced only from unread spans are listed too.');
    return parts.join(' ');
  }

  private reasonText(block: number): string {
    const size = this.size(block);
    const spanIndex = this.blocks.spans[block]!;
    const spanAddress = this.heapBase + BigInt(this.view.blocks.offsets[spanIndex]!);
    const span = `the ${formatBytes(this.minBlockSize * POW2[this.view.blocks.orders[spanIndex]!]!)} allocated span at ${hex(spanAddress)}`;
    switch (this.blocks.reasons[block] as InferenceReason) {
      case InferenceReason.MinimumBlock:
        return `A ${formatBytes(size)} minimum block standing alone between free blocks: exactly one allocation.`;
      case InferenceReason.WholeSpan:
        return `The whole of ${span}, as the free lists leave it: one allocation, or several that no pointer tells apart.`;
      case InferenceReason.SpanStart:
        return `Starts ${span}; a pointer to ${hex(this.nextPointedTo(block))} inside it suggests another allocation there, so this one is likely at most ${formatBytes(size)}.`;
      case InferenceReason.PointedTo:
        return `A pointer points to its start inside ${span}, so an allocation likely starts here (at most ${formatBytes(size)}); the pointer could also point into the middle of a larger allocation.`;
      case InferenceReason.Remainder:
        return `Allocated bytes inside ${span} whose start no pointer names: the rest of the allocation before it, or allocations nothing points to.`;
    }
  }

  private nextPointedTo(block: number): bigint {
    for (let next = block + 1; next < this.blocks.count; next++) {
      if (this.blocks.reasons[next] === InferenceReason.PointedTo) return this.address(next);
    }
    return this.address(block) + BigInt(this.size(block));
  }
}
