// The roots a program's own debug info declares: every static in writable memory, walked through
// its type to the words that hold pointers (C pointers, Rust Box/Rc/Arc/NonNull, Vec and String
// buffers, slices as fat pointers, Option and other enums, arrays and structs of them), each with
// a path like `app::CACHE.entries[3]`. Data symbols without debug info become conservative roots
// (every aligned word, attributed as symbol+offset). The walk is bounded and says where it was cut.
import { DW_AT as DW_AT_EXPORT, DW_TAG as DW_TAG_EXPORT } from '../dwarf/constants';
import { DwarfInfo } from '../dwarf/dwarfInfo';
import { findStaticVariables } from '../dwarf/staticVariables';
import { variablePath, variableType } from '../dwarf/variableInfo';
import { type DwarfType, type Member, TypeReader } from '../dwarf/types';
import type { ElfFile } from '../elf/elfFile';
import { readSymbols } from '../elf/symbols';
import type { MemoryRoot, PointerSlot } from './types';

const DW_AT = DW_AT_EXPORT;
const DW_TAG = DW_TAG_EXPORT;

const SHF_WRITE = 0x1n;
const SHF_ALLOC = 0x2n;
/** Thread-local sections hold a template, not the variables the threads use. */
const SHF_TLS = 0x400n;
const STT_OBJECT = 1;
/** Memory the loader makes read-only after relocating it (.data.rel.ro, .got): no pointer into a heap lives there. */
const PT_GNU_RELRO = 0x6474e552;
const MAX_ALIAS_CHAIN = 64;

export interface ProgramRootsOptions {
  /** Added to every address of the program (a position-independent program's load bias). Default 0. */
  readonly loadBias?: bigint;
  /** Target ranges that are not roots (the heap arena, the heap struct): statics inside them are dropped. */
  readonly exclude?: readonly { readonly address: bigint; readonly size: number }[];
  /** Nesting of records and arrays walked into. Default 32. */
  readonly maxDepth?: number;
  /** Elements walked per array. Default 4096. */
  readonly maxArrayElements?: number;
  /** Pointer slots in all. Default 1,000,000. */
  readonly maxSlots?: number;
}

export interface ProgramRoots {
  readonly roots: MemoryRoot[];
  /** Where the walk stopped early, one sentence each (at most 32; `cutCount` counts them all). */
  readonly cuts: string[];
  readonly cutCount: number;
  readonly staticsWalked: number;
  readonly slots: number;
}

interface Range {
  readonly start: bigint;
  readonly end: bigint;
}

/** A static's type walked to its pointer words. */
export function programRoots(elf: ElfFile, options: ProgramRootsOptions = {}): ProgramRoots {
  const bias = options.loadBias ?? 0n;
  const writable = elf.sections
    .filter(s => (s.flags & SHF_WRITE) !== 0n && (s.flags & SHF_ALLOC) !== 0n && (s.flags & SHF_TLS) === 0n && s.size > 0)
    .map(s => ({ start: s.address, end: s.address + BigInt(s.size) }));
  const relro = elf.segments
    .filter(p => p.type === PT_GNU_RELRO)
    .map(p => ({ start: p.virtualAddress, end: p.virtualAddress + p.memorySize }));
  const inWritable = (start: bigint, size: number) =>
    inWritableSection(start, size) && !relro.some(r => start < r.end && start + BigInt(size) > r.start);
  const inWritableSection = (start: bigint, size: number) => writable.some(r => start >= r.start && start + BigInt(size) <= r.end);
  const excluded = (options.exclude ?? []).map(e => ({ start: e.address, end: e.address + BigInt(e.size) }));
  // Only a static wholly inside an excluded range is dropped: the scan skips the excluded words of one that overlaps.
  const isExcluded = (start: bigint, size: number) => excluded.some(r => start >= r.start && start + BigInt(Math.max(size, 1)) <= r.end);

  const walker = new TypeWalker(
    options.maxDepth ?? 32,
    options.maxArrayElements ?? 4096,
    options.maxSlots ?? 1_000_000,
    elf.header.class === 64 ? 8 : 4,
  );
  const roots: MemoryRoot[] = [];
  const covered: Range[] = [];
  const seen = new Set<string>();
  let staticsWalked = 0;
  const dwarf = DwarfInfo.fromElf(elf);
  if (dwarf) {
    walker.attach(dwarf);
    for (const variable of findStaticVariables(dwarf)) {
      const type = variableType(dwarf, variable);
      const size = type === undefined ? undefined : walker.types!.byteSize(type);
      if (type === undefined || size === undefined || size <= 0) continue;
      if (!inWritable(variable.address, size)) continue;
      const label = variablePath(dwarf, variable);
      const key = `${label}@${variable.address}`;
      if (seen.has(key)) continue; // the same definition seen from two units
      seen.add(key);
      covered.push({ start: variable.address, end: variable.address + BigInt(size) });
      const address = variable.address + bias;
      if (isExcluded(address, size)) continue;
      staticsWalked++;
      const slots = walker.walk(type, label);
      if (slots.length > 0) roots.push({ kind: 'static', label, address, size, slots });
    }
  }
  for (const symbol of readSymbols(elf)) {
    if (symbol.type !== STT_OBJECT || symbol.size === 0n || symbol.size > 0x7fff_ffffn || symbol.name === '') continue;
    const size = Number(symbol.size);
    if (!inWritable(symbol.value, size)) continue;
    const end = symbol.value + symbol.size;
    if (covered.some(r => symbol.value < r.end && end > r.start)) continue; // debug info describes it
    covered.push({ start: symbol.value, end });
    const address = symbol.value + bias;
    if (isExcluded(address, size)) continue;
    roots.push({ kind: 'symbol', label: symbol.name, address, size });
  }
  roots.sort((a, b) => (a.address < b.address ? -1 : a.address > b.address ? 1 : 0));
  return { roots, cuts: walker.cuts, cutCount: walker.cutCount, staticsWalked, slots: walker.totalSlots };
}

