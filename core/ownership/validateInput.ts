// Checks what the root walker, the stack reader and the caller hand to the scan, so a bad root is
// reported by index and label with a fix instead of silently scanning the wrong bytes.
import type { PointerWidth } from '../layout';
import { addressSpace } from '../layout';
import type { OwnershipInput, OwnershipOptions, PointerSlot, RootRegion } from './types';

/** The largest memory root scanned: larger regions are a walker bug (a whole address space), not a static. */
export const MAX_ROOT_BYTES = 2 ** 32;

export class OwnershipInputError extends Error {
  override readonly name = 'OwnershipInputError';
}

const KINDS: ReadonlySet<string> = new Set(['static', 'stack', 'symbol', 'register']);

export function validateOwnershipInput(input: OwnershipInput, options: OwnershipOptions): void {
  const width = input.heap.pointerWidth;
  if (width !== 4 && width !== 8) throw new OwnershipInputError(`the heap's pointer width ${String(width)} is not 4 or 8`);
  if (input.heapMemory.pointerWidth !== width) {
    throw new OwnershipInputError(
      `the heap memory reads ${input.heapMemory.pointerWidth}-byte words but the heap has ${width}-byte pointers; build both from the same layout`,
    );
  }
  if (!Array.isArray(input.roots)) throw new OwnershipInputError('roots must be an array of root regions (it may be empty)');
  input.roots.forEach((root, index) => validateRoot(root, index, width));
  if (input.heapStruct !== undefined) {
    const { address, size } = input.heapStruct;
    if (typeof address !== 'bigint' || address < 0n || !Number.isSafeInteger(size) || size < 0) {
      throw new OwnershipInputError('heapStruct needs a bigint address ≥ 0 and a whole byte size ≥ 0 (the Heap<N> struct as read)');
    }
  }
  const budget = options.maxBytes;
  if (budget !== undefined && !(budget === Infinity || (Number.isSafeInteger(budget) && budget >= 0))) {
    throw new OwnershipInputError(`maxBytes ${String(budget)} is not a whole number of bytes ≥ 0 (or Infinity for no limit)`);
  }
}

function validateRoot(root: RootRegion, index: number, width: PointerWidth): void {
  const where = `root ${index}`;
  if (typeof root !== 'object' || root === null) throw new OwnershipInputError(`${where} is not an object`);
  if (!KINDS.has(root.kind)) {
    throw new OwnershipInputError(`${where}: kind ${JSON.stringify(root.kind)} is not one of static, stack, symbol, register`);
  }
  if (typeof root.label !== 'string' || root.label.length === 0) {
    throw new OwnershipInputError(`${where}: needs a non-empty label naming it for the user (e.g. app::CACHE, thread 1 frame #0 main, r4)`);
  }
  const named = `${where} (${root.label})`;
  const space = addressSpace(width);
  if (root.kind === 'register') {
    if (typeof root.value !== 'bigint' || root.value < 0n || root.value >= space) {
      throw new OwnershipInputError(`${named}: value must be a bigint from 0 below 2^${width * 8}`);
    }
    return;
  }
  if (typeof root.address !== 'bigint' || root.address < 0n) throw new OwnershipInputError(`${named}: address must be a bigint ≥ 0`);
  if (!Number.isSafeInteger(root.size) || root.size < 0 || root.size > MAX_ROOT_BYTES) {
    throw new OwnershipInputError(`${named}: size ${String(root.size)} is not a whole byte count from 0 to 2^32`);
  }
  if (root.address + BigInt(root.size) > space) {
    throw new OwnershipInputError(
      `${named}: ${root.size} bytes at 0x${root.address.toString(16)} run past the ${width * 8}-bit address space`,
    );
  }
  if (root.slots === undefined) return;
  if (!Array.isArray(root.slots)) throw new OwnershipInputError(`${named}: slots must be an array (or absent for a conservative scan)`);
  root.slots.forEach((slot, i) => validateSlot(slot, `${named} slot ${i}`, root.size, width));
}

function validateSlot(slot: PointerSlot, where: string, size: number, width: PointerWidth): void {
  if (typeof slot !== 'object' || slot === null) throw new OwnershipInputError(`${where} is not an object`);
  if (typeof slot.path !== 'string') throw new OwnershipInputError(`${where}: path must be a string (empty for the root itself)`);
  checkWordOffset(slot.offset, `${where} (${slot.path}): offset`, size, width);
  if (slot.fat === undefined) return;
  checkWordOffset(slot.fat.lengthOffset, `${where} (${slot.path}): fat.lengthOffset`, size, width);
  const element = slot.fat.elementSize;
  if (!Number.isSafeInteger(element) || element < 1) {
    throw new OwnershipInputError(`${where} (${slot.path}): fat.elementSize ${String(element)} must be a whole byte count ≥ 1 (1 for str)`);
  }
}

function checkWordOffset(offset: number, what: string, size: number, width: PointerWidth): void {
  if (!Number.isSafeInteger(offset) || offset < 0 || offset + width > size) {
    throw new OwnershipInputError(
      `${what} ${String(offset)} must be a whole number with a ${width}-byte word inside the root's ${size} bytes`,
    );
  }
}
