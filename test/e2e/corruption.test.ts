// The one scenario that writes target memory (from the test, never from the reader): free-list
// links are corrupted through writeMemory, and the live read must show the decoder's findings at
// the right lists and addresses, in full and in sparse mode.
import * as assert from 'node:assert/strict';
import { decodeHeap } from '../../core/decoder/decode';
import type { DecodedHeapView, FindingKind } from '../../core/decoder/types';
import { LiveHeapReader } from '../../extension/dap/liveHeapReader';
import { type TargetSession, continueToNextStop, evaluateNumber } from './support/debugTargets';
import { startCortexSession } from './support/debugTargets';
import { setupOrSkip } from './support/skips';

const FRAGMENTED_STEP = 6;

async function writeWord(session: TargetSession, address: bigint, value: bigint): Promise<void> {
  const bytes = Buffer.alloc(4);
  bytes.writeUInt32LE(Number(value));
  await session.client.request('writeMemory', { memoryReference: `0x${address.toString(16)}`, data: bytes.toString('base64') });
}

function findingsOf(view: DecodedHeapView): { kind: FindingKind; order: number | undefined; address: bigint | undefined }[] {
  return view.findings.map(f => ({ kind: f.kind, order: f.order, address: f.address }));
}

describe('e2e: a heap corrupted through writeMemory', function () {
  let session: TargetSession;

  before(async function () {
    session = await setupOrSkip(this, () => startCortexSession('64k'));
    while ((await evaluateNumber(session, 'step')) !== BigInt(FRAGMENTED_STEP)) await continueToNextStop(session);
  });
  after(async () => {
    await session?.close();
  });

  it('shows a cycle, a pointer out of the heap and a misaligned pointer where they were written', async () => {
    const threadId = session.lastStop.body.threadId ?? 1;
    const full = new LiveHeapReader(session.client, { kind: 'expression', expression: 'HEAP' }, { mode: 'full' });
    const clean = decodeHeap((await full.read({ threadId })).snapshot);
    assert.deepEqual(clean.findings, [], 'the heap is sound before the writes');
    const base = clean.heapBase;
    const smallest = clean.freeLists[0]!.entries;
    assert.ok(smallest.length >= 3, `fragmentation leaves several minimum blocks free (${smallest.length})`);
    const singles = clean.freeLists.filter(l => l.order > 0 && l.order < clean.orders - 1 && l.entries.length === 1);
    assert.ok(singles.length >= 2, 'two other lists with one block each');
    const [outList, misList] = singles as [(typeof singles)[0], (typeof singles)[0]];

    const at = (offset: number) => base + BigInt(offset);
    await writeWord(session, at(smallest[2]!.offset), at(smallest[1]!.offset)); // e2 -> e1: a cycle
    await writeWord(session, at(outList.entries[0]!.offset), 0x3000_0000n); // out of the heap
    await writeWord(session, at(misList.entries[0]!.offset), base + 4n); // inside, misaligned

    for (const mode of ['full', 'sparse'] as const) {
      const before = session.client.sent.length;
      const read = await new LiveHeapReader(session.client, { kind: 'expression', expression: 'HEAP' }, { mode }).read({ threadId });
      const view = decodeHeap(read.snapshot);
      const found = findingsOf(view);
      const has = (kind: FindingKind, order: number) => found.some(f => f.kind === kind && f.order === order);
      assert.ok(
        has('Cycle', 0),
        `${mode}: a cycle on list 0 in ${JSON.stringify(found, (_, v: unknown) => (typeof v === 'bigint' ? v.toString(16) : v))}`,
      );
      assert.ok(has('NextOutOfHeap', outList.order), `${mode}: 0x30000000 on list ${outList.order}`);
      assert.ok(
        found.some(f => f.order === misList.order && (f.kind === 'NextMisaligned' || f.kind === 'WrongOrder')),
        `${mode}: heap_base+4 on list ${misList.order}`,
      );
      assert.ok(view.findings.every(f => f.severity === 'error' || f.severity === 'warning'));
      assert.ok(view.freeLists[outList.order]!.broken && view.freeLists[0]!.broken, `${mode}: the walks stop at the bad links`);
      const reads = session.client.sent
        .slice(before)
        .filter(r => r.command === 'readMemory')
        .map(r => String((r.arguments as { memoryReference: string }).memoryReference));
      assert.ok(!reads.includes('0x30000000'), `${mode}: nothing is read outside the heap`);
    }
  });
});
