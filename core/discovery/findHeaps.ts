// Zero-configuration discovery: every static of the program that is, or contains at any depth,
// a buddy heap (through wrapper structs, UnsafeCell, Mutex, RefCell, MaybeUninit unions, Rust
// enums like Option, and small arrays), with its path, address, field offsets, N, pointer width
// and byte order. Types are read on demand and whether a type can hold a heap is cached, so each
// type DIE is decoded at most once however many statics use it.
import { DwarfInfo } from '../dwarf/dwarfInfo';
import { forEachStaticVariable } from '../dwarf/staticVariables';
import { variablePath, variableType } from '../dwarf/variableInfo';
import { TypeReader } from '../dwarf/types';
import type { UnitHeader } from '../dwarf/unit';
import type { ElfFile } from '../elf/elfFile';
import { ET_REL } from '../elf/elfTypes';
import { ProgramReadError } from '../elf/readError';
import type { Endianness } from '../layout';
import { hasHeapFieldNames, matchHeapShape } from './heapShape';
import type { DiscoveredHeap, HeapDiscovery, NearMiss, VariantCondition } from './heapTypes';
import { type FoundLock, lockFlagOf } from './lockFlag';
import { LEAF_TYPE, MemberScanner } from './memberScan';
import { TypeVerdicts } from './typeVerdicts';
import { unitMayDeclareHeap } from './unitFilter';

/** Wrappers nest a few levels (Locked → UnsafeCell → Option → Heap); anything deeper is not a wrapper. */
const MAX_DEPTH = 24;
/** An array of heaps is expanded element by element up to this many. */
const MAX_ARRAY_ELEMENTS = 256;
/** Places visited in all; nested arrays in corrupt DWARF could otherwise multiply without end. */
const MAX_VISITS = 100_000;

export interface DiscoveryOptions {
  /** Read every unit, not only those whose bytes name the heap's fields (tests check the shortcut with it). */
  readonly scanAllUnits?: boolean;
}

export function discoverHeaps(elf: ElfFile, options: DiscoveryOptions = {}): HeapDiscovery {
  if (elf.header.type === ET_REL) {
    throw new ProgramReadError(
      'unsupported',
      'this is an object file (.o): its debug info is not relocated yet; point at the linked program instead',
    );
  }
  const dwarf = DwarfInfo.fromElf(elf);
  if (!dwarf) {
    throw new ProgramReadError(
      'no-debug-info',
      'the program has no debug info (.debug_info); build it with -g (Rust: debug = true in the profile), or configure the heap by address',
    );
  }
  return new HeapFinder(dwarf, elf.header.endianness).run(options.scanAllUnits ? undefined : unitMayDeclareHeap(dwarf));
}

class HeapFinder {
  private readonly types: TypeReader;
  private readonly members: MemberScanner;
  private readonly holdsHeap: TypeVerdicts;
  private readonly heaps = new Map<string, DiscoveredHeap>();
  private readonly nearMisses = new Map<string, NearMiss>();
  private visits = 0;

  constructor(
    private readonly dwarf: DwarfInfo,
    private readonly endianness: Endianness,
  ) {
    this.types = new TypeReader(dwarf);
    this.holdsHeap = new TypeVerdicts(dwarf.sections.info.length);
    this.members = new MemberScanner(dwarf);
  }

  run(include: ((unit: UnitHeader) => boolean) | undefined): HeapDiscovery {
    // Each static is looked at as it is found: the many that cannot hold a heap are never kept.
    const staticsScanned = forEachStaticVariable(this.dwarf, include, variable => {
      const type = variableType(this.dwarf, variable);
      if (type === undefined || !this.mayHoldHeap(type, 0)) return;
      const path = variablePath(this.dwarf, variable);
      const found = { path, address: variable.address, typeName: this.types.name(type) };
      this.collect(type, path, 0, [], undefined, 0, found, variable.unit.addressSize);
    });
    const byAddress = (a: { address?: bigint; path: string }, b: { address?: bigint; path: string }) =>
      a.address !== undefined && b.address !== undefined && a.address !== b.address
        ? a.address < b.address
          ? -1
          : 1
        : a.path.localeCompare(b.path);
    return {
      heaps: [...this.heaps.values()].sort(byAddress),
      nearMisses: [...this.nearMisses.values()].sort(byAddress),
      staticsScanned,
    };
  }