const MAX_CUT_NOTES = 32;

class TypeWalker {
  types: TypeReader | undefined;
  private dwarf: DwarfInfo | undefined;
  readonly cuts: string[] = [];
  cutCount = 0;
  totalSlots = 0;
  private slots: PointerSlot[] = [];
  private taken = new Set<number>();
  private readonly elementSizes = new Map<number, number | undefined>();

  constructor(
    private readonly maxDepth: number,
    private readonly maxArrayElements: number,
    private readonly maxSlots: number,
    private readonly pointerSize: number,
  ) {}

  attach(dwarf: DwarfInfo): void {
    this.dwarf = dwarf;
    this.types = new TypeReader(dwarf);
  }

  /** The pointer slots of a value of the type; paths are relative to the root (empty for the root itself). */
  walk(type: number, label: string): PointerSlot[] {
    this.slots = [];
    this.taken = new Set();
    this.visit(type, '', 0, 0, label);
    const slots = this.slots;
    this.slots = [];
    return slots;
  }

  private cut(sentence: string): void {
    this.cutCount++;
    if (this.cuts.length < MAX_CUT_NOTES) this.cuts.push(sentence);
  }

  private add(slot: PointerSlot, label: string): void {
    if (this.taken.has(slot.offset)) return; // a union or enum: the first member naming the word keeps it
    if (this.totalSlots >= this.maxSlots) {
      if (this.totalSlots === this.maxSlots) this.cut(`${label}: stopped at ${this.maxSlots} pointer slots in all`);
      this.totalSlots++;
      return;
    }
    this.taken.add(slot.offset);
    this.slots.push(slot);
    this.totalSlots++;
  }

  private visit(typeOffset: number, path: string, offset: number, depth: number, label: string): void {
    if (this.totalSlots > this.maxSlots) return;
    if (depth > this.maxDepth) {
      this.cut(`${label}${path}: nested deeper than ${this.maxDepth} levels, not walked further`);
      return;
    }
    const stripped = this.strip(typeOffset);
    if (!stripped) return;
    const { type, offset: dieOffset } = stripped;
    if (type.kind === 'pointer') {
      if ((type.byteSize ?? this.pointerSize) === this.pointerSize) this.add({ offset, path: trimDot(path) }, label);
    } else if (type.kind === 'record') {
      this.record(type, dieOffset, path, offset, depth, label);
    } else if (type.kind === 'array' && type.element !== undefined) {
      this.array(type, path, offset, depth, label);
    }
  }

  private record(
    type: Extract<DwarfType, { kind: 'record' }>,
    dieOffset: number,
    path: string,
    offset: number,
    depth: number,
    label: string,
  ): void {
    const fat = this.fatPointer(type, dieOffset);
    if (fat) {
      this.add(
        { offset: offset + fat.pointer, path: trimDot(path), fat: { lengthOffset: offset + fat.length, elementSize: fat.elementSize } },
        label,
      );
    }
    for (const member of type.members) this.member(member, path, offset, depth, label);
    for (const part of type.variantParts) {
      for (const variant of part.variants) for (const member of variant.members) this.member(member, path, offset, depth, label);
    }
  }

  private member(member: Member, path: string, offset: number, depth: number, label: string): void {
    if (member.type === undefined || member.offset === undefined || member.bitField) return;
    // Anonymous members and base classes add no path component; Rust tuple fields `__0` read as `.0`.
    const name = member.name === undefined || member.inherited ? undefined : member.name.replace(/^__(\d+)$/, '$1');
    this.visit(member.type, name === undefined ? path : `${path}.${name}`, offset + member.offset, depth + 1, label);
  }

