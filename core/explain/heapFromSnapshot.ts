// The core model rebuilt from a device snapshot (struct heads + heap bytes), on a copy of the
// image, so the model can be asked what the allocator would do — or why it just refused. Refuses
// heaps whose behaviour the model cannot know (undecodable, corrupt, partly unread).
import type { DecodedHeapView, HeapSnapshot } from '../decoder/types';
import type { HeapLayout } from '../layout';
import { ByteImage } from '../memory/byteImage';
import { BuddyHeap } from '../model/buddyHeap';

export type RebuildRefusal = 'NotDecodable' | 'CorruptHeap' | 'Unreadable' | 'NoImage' | 'ModelRefused';

export type RebuiltHeap =
  { readonly ok: true; readonly heap: BuddyHeap } | { readonly ok: false; readonly error: RebuildRefusal; readonly message: string };

export function heapFromSnapshot(snapshot: HeapSnapshot, view: DecodedHeapView): RebuiltHeap {
  const refuse = (error: RebuildRefusal, message: string): RebuiltHeap => ({ ok: false, error, message });
  if (view.blocks.count === 0)
    return refuse('NotDecodable', `the heap struct does not describe a buddy heap (${view.findings[0]?.message ?? 'no blocks'}).`);
  const errors = view.findings.filter(f => f.severity === 'error');
  if (errors.length > 0)
    return refuse(
      'CorruptHeap',
      `the heap has ${errors.length} integrity error(s), so what the allocator would do is undefined. First: ${errors[0]!.message}`,
    );
  if (view.stats.unknownBytes > 0 && view.freeLists.some(l => l.broken))
    return refuse('Unreadable', 'some free lists could not be read in full.');
  const { fields } = snapshot;
  const layout: HeapLayout = {
    base: fields.heapBase,
    size: fields.heapSize,
    orders: fields.freeLists.length,
    pointerWidth: snapshot.pointerWidth,
    endianness: snapshot.endianness,
  };
  const memory = snapshot.memory;
  if (!(memory instanceof ByteImage)) return refuse('NoImage', 'the snapshot holds no byte image.');
  try {
    return { ok: true, heap: BuddyHeap.fromState(layout, fields.freeLists, memory) };
  } catch (error) {
    return refuse('ModelRefused', error instanceof Error ? error.message : String(error));
  }
}
