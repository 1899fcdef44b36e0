// `buddy-heap inspect`: decode a raw memory image of a heap, print the view and its findings.
// The image is read by position (only the struct and the words the walks follow), and the view is
// written as it is produced, so neither the image's size nor the heap's block count decides memory.
import { decodeHeap } from '../decoder/decode';
import { HeapImageReader, ImagePages } from './imagePages';
import { CliError, type CliIo, inputName, parseArgs, randomAccess } from './io';
import { parseInspectLayout } from './inspectLayout';
import { runInspectSnapshot } from './inspectSnapshot';
import { writePrettyJson } from './prettyJson';
import { isSnapshotInput } from './snapshotInput';
import { viewToJson, writeTable } from './viewText';

export { findingToJson, viewToJson } from './viewText';

const USAGE = 'buddy-heap inspect <image.bin> --layout <layout.json> [--json]  or  buddy-heap inspect <file.buddyheap> [--step N] [--json]';
/** A layout file is a few hundred bytes; anything this large is the wrong file. */
const MAX_LAYOUT_BYTES = 1 << 20;
/** Enough of a file's start to tell a snapshot from a raw image. */
const SNIFF_BYTES = 256;

export async function runInspect(args: readonly string[], io: CliIo): Promise<number> {
  const { positional, flags, values } = parseArgs(args, ['--json'], ['--layout', '--step']);
  const imagePath = positional[0];
  const layoutPath = values.get('--layout');
  if (imagePath !== undefined && layoutPath === undefined && (await startsLikeSnapshot(io, imagePath)))
    return runInspectSnapshot(args, imagePath, await io.readBytes(imagePath), io);
  if (values.has('--step')) throw new CliError('--step is for snapshot files (*.buddyheap)', 2);
  if (imagePath === undefined || layoutPath === undefined) throw new CliError(`an image and --layout are both needed\nusage: ${USAGE}`, 2);
  const layoutText = await io.readText(layoutPath, MAX_LAYOUT_BYTES);
  const file = await randomAccess(io, imagePath);
  try {
    const image = new ImagePages(file);
    let layout;
    try {
      layout = parseInspectLayout(layoutText, image);
    } catch (error) {
      if (error instanceof CliError) throw error;
      throw new CliError(`${inputName(layoutPath)}: ${(error as Error).message}`, 2);
    }
    const view = decodeHeap({
      fields: layout.fields,
      pointerWidth: layout.pointerWidth,
      endianness: layout.endianness,
      memory: new HeapImageReader(
        image,
        layout.fields.heapBase,
        layout.imageBase,
        layout.fields.heapSize,
        layout.pointerWidth,
        layout.endianness === 'little',
      ),
    });
    const out = (text: string) => io.out(text);
    if (flags.has('--json')) {
      writePrettyJson(viewToJson(view), out);
      out('\n');
    } else writeTable(view, out);
  } finally {
    file.close();
  }
  return 0;
}

/** A snapshot by its extension or its first bytes; a raw image is never read whole to find out. */
async function startsLikeSnapshot(io: CliIo, path: string): Promise<boolean> {
  if (path === '-') return false;
  const file = await randomAccess(io, path);
  try {
    const head = new Uint8Array(Math.min(SNIFF_BYTES, file.size));
    file.read(head, 0);
    return isSnapshotInput(path, head);
  } finally {
    file.close();
  }
}