  private array(type: Extract<DwarfType, { kind: 'array' }>, path: string, offset: number, depth: number, label: string): void {
    const stride = this.types!.byteSize(type.element);
    if (stride === undefined || stride <= 0 || type.dimensions.some(d => d === undefined)) return;
    const dims = type.dimensions as number[];
    const count = dims.reduce((total, d) => total * d, 1);
    // Elements without a pointer add nothing: look at the first one before walking them all.
    const before = this.slots.length;
    const shown = Math.min(count, this.maxArrayElements);
    for (let i = 0; i < shown; i++) {
      this.visit(type.element!, `${path}${indexPath(i, dims)}`, offset + i * stride, depth + 1, label);
      if (i === 0 && this.slots.length === before) return;
    }
    if (shown < count) this.cut(`${label}${path}: ${count} elements, walked the first ${shown}`);
  }

  /**
   * A Rust slice reference (`&[T]`, `&str`, `*const [T]`: data_ptr + length) or a `Vec<T>` (its
   * buffer pointer + len): the data pointer and the length's offsets, and the element size.
   */
  private fatPointer(
    type: Extract<DwarfType, { kind: 'record' }>,
    dieOffset: number,
  ): { pointer: number; length: number; elementSize: number } | undefined {
    const named = (name: string) => type.members.find(m => m.name === name && m.offset !== undefined && m.type !== undefined);
    const data = named('data_ptr');
    const length = named('length');
    if (data && length) {
      const pointer = this.strip(data.type!)?.type;
      const elementSize = pointer?.kind === 'pointer' ? this.types!.byteSize(pointer.target) : undefined;
      if (elementSize === undefined || elementSize <= 0) return undefined;
      return { pointer: data.offset!, length: length.offset!, elementSize };
    }
    if (type.name?.startsWith('Vec<') || type.name?.startsWith('alloc::vec::Vec<')) {
      const len = named('len');
      const buf = named('buf');
      const elementSize = this.templateTypeSize(dieOffset);
      if (!len || !buf || elementSize === undefined || elementSize <= 0) return undefined;
      const inner = this.firstPointer(buf.type!, buf.offset!, 0);
      return inner === undefined ? undefined : { pointer: inner, length: len.offset!, elementSize };
    }
    return undefined;
  }

  /** Offset of the first pointer inside a type (RawVec → RawVecInner → Unique → NonNull → pointer). */
  private firstPointer(typeOffset: number, offset: number, depth: number): number | undefined {
    if (depth > 8) return undefined;
    const type = this.strip(typeOffset)?.type;
    if (type?.kind === 'pointer') return offset;
    if (type?.kind !== 'record') return undefined;
    for (const m of type.members) {
      if (m.type === undefined || m.offset === undefined) continue;
      const found = this.firstPointer(m.type, offset + m.offset, depth + 1);
      if (found !== undefined) return found;
    }
    return undefined;
  }

  /** The byte size of a generic record's first type parameter (`T` of `Vec<T>`), from its DW_TAG_template_type_param. */
  private templateTypeSize(dieOffset: number): number | undefined {
    if (this.elementSizes.has(dieOffset)) return this.elementSizes.get(dieOffset);
    const dwarf = this.dwarf!;
    const param = dwarf.children(dwarf.readDie(dieOffset)).find(c => c.tag === DW_TAG.template_type_param);
    const target = param ? dwarf.reference(param.attributes.get(DW_AT.type)) : undefined;
    const size = target === undefined ? undefined : this.types!.byteSize(target);
    this.elementSizes.set(dieOffset, size);
    return size;
  }

  /** Follows typedef/const/volatile to the type underneath, keeping its DIE offset. */
  private strip(offset: number | undefined): { type: DwarfType; offset: number } | undefined {
    for (let i = 0; offset !== undefined && i < MAX_ALIAS_CHAIN; i++) {
      const type = this.types!.read(offset);
      if (type.kind !== 'alias') return { type, offset };
      offset = type.target;
    }
    return undefined;
  }
}

function trimDot(path: string): string {
  return path.startsWith('.') ? path.slice(1) : path;
}

/** `[i]` for one dimension, `[i][j]` for more (row-major, as C and Rust lay them out). */
function indexPath(index: number, dims: readonly number[]): string {
  if (dims.length === 1) return `[${index}]`;
  const parts: number[] = [];
  for (let d = dims.length - 1; d >= 0; d--) {
    parts.unshift(index % dims[d]!);
    index = Math.floor(index / dims[d]!);
  }
  return parts.map(p => `[${p}]`).join('');
}
