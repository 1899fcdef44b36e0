// `buddy-heap inspect`: decode a raw memory image of a heap, print the view and its findings.
import { decodeHeap } from '../decoder/decode';
import { ByteImage } from '../memory/byteImage';
import { CliError, type CliIo, parseArgs } from './io';
import { parseInspectLayout } from './inspectLayout';
import { runInspectSnapshot } from './inspectSnapshot';
import { isSnapshotInput } from './snapshotInput';
import { formatView, viewToJson } from './viewText';

export { viewToJson };

const USAGE = 'buddy-heap inspect <image.bin> --layout <layout.json> [--json]  or  buddy-heap inspect <file.buddyheap> [--step N] [--json]';

export async function runInspect(args: readonly string[], io: CliIo): Promise<number> {
  const { positional, flags, values } = parseArgs(args, ['--json'], ['--layout', '--step']);
  const imagePath = positional[0];
  const layoutPath = values.get('--layout');
  if (imagePath !== undefined && layoutPath === undefined) {
    const bytes = await io.readBytes(imagePath);
    if (isSnapshotInput(imagePath, bytes)) return runInspectSnapshot(args, imagePath, bytes, io);
  }
  if (values.has('--step')) throw new CliError('--step is for snapshot files (*.buddyheap)', 2);
  if (imagePath === undefined || layoutPath === undefined) throw new CliError(`an image and --layout are both needed\nusage: ${USAGE}`, 2);
  const bytes = await io.readBytes(imagePath);
  let layout;
  try {
    layout = parseInspectLayout(await io.readText(layoutPath), bytes);
  } catch (error) {
    if (error instanceof CliError) throw error;
    throw new CliError(`${layoutPath}: ${(error as Error).message}`, 2);
  }
  const view = decodeHeap({
    fields: layout.fields,
    pointerWidth: layout.pointerWidth,
    endianness: layout.endianness,
    memory: heapBytes(bytes, layout.imageBase, layout.fields.heapBase, layout.fields.heapSize, layout),
  });
  io.out(flags.has('--json') ? JSON.stringify(viewToJson(view), null, 2) + '\n' : formatView(view));
  return 0;
}

/** The heap's part of the image as a ByteImage; bytes the image does not cover stay unknown. */
function heapBytes(
  image: Uint8Array,
  imageBase: bigint,
  heapBase: bigint,
  heapSize: bigint,
  layout: { pointerWidth: 4 | 8; endianness: 'little' | 'big' },
): ByteImage {
  // A struct claiming a huge heap must not make us allocate it: the decoder refuses those, and the
  // image is sized by what the file can actually cover.
  const size = heapSize > BigInt(Number.MAX_SAFE_INTEGER) ? 0 : Number(heapSize);
  const memory = new ByteImage(size, { pointerWidth: layout.pointerWidth, endianness: layout.endianness, unknownUntilWritten: true });
  const start = heapBase - imageBase;
  const from = start < 0n ? -start : 0n;
  const to = BigInt(size) < BigInt(image.length) - start ? BigInt(size) : BigInt(image.length) - start;
  if (to > from) memory.write(Number(from), image.subarray(Number(start + from), Number(start + to)));
  return memory;
}
