// Webview benchmarks in headless Chromium (the panel page with its real CSP, as in the webview
// tests): the time from a 1M-leaf view model arriving to the block map painted, and the frame
// time while panning that map.
//   webviewFirstPaint1MColdMs   fresh page, first heap (includes the first render of every view)
//   webviewFirstPaint1MWarmMs   a second 1M-leaf heap arriving on a page that has shown one
//   webviewFirstPaint1M*FromArrivalMs  the same, from the message event (the browser's copy of
//                               the model excluded): what the webview's code spends
//   webviewMapPaint1MMs         the map's own full repaint of that heap
//   webviewPanFrame*            rAF-to-rAF intervals while wheel-panning at one leaf per pixel
//   webviewPanPaintP95Ms        the map's work per pan frame (incremental repaint)
//   simulatedOp1M*              one simulated allocate or free on a 1M-leaf heap holding 200k live
//                               allocations, from the command to every view drawn: the host's part
//                               (the operation, its patch and history tail), the webview's part
//                               (applying them, repainting what changed) and the two together,
//                               both sides running in the page (page/simulationInPage.ts)
import * as fs from 'node:fs';
import * as esbuild from 'esbuild';
import { Harness } from '../webview/support/harness';
import { deliverSyntheticHeap } from '../webview/support/synthetic';

const COLD_RUNS = 3;
const SIM_OPS = 60;
const WARM_RUNS = 5;
const PAN_FRAMES = 120;

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)]!;
}

function percentile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * p))]!;
}

const round = (n: number) => Math.round(n * 10) / 10;

/** Delivers a synthetic heap and resolves with ms from posting it to the map painted, and the paint's own ms. */
// `arrived`: from the message event (after the browser's structured clone of the ~14 MB model
// delivered it) to the map painted, the part the webview's own code spends.
const TIMED_DELIVERY = (revision: number) => `new Promise(resolve => {
  performance.clearMarks('buddy-heap:message');
  window.addEventListener('map-painted', e => {
    const arrived = performance.getEntriesByName('buddy-heap:message').pop();
    resolve({ total: e.detail.paintedAt - window.__t0, arrived: arrived ? e.detail.paintedAt - arrived.startTime : NaN, paint: e.detail.lastPaintMs });
  }, { once: true });
  window.__t0 = (${deliverSyntheticHeap.toString()})({ leavesLog2: 20, revision: ${revision} });
})`;

