// Host messages made by the real host code (SimulatedHeap + PanelController), so the webview
// tests render exactly what the extension would send.
import type { HeapLayout } from '../../../core/layout';
import type { ToWebviewMessage } from '../../../core/protocol/messages';
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
