// Bundled for the browser by the webview bench and evaluated in the panel page: the host's
// simulation and panel controller, posting to the page's own window the messages the extension
// host would send. One thread runs both sides, so an operation's time from the command to the
// panel drawn is the host's part plus the webview's part (the IPC between them is measured apart).
import { PanelController } from '../../../extension/panel/panelController';
import { SimulatedHeap } from '../../../extension/simulation/simulatedHeap';
import { Random } from '../../support/random';

interface OpTiming {
  readonly hostMs: number;
  /** From posting to the message event (the page's own task queue; VS Code's IPC is benched apart). */
  readonly arrivalMs: number;
  /** From heap-app taking the message to the frame after every view's update. */
  readonly webviewMs: number;
  /** From the command to the frame that shows the operation on the map. */
  readonly mapFrameMs: number;
  /** From the command to the frame that shows it in every view. */
  readonly totalMs: number;
  readonly patched: boolean;
}

const OWNERS = ['dma', 'net/rx', 'net/tx', 'task:logger'];

async function setup(leavesLog2: number, allocations: number): Promise<{ liveAllocations: number; blocks: number }> {
  const created = SimulatedHeap.create({
    base: 0x2000_0000n,
    size: BigInt(16 * 2 ** leavesLog2),
    orders: leavesLog2 + 1,
    pointerWidth: 4,
    endianness: 'little',
  });
  if (!created.ok) throw new Error(created.error);
  const sim = created.simulated;
  const random = new Random(20);
  const ops = [];
  for (let i = 0; i < allocations; i++)
    ops.push({ kind: 'alloc' as const, size: BigInt(random.int(1, 64)), align: 8n, owner: random.pick(OWNERS) });
  sim.applyAll(ops, 'last');
  const controller = new PanelController(sim, {
    post: message => window.postMessage(message, '*'),
    log: message => console.warn(message),
    runCommand: () => undefined,
  });
  const bench = window as unknown as { __sim: unknown };
  bench.__sim = { sim, controller, random };
  await untilRendered(() => controller.receive({ type: 'ready', protocol: 1 }));
  return { liveAllocations: sim.heap.allocationCount, blocks: appIndexCount() };
}

function appIndexCount(): number {
  const app = document.querySelector('heap-app') as unknown as { index?: { count: number } };
  return app.index?.count ?? 0;
}

/** After the next frame is drawn: a rAF callback runs before that frame, a timeout after it. */
const afterFrame = () => new Promise<number>(resolve => requestAnimationFrame(() => setTimeout(() => resolve(performance.now()), 0)));

/**
 * When the frame after the map's paint ended, seen from script: the first task after it. That is
 * heap-app's render of the sections (marked) when it comes before this timeout, as it usually does.
 */
const afterMapFrame = () =>
  new Promise<number>(resolve =>
    requestAnimationFrame(frameStart =>
      setTimeout(() => {
        const sections = performance.getEntriesByName('buddy-heap:sections').find(mark => mark.startTime > frameStart);
        resolve(sections ? sections.startTime : performance.now());
      }, 0),
    ),
  );

interface Rendered {
  readonly hostMs: number;
  /** heap-app's own mark as it takes the message (listeners it registered first run first). */
  readonly arrivedAt: number;
  /** The frame after the map's paint of the message: the operation shows on the map. */
  readonly mapFrameAt: number;
  /** The frame after every view's update: everything shows. */
  readonly doneAt: number;
}

/** Runs `act` (which posts a message) and resolves when the panel has applied it and the frames showing it are drawn. */
function untilRendered(act: () => void): Promise<Rendered> {
  return new Promise(resolve => {
    let mapFrame: Promise<number> | undefined;
    const listening = new AbortController();
    window.addEventListener('map-painted', () => (mapFrame = afterMapFrame()), { once: true, signal: listening.signal });
    const started = performance.now();
    act();
    const hostMs = performance.now() - started;
    // heap-app handles the message in a later task; wait for its mark (it keeps only the latest of
    // each name), then for every view.
    setTimeout(async function wait() {
      const arrived = performance.getEntriesByName('buddy-heap:message').filter(mark => mark.startTime >= started);
      if (arrived.length === 0) return void setTimeout(wait, 0);
      const app = document.querySelector('heap-app') as unknown as { updateComplete: Promise<unknown> };
      await app.updateComplete;
      // And the frame after it: the browser's style, layout and paint of what the views changed.
      const doneAt = await afterFrame();
      // An operation the map need not repaint (a refused one) shows in the views' frame.
      const mapFrameAt = mapFrame ? await mapFrame : doneAt;
      listening.abort();
      resolve({ hostMs, arrivedAt: arrived[arrived.length - 1]!.startTime, mapFrameAt, doneAt });
    }, 0);
  });
}

/** One allocation or free (of a random live allocation), timed from the command to the panel drawn. */
async function operation(): Promise<OpTiming> {
  const { sim, controller, random } = (window as unknown as { __sim: { sim: SimulatedHeap; controller: PanelController; random: Random } })
    .__sim;
  const started = performance.now();
  const timing = await untilRendered(() => {
    if (random.chance(0.5)) sim.allocate(BigInt(random.int(1, 64)), 8n, random.pick(OWNERS));
    else {
      const offset = liveOffset(sim, random);
      if (offset === undefined) sim.allocate(16n, 8n);
      else sim.freeAt(offset);
    }
  });
  const last = controller.sent[controller.sent.length - 1];
  return {
    hostMs: timing.hostMs,
    arrivalMs: timing.arrivedAt - started - timing.hostMs,
    webviewMs: timing.doneAt - timing.arrivedAt,
    mapFrameMs: timing.mapFrameAt - started,
    totalMs: timing.doneAt - started,
    patched: !!(last && last.type === 'update' && last.patch),
  };
}

/** A live allocation near a random offset (found by probing: listing 200k allocations per operation would dominate). */
function liveOffset(sim: SimulatedHeap, random: Random): number | undefined {
  const heap = sim.heap;
  for (let probe = 0; probe < 64; probe++) {
    const offset = random.int(0, Number(sim.layout.size) / 16 - 1) * 16;
    const a = heap.allocationContaining(offset);
    if (a) return a.offset;
  }
  return undefined;
}

(window as unknown as { __simBench: unknown }).__simBench = { setup, operation };
