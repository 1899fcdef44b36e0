// Who owns each block on a device (issue 12): the Cortex-M3 firmware under QEMU, no heap settings.
// At every checkpoint of the script, each block a `slots[k].ptr` holds is owned by that slot; after
// the script the firmware owns blocks through a global pointer, an array of pointers, a linked list,
// a stack local, and leaks one — and writes down which is which (ownership_truth). The panel's view
// model (what the webview renders) must say the same: owners, chains, referrers and the leak.
import * as assert from 'node:assert/strict';
import { PARENT_NONE, PARENT_ROOT, type HeapViewModel } from '../../../core/protocol/viewModel';
import type { BuddyHeapApi } from '../../../extension/main';
import { HeapIndex } from '../../../webview/model/heapIndex';
import { FirmwareUnderDebug } from './support/firmwareUnderDebug';
import {
  attachedHeap,
  continueToNext,
  evaluateNumber,
  extensionApi,
  readBytes,
  setLiveSettings,
  settledAt,
  waitFor,
} from './support/hostDebug';

const OWNERSHIP_STEP = 100n;
const MAX_SLOTS = 64;
const SLOT_BYTES = 12; // struct slot { uint8_t *ptr; uint32_t size; uint32_t align; }
const TRUTH_BYTES = 12; // struct truth { uint32_t addr; uint32_t kind; uint32_t index; }
const OWNED = { config: 1, buffer: 2, node: 3, leak: 4, stack: 5 } as const;

/** The allocation whose block starts at `address`, or -1: the panel's own lookup (webview/model). */
function allocationAt(view: HeapViewModel, address: bigint): number {
  return new HeapIndex(view).allocationAt(Number(address - BigInt(view.layout.base)));
}

function ownerLabel(view: HeapViewModel, allocation: number): string | undefined {
  return new HeapIndex(view).ownerLabel(view.blocks.owners[view.allocations.blocks[allocation]!]!);
}

function rootPath(view: HeapViewModel, allocation: number): string {
  const o = view.ownership!;
  return o.paths[o.rootPath[allocation]!]!;
}

describe('e2e host: who owns each block of the Cortex-M3 firmware in QEMU', function () {
  let api: BuddyHeapApi;
  const firmware = new FirmwareUnderDebug();

  before(async function () {
    await firmware.start(this, '64k', { ownership: true });
    api = await extensionApi();
    await setLiveSettings({ heaps: [], autoAttach: true });
  });
  after(() => firmware.end());

  it('owners, chains, referrers and the leak in the panel equal what the firmware says', async () => {
    const s = await firmware.debugAtCheckpoints('QEMU firmware (ownership e2e)');
    const source = await attachedHeap(api, s);
    await settledAt(source, 1);
    const sentView = () => api.app.panel!.controller.heldView();
    const slotsAddress = await evaluateNumber(s, '&slots');
    for (;;) {
      const step = await evaluateNumber(s, 'step');
      if (step === OWNERSHIP_STEP) break;
      // Each slot's block is owned by that slot (nothing else points into the heap here).
      const view = await waitFor(`the panel's view at step ${step}`, () => sentView()?.ownership && sentView());
      const slots = await readBytes(s, slotsAddress, MAX_SLOTS * SLOT_BYTES);
      for (let k = 0; k < MAX_SLOTS; k++) {
        const ptr = BigInt(slots.readUInt32LE(k * SLOT_BYTES));
        if (ptr === 0n) continue;
        const a = allocationAt(view, ptr);
        assert.ok(a >= 0, `step ${step}: the block of slots[${k}] (0x${ptr.toString(16)}) is an allocation`);
        assert.equal(rootPath(view, a), `slots[${k}].ptr`, `step ${step}: who owns slots[${k}]'s block`);
        assert.equal(ownerLabel(view, a), 'slots');
      }
      assert.equal(view.ownership!.summary.leakCount, 0, `step ${step}: nothing leaks while the script runs`);
      await continueToNext(s, source);
    }

    const view = await waitFor('the panel to show the ownership stop', () => {
      const v = sentView();
      return v?.ownership && v.allocations.count > 0 && v;
    });
    const o = view.ownership!;
    const count = Number(await evaluateNumber(s, 'truth_count'));
    const truth = await readBytes(s, await evaluateNumber(s, '&ownership_truth'), count * TRUTH_BYTES);
    const entries = Array.from({ length: count }, (_, i) => ({
      address: BigInt(truth.readUInt32LE(i * TRUTH_BYTES)),
      kind: truth.readUInt32LE(i * TRUTH_BYTES + 4),
      index: truth.readUInt32LE(i * TRUTH_BYTES + 8),
    }));
    assert.equal(view.allocations.count, count, 'every block the firmware holds, and nothing else, is an allocation');
    const nodes = entries.filter(e => e.kind === OWNED.node).sort((a, b) => a.index - b.index);
    for (const entry of entries) {
      const a = allocationAt(view, entry.address);
      const what = `kind ${entry.kind}[${entry.index}] at 0x${entry.address.toString(16)}`;
      assert.ok(a >= 0, `${what} is an allocation of the panel`);
      switch (entry.kind) {
        case OWNED.config:
          assert.deepEqual([rootPath(view, a), ownerLabel(view, a), o.parent[a]], ['g_config', 'g_config', PARENT_ROOT], what);
          break;
        case OWNED.buffer:
          assert.deepEqual(
            [rootPath(view, a), ownerLabel(view, a), o.parent[a]],
            [`g_buffers[${entry.index}]`, 'g_buffers', PARENT_ROOT],
            what,
          );
          break;
        case OWNED.node: {
          assert.equal(rootPath(view, a), 'g_list', `${what}: the list's head owns every node`);
          if (entry.index === 0) assert.equal(o.parent[a], PARENT_ROOT, what);
          else {
            assert.equal(o.parent[a], allocationAt(view, nodes[entry.index - 1]!.address), `${what}: reached from the node before`);
            assert.equal(o.parentWord[a], 0, `${what}: through that node's next (its first word)`);
          }
          break;
        }
        case OWNED.leak: {
          assert.deepEqual([o.parent[a], o.referrerTotal[a], o.leakStops[a]! > 0], [PARENT_NONE, 0, true], `${what}: nothing refers to it`);
          const offset = Number(entry.address - BigInt(view.layout.base));
          assert.ok(
            view.findings.some(f => f.kind === 'PossibleLeak' && f.offset === offset),
            `${what}: a possible-leak finding names it (${view.findings.map(f => f.message).join(' | ')})`,
          );
          break;
        }
        case OWNED.stack:
          assert.match(ownerLabel(view, a) ?? '', /^thread \d+/, `${what}: owned by the stopped thread (its stack or a register)`);
          break;
        default:
          assert.fail(`unknown truth kind ${entry.kind}`);
      }
    }
    assert.equal(o.summary.leakCount, 1, 'exactly one possible leak');
    // The second node is referred to by the first node's next word, and that is its only referrer.
    const second = allocationAt(view, nodes[1]!.address);
    const first = allocationAt(view, nodes[0]!.address);
    const from = o.referrerStart[second]!;
    assert.deepEqual([o.referrerTotal[second], o.referrerBlock[from], o.referrerWord[from]], [1, first, 0]);
  });
});
