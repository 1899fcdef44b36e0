// Owner color slots: by owner index in a first view, then kept per label as owners come and go.
import * as assert from 'node:assert/strict';
import { OwnerSlotRegistry, SLOT_NONE, SLOT_OTHER } from '../../webview/model/ownerSlots';

describe('owner color slots', () => {
  it('a first view gets slots in its label order; no owner is its own slot', () => {
    const slots = new OwnerSlotRegistry(4).assign(['a', 'b', 'c']);
    assert.deepEqual([...slots.slotOf], [SLOT_NONE, 0, 1, 2]);
    assert.equal(slots.others, 0);
  });

  it('owners past the slots are "other", and counted', () => {
    const slots = new OwnerSlotRegistry(2).assign(['a', 'b', 'c', 'd']);
    assert.deepEqual([...slots.slotOf], [SLOT_NONE, 0, 1, SLOT_OTHER, SLOT_OTHER]);
    assert.equal(slots.others, 2);
  });

  it('a label keeps its slot when others appear before it or go', () => {
    const registry = new OwnerSlotRegistry(4);
    registry.assign(['net', 'usb']);
    assert.deepEqual([...registry.assign(['dma', 'net', 'usb']).slotOf], [SLOT_NONE, 2, 0, 1]);
    assert.deepEqual([...registry.assign(['usb']).slotOf], [SLOT_NONE, 1]);
    // Back again: the same slot as before it went.
    assert.deepEqual([...registry.assign(['net', 'usb']).slotOf], [SLOT_NONE, 0, 1]);
  });

  it('a new label takes an unused slot first, then the one whose label is gone longest', () => {
    const registry = new OwnerSlotRegistry(3);
    registry.assign(['a', 'b']);
    assert.deepEqual([...registry.assign(['c']).slotOf], [SLOT_NONE, 2], 'the never used slot');
    registry.assign(['b', 'c']);
    // a (slot 0) was last seen two views ago, b and c are here: d takes a's slot.
    assert.deepEqual([...registry.assign(['b', 'c', 'd']).slotOf], [SLOT_NONE, 1, 2, 0]);
    // Every slot held by an owner of this view: the newcomer is "other".
    assert.deepEqual([...registry.assign(['b', 'c', 'd', 'e']).slotOf], [SLOT_NONE, 1, 2, 0, SLOT_OTHER]);
  });
});