  /** Whether a value of the type is, or contains, a struct with the heap's field names (cached per type DIE). */
  private mayHoldHeap(offset: number, depth: number): boolean {
    const cached = this.holdsHeap.get(offset);
    if (cached !== undefined) return cached;
    if (depth > MAX_DEPTH) return false;
    const light = this.members.scan(offset);
    // Most types are leaves: answered from their tag, not kept (the verdict costs less than a map entry).
    if (light === LEAF_TYPE) return false;
    this.holdsHeap.set(offset, false); // a type that contains itself (only in corrupt DWARF) ends here
    if (light) {
      // A struct naming min_block_size_log2 may be a heap (collect decides); else look inside its members.
      const holds = light.namesMarker || light.memberTypes.some(type => this.mayHoldHeap(type, depth + 1));
      this.holdsHeap.set(offset, holds);
      return holds;
    }
    // Not kept: only the verdict is, so the types of a large build are not all held at once.
    // One step at a time (a typedef's target goes through the light member scan above too).
    const type = this.types.peek(offset);
    let holds = false;
    if (type.kind === 'alias') {
      holds = type.target !== undefined && this.mayHoldHeap(type.target, depth + 1);
    } else if (type.kind === 'record') {
      holds =
        hasHeapFieldNames(type) ||
        type.members.some(m => m.type !== undefined && !m.bitField && this.mayHoldHeap(m.type, depth + 1)) ||
        type.variantParts.some(part =>
          part.variants.some(v => v.members.some(m => m.type !== undefined && this.mayHoldHeap(m.type, depth + 1))),
        );
    } else if (type.kind === 'array') {
      holds = type.element !== undefined && this.mayHoldHeap(type.element, depth + 1);
    }
    this.holdsHeap.set(offset, holds);
    return holds;
  }

  private collect(
    typeOffset: number,
    path: string,
    offset: number,
    conditions: readonly VariantCondition[],
    lock: FoundLock | undefined,
    depth: number,
    variable: DiscoveredHeap['variable'],
    addressSize: number,
  ): void {
    if (depth > MAX_DEPTH || ++this.visits > MAX_VISITS || !this.mayHoldHeap(typeOffset, depth)) return;
    const type = this.types.strip(typeOffset);
    const address = BigInt.asUintN(addressSize * 8, variable.address + BigInt(offset));
    if (type?.kind === 'record') {
      if (hasHeapFieldNames(type)) {
        const match = matchHeapShape(type, this.types, addressSize);
        const key = `${path}@${address}`;
        if (match.ok) {
          this.heaps.set(key, {
            path,
            address,
            ...match.shape,
            endianness: this.endianness,
            typeName: type.name,
            structSize: type.byteSize,
            variable,
            conditions: conditions.map(c => ({ ...c, discriminantOffset: c.discriminantOffset - offset })),
            ...(lock ? { lock: { path: lock.path, offset: lock.staticOffset - offset, size: lock.size } } : {}),
          });
        } else this.nearMisses.set(key, { path, typeName: type.name, reason: match.reason });
        return;
      }
      // A lock beside the member the heap is in guards it (the innermost wrapper's lock wins).
      const wrapperLock = lockFlagOf(this.types, type.members, path, offset);
      for (const member of type.members) {
        if (member.type === undefined || member.offset === undefined || member.bitField) continue;
        // Anonymous members (C11 anonymous structs) and base classes add no path component.
        const memberPath = member.name === undefined ? path : `${path}.${member.name}`;
        const guard = wrapperLock && wrapperLock.member !== member ? wrapperLock.flag : lock;
        this.collect(member.type, memberPath, offset + member.offset, conditions, guard, depth + 1, variable, addressSize);
      }
      for (const part of type.variantParts) {
        const discriminant = part.discriminant;
        const discriminantSize = discriminant?.type !== undefined ? this.types.byteSize(discriminant.type) : undefined;
        for (const variant of part.variants) {
          for (const member of variant.members) {
            if (member.type === undefined || member.offset === undefined) continue;
            const inner =
              discriminant?.offset !== undefined && discriminantSize !== undefined && variant.discriminantValue !== undefined
                ? [
                    ...conditions,
                    {
                      variant: member.name ?? '?',
                      discriminantOffset: offset + discriminant.offset,
                      discriminantSize,
                      value: variant.discriminantValue,
                    },
                  ]
                : conditions;
            this.collect(
              member.type,
              `${path}.${member.name ?? '?'}`,
              offset + member.offset,
              inner,
              lock,
              depth + 1,
              variable,
              addressSize,
            );
          }
        }
      }
    } else if (type?.kind === 'array' && type.element !== undefined) {
      const count = type.dimensions.reduce<number | undefined>(
        (total, d) => (total === undefined || d === undefined ? undefined : total * d),
        1,
      );
      const stride = this.types.byteSize(type.element);
      if (count === undefined || stride === undefined || type.dimensions.length !== 1) return;
      for (let i = 0; i < Math.min(count, MAX_ARRAY_ELEMENTS); i++) {
        this.collect(type.element, `${path}[${i}]`, offset + i * stride, conditions, lock, depth + 1, variable, addressSize);
      }
    }
  }
}
