// A live heap source with the ownership scan: each stop's owners reach the panel's state, the
// history says how leak suspects moved since the previous stop, and "would alloc(n) succeed?"
// names the owners of the blocks in the way.
import * as assert from 'node:assert/strict';
import { encodeWord } from '../../../core/memory/byteImage';
import { DEFAULT_OWNERSHIP_SETTINGS, scanLiveOwnership } from '../../../extension/dap/ownership/liveOwnership';
import type { OwnershipScanner } from '../../../extension/live/liveHeapSource';
import { simulateOnSource } from '../../../extension/live/liveSimulation';
import { HEAP_BASE, adapterSends, continued, liveFixture, stopped } from './liveFixture';

const SLOTS = 0x1000_0000n;
const QUARTER = 16 * 1024;

describe('live heap source with the ownership scan', () => {
  /** Four 16 KiB blocks; app::SLOTS[0] and [1] hold the ones `held` names (by quarter). */
  function fixture(held: readonly [number, number | undefined]) {
    // The scanner reads through the fixture's session, made just after it.
    const made: { fixture?: ReturnType<typeof liveFixture> } = {};
    const scanner: OwnershipScanner = {
      scan: (read, view, stop, signal) =>
        scanLiveOwnership(
          made.fixture!.session,
          {
            roots: [
              {
                kind: 'static',
                label: 'app::SLOTS',
                address: SLOTS,
                size: 8,
                slots: [
                  { offset: 0, path: '[0]' },
                  { offset: 4, path: '[1]' },
                ],
              },
            ],
            stackTop: undefined,
          },
          read,
          view,
          stop,
          DEFAULT_OWNERSHIP_SETTINGS,
          signal,
        ),
    };
    const f = (made.fixture = liveFixture(64 * 1024, 'full', scanner));
    const quarters = [0, 1, 2, 3].map(() => {
      const got = f.heap.allocate(QUARTER, 8);
      assert.ok(got.ok);
      f.heap.image.write(got.offset, new Uint8Array(QUARTER));
      return got.offset;
    });
    const slots = new Uint8Array(8);
    held.forEach((quarter, i) => quarter !== undefined && slots.set(encodeWord(HEAP_BASE + BigInt(quarters[quarter]!), 4, true), i * 4));
    const remap = () => {
      f.remap();
      f.session.map(SLOTS, slots);
    };
    remap();
    return { f, quarters, remap };
  }

  it('puts each stop’s owners in the state the panel reads, and counts leak suspects across stops', async () => {
    // The fourth block freed: the third stands alone in its span with nothing pointing to it (a leak);
    // the first two share a span that only a pointer to the first splits, so the scan cannot tell
    // the second from the first's tail and says so (span-only), never claiming a separate owner.
    const { f, quarters, remap } = fixture([0, undefined]);
    f.heap.deallocate(quarters[3]!, BigInt(QUARTER), 8n);
    remap();
    adapterSends(f.source, stopped());
    await f.source.idle();
    const shown = f.source.state.shown.ownership;
    assert.ok(shown, 'the shown step has the scan');
    const ownerAt = (offset: number) => f.source.ownerOf(HEAP_BASE + BigInt(offset));
    assert.deepEqual(quarters.slice(0, 3).map(ownerAt), ['app::SLOTS[0]', 'app::SLOTS[0]', 'no owner the scan can see']);
    assert.equal(ownerAt(quarters[3]!), undefined, 'a free block has no owner to tell');
    const second = shown.result.blockAt(HEAP_BASE + BigInt(quarters[1]!));
    assert.equal(shown.result.confidence(second), 'span-only');
    assert.match(f.source.history().entry(0).detail, /1 possible leak \(16 KiB\)/);

    adapterSends(f.source, continued);
    remap();
    adapterSends(f.source, stopped());
    await f.source.idle();
    assert.match(f.source.history().entry(1).detail, /1 still unreached/);
    assert.equal(f.source.state.shown.ownership?.leaks?.persisting.length, 1);
  });

  it('names the owners of the blocks in the way when an allocation would fail', async () => {
    const { f, quarters, remap } = fixture([0, 2]);
    f.heap.deallocate(quarters[1]!, BigInt(QUARTER), 8n);
    f.heap.deallocate(quarters[3]!, BigInt(QUARTER), 8n);
    remap();
    adapterSends(f.source, stopped());
    await f.source.idle();
    const result = simulateOnSource(f.source, 32n * 1024n, 8n);
    assert.equal(result.ok, false);
    assert.match(result.notice.message, /app::SLOTS\[(0|1)\]/, result.notice.message);
  });
});