export async function benchWebview(): Promise<Record<string, number>> {
  if (!fs.existsSync(process.env.CHROMIUM_PATH ?? '/usr/bin/chromium'))
    throw new Error('no Chromium at /usr/bin/chromium (set CHROMIUM_PATH)');
  const harness = await Harness.start();
  try {
    const cold: number[] = [];
    const coldArrived: number[] = [];
    for (let i = 0; i < COLD_RUNS; i++) {
      const page = await harness.open('dark');
      const r = (await page.page.evaluate(TIMED_DELIVERY(1))) as { total: number; arrived: number };
      cold.push(r.total);
      coldArrived.push(r.arrived);
      await page.close();
    }
    const page = await harness.open('dark');
    await page.page.evaluate(TIMED_DELIVERY(1));
    await page.waitRendered(1);
    const warm: number[] = [];
    const warmArrived: number[] = [];
    const paints: number[] = [];
    for (let i = 0; i < WARM_RUNS; i++) {
      const r = (await page.page.evaluate(TIMED_DELIVERY(i + 2))) as { total: number; arrived: number; paint: number };
      await page.waitRendered(i + 2);
      warm.push(r.total);
      warmArrived.push(r.arrived);
      paints.push(r.paint);
    }
    // Pan at one leaf per pixel (1024 x 1024 pixels of content) with wheel events, one per frame.
    const pan = (await page.page.evaluate(`new Promise(resolve => {
      const map = document.querySelector('heap-app').shadowRoot.querySelector('block-map');
      map.scrollIntoView();
      while (map.viewState.zoom < 0) map.zoomIn();
      map.paint();
      const viewport = map.shadowRoot.querySelector('.viewport');
      const work = [];
      map.addEventListener('map-painted', e => work.push(e.detail.lastPaintMs));
      const intervals = [];
      let last = 0, n = 0, direction = 1;
      const frame = t => {
        if (last) intervals.push(t - last);
        last = t;
        const { scrollPx, contentPx } = map.viewState;
        if (scrollPx + 400 >= contentPx) direction = -1; else if (scrollPx <= 0) direction = 1;
        viewport.dispatchEvent(new WheelEvent('wheel', { deltaY: 24 * direction, bubbles: true, cancelable: true }));
        if (++n < ${PAN_FRAMES}) requestAnimationFrame(frame); else resolve({ intervals, work, zoom: map.viewState.zoom });
      };
      requestAnimationFrame(frame);
    })`)) as { intervals: number[]; work: number[]; zoom: number };
    await page.close();
    const sim = await benchSimulatedOperations(harness);
    return {
      ...sim,
      webviewFirstPaint1MColdMs: round(median(cold)),
      webviewFirstPaint1MWarmMs: round(median(warm)),
      webviewFirstPaint1MColdFromArrivalMs: round(median(coldArrived)),
      webviewFirstPaint1MWarmFromArrivalMs: round(median(warmArrived)),
      webviewMapPaint1MMs: round(median(paints)),
      webviewPanFrameP50Ms: round(percentile(pan.intervals, 0.5)),
      webviewPanFrameP95Ms: round(percentile(pan.intervals, 0.95)),
      webviewPanFps: round(1000 / (pan.intervals.reduce((a, b) => a + b, 0) / pan.intervals.length)),
      webviewPanPaintP95Ms: round(percentile(pan.work, 0.95)),
    };
  } finally {
    await harness.close();
  }
}

interface OpTiming {
  readonly hostMs: number;
  readonly arrivalMs: number;
  readonly webviewMs: number;
  readonly totalMs: number;
  readonly patched: boolean;
}

async function benchSimulatedOperations(harness: Harness): Promise<Record<string, number>> {
  const bundle = await esbuild.build({
    entryPoints: ['test/bench/page/simulationInPage.ts'],
    bundle: true,
    write: false,
    format: 'iife',
    platform: 'browser',
    target: 'es2022',
    logLevel: 'warning',
  });
  const page = await harness.open('dark');
  try {
    await page.page.evaluate(bundle.outputFiles[0]!.text);
    const setup = (await page.page.evaluate('window.__simBench.setup(20, 200000)')) as { liveAllocations: number; blocks: number };
    const ops: OpTiming[] = [];
    for (let i = 0; i < SIM_OPS; i++) ops.push((await page.page.evaluate('window.__simBench.operation()')) as OpTiming);
    const steady = ops.slice(5); // the first operation starts following the heap (one decode)
    return {
      simulatedOp1MLiveAllocations: setup.liveAllocations,
      simulatedOp1MBlocks: setup.blocks,
      simulatedOp1MPatchedShare: round(steady.filter(o => o.patched).length / steady.length),
      simulatedOp1MHostMedianMs: round(median(steady.map(o => o.hostMs))),
      simulatedOp1MWebviewMedianMs: round(median(steady.map(o => o.webviewMs))),
      // Host + webview: the work an operation costs on both sides (the aim is ≤ 16 ms).
      simulatedOp1MHostPlusWebviewMedianMs: round(median(steady.map(o => o.hostMs + o.webviewMs))),
      simulatedOp1MHostPlusWebviewP95Ms: round(
        percentile(
          steady.map(o => o.hostMs + o.webviewMs),
          0.95,
        ),
      ),
      simulatedOp1MPostToArrivalMedianMs: round(median(steady.map(o => o.arrivalMs))),
      simulatedOp1MTotalMedianMs: round(median(steady.map(o => o.totalMs))),
      simulatedOp1MFirstOpTotalMs: round(ops[0]!.totalMs),
    };
  } finally {
    await page.close();
  }
}
