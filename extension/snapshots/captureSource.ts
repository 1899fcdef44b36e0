// What Save Heap Snapshot writes for each kind of source: a simulation's layout and operations, a
// live heap's kept reads (struct fields and only the bytes read), or a reopened snapshot's steps.
import * as l10n from '@vscode/l10n';
import { ByteImage } from '../../core/memory/byteImage';
import type { LiveSnapshotFile, SnapshotFile, SnapshotOwnership, SnapshotProgram, SnapshotStop } from '../../core/snapshot/format';
import type { OwnershipInputs } from '../dap/ownership/liveOwnership';
import type { LiveHeapSource } from '../live/liveHeapSource';
import type { StepCapture } from '../live/snapshotHistory';
import type { PanelSource } from '../panel/panelSource';
import { SimulatedHeap } from '../simulation/simulatedHeap';
import { SnapshotSource } from './snapshotSource';

export type SaveScope = 'shown' | 'all';

export type Captured = { readonly ok: true; readonly file: SnapshotFile } | { readonly ok: false; readonly message: string };

export function captureSource(source: PanelSource, scope: SaveScope, program?: SnapshotProgram): Captured {
  const savedAt = new Date().toISOString();
  if (source instanceof SnapshotSource) return { ok: true, file: source.capture(scope) };
  if (source instanceof SimulatedHeap) {
    const history = source.history();
    const operations = source.operations(scope === 'all' ? history.total - 1 : history.current);
    return {
      ok: true,
      file: { kind: 'simulated', name: source.describe().label, savedAt, shownStep: history.current, layout: source.layout, operations },
    };
  }
  if (isLive(source)) return captureLive(source, scope, savedAt, program);
  return { ok: false, message: l10n.t('this heap source cannot be saved') };
}

function isLive(source: PanelSource): source is LiveHeapSource {
  return typeof (source as Partial<LiveHeapSource>).capturedSteps === 'function';
}

function captureLive(source: LiveHeapSource, scope: SaveScope, savedAt: string, program: SnapshotProgram | undefined): Captured {
  const shown = source.history().current;
  const kept = source.capturedSteps(scope);
  const current = kept.find(k => k.step === shown) ?? kept[kept.length - 1];
  if (!current)
    return {
      ok: false,
      message: l10n.t('{0} has no saved read at this step yet: save after the target stopped and the heap was read', source.heapName),
    };
  // One byte order and pointer width per file: a stop read before the order was settled is left out.
  const { pointerWidth, endianness } = current.capture.snapshot;
  const same = kept.filter(k => k.capture.snapshot.pointerWidth === pointerWidth && k.capture.snapshot.endianness === endianness);
  const file: LiveSnapshotFile = {
    kind: 'live',
    name: source.heapName,
    savedAt,
    ...(program && (program.path || program.buildId) ? { program } : {}),
    shownStep: same.indexOf(current),
    pointerWidth,
    endianness,
    stops: same.map(k => stopOf(k.text, k.capture)),
  };
  return { ok: true, file };
}

function stopOf(text: string, capture: StepCapture): SnapshotStop {
  const memory = capture.snapshot.memory;
  const image = memory instanceof ByteImage ? memory : undefined;
  return {
    text,
    ...(capture.stop.reason !== undefined ? { reason: capture.stop.reason } : {}),
    ...(capture.stop.description !== undefined ? { description: capture.stop.description } : {}),
    time: capture.time,
    ...(capture.frameId !== undefined ? { frame: { id: capture.frameId } } : {}),
    fields: capture.snapshot.fields,
    imageSize: memory.size,
    memory: image ? knownBytes(capture.ownership?.heapMemory ?? image) : [],
    ...(capture.ownership ? { ownership: ownershipOf(capture.ownership) } : {}),
  };
}

/** An image's known bytes as [offset, bytes] ranges (the unread ones stay unknown in the file). */
function knownBytes(image: ByteImage): (readonly [number, Uint8Array])[] {
  return image.knownRanges().map(([offset, length]) => [offset, image.read(offset, length)!] as const);
}

/** The scan's roots and the target bytes it read for them, in address order. */
function ownershipOf(inputs: OwnershipInputs): SnapshotOwnership {
  const rootMemory = inputs.rootMemory
    .flatMap(segment => {
      const image = segment.image;
      if (!(image instanceof ByteImage)) return [];
      return knownBytes(image).map(([offset, bytes]) => [segment.address + BigInt(offset), bytes] as const);
    })
    .sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
  return { roots: inputs.roots, rootMemory, heapStruct: inputs.heapStruct };
}
