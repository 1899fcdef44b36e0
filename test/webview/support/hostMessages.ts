// Host messages made by the real host code (SimulatedHeap + PanelController), so the webview
// tests render exactly what the extension would send.
import type { HeapLayout } from '../../../core/layout';
import { decodeHeap } from '../../../core/decoder/decode';
import { ByteImage } from '../../../core/memory/byteImage';
import { compareLeakSuspects } from '../../../core/ownership/compareLeaks';
import { scanOwnership } from '../../../core/ownership/scanOwnership';
import { SegmentedMemory } from '../../../core/ownership/segmentedMemory';
import type { InitMessage, ToWebviewMessage } from '../../../core/protocol/messages';
import { buildViewModel } from '../../../extension/panel/buildViewModel';
import { snapshotOfModel } from '../../../extension/panel/modelView';
import { PanelController } from '../../../extension/panel/panelController';
import { SimulatedHeap } from '../../../extension/simulation/simulatedHeap';

export const LAYOUT: HeapLayout = { base: 0x2000_0000n, size: 0x1_0000n, orders: 12, pointerWidth: 4, endianness: 'little' };

export class HostFixture {
  readonly session: SimulatedHeap;
  readonly controller: PanelController;
  readonly outbox: ToWebviewMessage[] = [];
  readonly logs: string[] = [];

  constructor(layout: HeapLayout = LAYOUT) {
    const created = SimulatedHeap.create(layout);
    if (!created.ok) throw new Error(created.error);
    this.session = created.simulated;
    this.controller = new PanelController(this.session, {
      post: message => this.outbox.push(message),
      log: message => this.logs.push(message),
      runCommand: () => undefined,
    });
  }

  /** The init message (as the answer to a ready). */
  init(): ToWebviewMessage {
    this.controller.receive({ type: 'ready', protocol: 1 });
    return this.take();
  }

  /** The last message the controller sent. */
  take(): ToWebviewMessage {
    const message = this.outbox[this.outbox.length - 1];
    if (!message) throw new Error('the controller sent nothing');
    return message;
  }
}

/** A small embedded-looking heap: a few owners, a free in the middle, some splits. */
export function demoFixture(): HostFixture {
  const host = new HostFixture();
  const s = host.session;
  s.allocate(64n, 8n, 'net/rx');
  s.allocate(1024n, 8n, 'net/rx');
  s.allocate(200n, 4n, 'task:logger');
  s.allocate(4096n, 4096n, 'fs/cache');
  s.allocate(32n, 8n);
  s.allocate(512n, 16n, 'task:logger');
  const victim = s.allocate(128n, 8n, 'usb');
  s.allocate(8192n, 8n, 'fs/cache');
  if (victim.ok) s.free(victim.address, 128n, 8n);
  return host;
}

/** Where the scanned fixture's one static lies (outside the heap). */
const STATICS = 0x1000_0000n;

/**
 * A scanned heap as a device heap's panel gets it: `app::CONFIG.ptr` owns block a, a's word at +4
 * owns b (a chain), and c is a leak; the view model is built by the host's own code from a real
 * ownership scan of the model's memory.
 */
export function scannedFixture(
  /** The same scan at the stop before as well: leak suspects count two stops. */
  persisting = false,
): { init: InitMessage; blocks: { a: number; b: number; c: number } } {
  const host = new HostFixture();
  const heap = host.session.heap;
  const take = (size: number) => {
    const got = heap.allocate(size, 4);
    if (!got.ok) throw new Error(got.error);
    heap.image.write(got.offset, new Uint8Array(heap.orderSize(got.order)));
    return got.offset;
  };
  const [a, b, c] = [take(64), take(32), take(128)];
  heap.image.writeWord(a + 4, heap.address(b));
  const statics = new ByteImage(16, { pointerWidth: 4, endianness: 'little' });
  statics.writeWord(0, heap.address(a));
  const view = decodeHeap(snapshotOfModel(heap));
  const result = scanOwnership({
    heap: view,
    heapMemory: heap.image,
    roots: [{ kind: 'static', label: 'app::CONFIG', address: STATICS, size: 4, slots: [{ offset: 0, path: 'ptr' }] }],
    rootMemory: new SegmentedMemory([{ address: STATICS, image: statics }]),
  });
  const init = host.init() as InitMessage;
  return {
    init: {
      ...init,
      source: { kind: 'live', label: 'HEAP — firmware', detail: 'Live · stop 1', canSimulate: false },
      view: buildViewModel(view, [], persisting ? { result, leaks: compareLeakSuspects(result, result) } : { result }),
    },
    blocks: { a, b, c },
  };
}
