// The ownership scan: roots first (they are what a bounded scan must not miss), then every word of
// the allocated spans, then allocations inferred inside spans, the reference graph over them, and a
// breadth-first walk from the roots for owners. Cost: O(words scanned + references · log) time,
// memory proportional to the spans, inferred blocks and references; never more bytes read than
// the budget allows.
import { formatBytes } from '../layout';
import { HeapTargets } from './heapTargets';
import { inferBlocks } from './inferBlocks';
import { OwnershipResult } from './ownershipResult';
import { buildGraph, reachability } from './referenceGraph';
import { ScanBudget } from './scanBudget';
import { scanRoots } from './scanRoots';
import { scanSpans } from './scanSpans';
import { DEFAULT_MAX_SCAN_BYTES, type OwnershipInput, type OwnershipOptions } from './types';
import { validateOwnershipInput } from './validateInput';

export function scanOwnership(input: OwnershipInput, options: OwnershipOptions = {}): OwnershipResult {
  validateOwnershipInput(input, options);
  const view = input.heap;
  const width = view.pointerWidth;
  const budget = new ScanBudget(options.maxBytes ?? DEFAULT_MAX_SCAN_BYTES);
  const targets = new HeapTargets(view);
  const roots = scanRoots(input.roots, input.rootMemory, targets, width, budget, input.heapStruct);
  const spans = scanSpans(input.heapMemory, targets, budget, view.endianness === 'little');
  const blocks = inferBlocks(targets, roots.references, spans.references);
  const graph = buildGraph(targets, blocks, roots.references, spans.references);
  const reach = reachability(graph, blocks.count);
  const notes = [...roots.notes, ...heapNotes(view)];
  return new OwnershipResult({
    view,
    roots: input.roots,
    rootReferences: roots.references,
    blocks,
    graph,
    reach,
    stats: {
      rootBytesScanned: roots.bytesScanned,
      rootBytesUnreadable: roots.bytesUnreadable,
      rootBytesExcluded: roots.bytesExcluded,
      spanBytesScanned: spans.bytesScanned,
      spanBytesUnreadable: spans.bytesUnreadable,
      spanBytesUnscanned: spans.bytesUnscanned,
      references: graph.edgeCount,
      interiorReferences: graph.interiorCount,
    },
    truncatedReason: budget.stoppedAt && truncationText(budget, spans.bytesUnscanned),
    notes,
  });
}

function truncationText(budget: ScanBudget, unscanned: number): string {
  const rest = unscanned > 0 ? `; ${formatBytes(unscanned)} of allocated spans were not read` : '';
  return `The scan stopped ${budget.stoppedAt}: its budget of ${formatBytes(budget.maxBytes)} ran out${rest}. Owners and leak suspects are incomplete: raise the scan's byte limit to read everything.`;
}

/** What the decoded heap keeps from the scan: spans the decoder could not classify, a refused heap. */
function heapNotes(view: OwnershipInput['heap']): string[] {
  if (view.orders === 0) return ['The heap was not decoded (see its findings), so nothing in it was scanned or owned.'];
  const unknown = view.stats.unknownBytes;
  if (unknown === 0) return [];
  return [
    `${formatBytes(unknown)} of the heap could not be told free or allocated (a free list could not be followed to its end); those bytes are neither scanned nor owned, and pointers into them are not counted.`,
  ];
}
