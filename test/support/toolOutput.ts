// Parsers for what readelf and gdb print, so tests compare the reader with the system's tools on
// the same binary (expectations are computed from their output, never pasted).
import { runTool } from './debugPrograms';

export interface ReadelfSection {
  readonly index: number;
  readonly name: string;
  readonly type: string;
  readonly address: bigint;
  readonly offset: number;
  readonly size: number;
  readonly flags: string;
}

/** `readelf -SW`: every section header row. */
export function readelfSections(file: string): ReadelfSection[] {
  const rows: ReadelfSection[] = [];
  for (const line of runTool('readelf', ['-SW', file]).split('\n')) {
    const m = /^\s*\[\s*(\d+)\]\s(.*)$/.exec(line);
    if (!m) continue;
    const index = Number(m[1]);
    const tokens = m[2]!.trim().split(/\s+/);
    if (index === 0) tokens.unshift('');
    const [name, type, address, offset, size, , ...rest] = tokens;
    // Flags sit between ES and the three numeric columns Lk Inf Al.
    const flags = rest.length > 3 ? rest.slice(0, rest.length - 3).join('') : '';
    rows.push({
      index,
      name: name!,
      type: type!,
      address: BigInt('0x' + address),
      offset: parseInt(offset!, 16),
      size: parseInt(size!, 16),
      flags,
    });
  }
  return rows;
}

export interface ReadelfSegment {
  readonly type: string;
  readonly offset: number;
  readonly virtualAddress: bigint;
  readonly physicalAddress: bigint;
  readonly fileSize: number;
  readonly memorySize: bigint;
}

/** `readelf -lW`: the program header rows. */
export function readelfSegments(file: string): ReadelfSegment[] {
  const rows: ReadelfSegment[] = [];
  let inTable = false;
  for (const line of runTool('readelf', ['-lW', file]).split('\n')) {
    if (line.startsWith('Program Headers:')) inTable = true;
    else if (inTable && line.trim() === '') break;
    else if (inTable) {
      const tokens = line.trim().split(/\s+/);
      if (tokens[0] === 'Type' || tokens[0]!.startsWith('[')) continue;
      rows.push({
        type: tokens[0]!,
        offset: parseInt(tokens[1]!, 16),
        virtualAddress: BigInt(tokens[2]!),
        physicalAddress: BigInt(tokens[3]!),
        fileSize: parseInt(tokens[4]!, 16),
        memorySize: BigInt(tokens[5]!),
      });
    }
  }
  return rows;
}

export interface ReadelfSymbol {
  readonly index: number;
  readonly value: bigint;
  readonly size: bigint;
  readonly type: string;
  readonly binding: string;
  readonly name: string;
}

/** `readelf -sW`: the rows of the '.symtab' table. */
export function readelfSymtab(file: string): ReadelfSymbol[] {
  const rows: ReadelfSymbol[] = [];
  let inTable = false;
  for (const line of runTool('readelf', ['-sW', file]).split('\n')) {
    if (line.startsWith('Symbol table ')) inTable = line.includes("'.symtab'");
    else if (inTable) {
      const m = /^\s*(\d+):\s+([0-9a-f]+)\s+(\S+)\s+(\S+)\s+(\S+)\s+(\S+)\s+(\S+)\s?(.*)$/.exec(line);
      if (!m) continue;
      const size = m[3]!.startsWith('0x') ? BigInt(m[3]!) : BigInt(m[3]!);
      rows.push({ index: Number(m[1]), value: BigInt('0x' + m[2]), size, type: m[4]!, binding: m[5]!, name: m[8]! });
    }
  }
  return rows;
}

/** `readelf -hW`: the header's fields by their label. */
export function readelfHeader(file: string): Map<string, string> {
  const fields = new Map<string, string>();
  for (const line of runTool('readelf', ['-hW', file]).split('\n')) {
    const m = /^\s+([^:]+):\s+(.*)$/.exec(line);
    if (m) fields.set(m[1]!.trim(), m[2]!.trim());
  }
  return fields;
}

/**
 * `readelf --debug-dump=info`: every DW_TAG_variable whose location is exactly `DW_OP_addr`, as
 * name → addresses (a name can be defined in several units, or in several functions).
 */
export function readelfStaticVariables(file: string): { name: string; address: bigint }[] {
  const found: { name: string; address: bigint }[] = [];
  let current: { tag: string; name?: string; address?: bigint } | undefined;
  const flush = () => {
    if (current?.tag === 'DW_TAG_variable' && current.name !== undefined && current.address !== undefined && current.address !== 0n) {
      found.push({ name: current.name, address: current.address });
    }
  };
  for (const line of runTool('readelf', ['--debug-dump=info', file]).split('\n')) {
    const die = /^\s*<\d+><[0-9a-f]+>: Abbrev Number: \d+ \((DW_TAG_\w+)\)/.exec(line);
    if (die) {
      flush();
      current = { tag: die[1]! };
      continue;
    }
    if (!current) continue;
    const name = /^\s*<[0-9a-f]+>\s+DW_AT_name\s*:\s(.*)$/.exec(line);
    if (name) current.name = name[1]!.startsWith('(') ? name[1]!.replace(/^\(.*?\):\s/, '') : name[1]!.trim();
    const location = /^\s*<[0-9a-f]+>\s+DW_AT_location\s*:.*\(DW_OP_addr: ([0-9a-f]+)\)\s*$/.exec(line);
    if (location) current.address = BigInt('0x' + location[1]);
  }
  flush();
  return found;
}

/** Runs gdb once on a program with many commands; returns each command's output. */
export function gdbBatch(gdb: string, file: string, commands: readonly string[]): string[] {
  const args = ['-batch', '-nx', '-iex', 'set auto-load no', '-iex', 'set debuginfod enabled off'];
  commands.forEach((command, i) => args.push('-ex', `echo @@${i}\\n`, '-ex', command));
  args.push('-ex', `echo @@${commands.length}\\n`, file);
  const output = runToolMerged(gdb, args);
  const parts: string[] = [];
  for (let i = 0; i < commands.length; i++) {
    const start = output.indexOf(`@@${i}\n`);
    const end = output.indexOf(`@@${i + 1}\n`);
    parts.push(start < 0 || end < 0 ? '' : output.slice(start + `@@${i}\n`.length, end));
  }
  return parts;
}

function runToolMerged(tool: string, args: string[]): string {
  // gdb writes errors of a batch command to stderr; both streams are wanted, in order, so merge them.
  return runTool('sh', ['-c', `"$0" "$@" 2>&1`, tool, ...args]);
}

/** `info address X`: the static's address, or undefined when gdb says otherwise. */
export function gdbStaticAddress(output: string): bigint | undefined {
  const m = /is static storage at address (0x[0-9a-f]+)/.exec(output);
  return m ? BigInt(m[1]!) : undefined;
}

/** `print/x &(X)`: the address gdb computes. */
export function gdbPrintedAddress(output: string): bigint | undefined {
  const m = /\$\d+ = (?:\([^)]*\) )?(0x[0-9a-f]+)/.exec(output);
  return m ? BigInt(m[1]!) : undefined;
}

/** `ptype/o X`: the top-level fields' offsets and sizes, by field name. */
export function gdbFieldLayout(output: string): Map<string, { offset: number; size: number }> {
  const fields = new Map<string, { offset: number; size: number }>();
  for (const line of output.split('\n')) {
    const m = /^\/\*\s+(\d+)(?::\s*\d+)?\s+\|\s+(\d+)\s+\*\/ {4}(\S.*)$/.exec(line);
    if (!m) continue;
    const declaration = m[3]!;
    // Rust prints "name: type,", C prints "type name[N];".
    const name = /^(\w+): /.exec(declaration)?.[1] ?? /(\w+)(?:\[\d+\])*;$/.exec(declaration)?.[1];
    if (name) fields.set(name, { offset: Number(m[1]), size: Number(m[2]) });
  }
  return fields;
}

export interface ReadelfUnit {
  readonly offset: number;
  readonly length: number;
  readonly version: number;
  readonly abbrevOffset: number;
  readonly pointerSize: number;
}

/** `readelf --debug-dump=info`: the headers of the units in .debug_info. */
export function readelfUnits(file: string): ReadelfUnit[] {
  const units: ReadelfUnit[] = [];
  let current: { -readonly [K in keyof ReadelfUnit]?: ReadelfUnit[K] } | undefined;
  let inInfo = false;
  for (const line of runTool('readelf', ['--debug-dump=info', file]).split('\n')) {
    if (line.startsWith('Contents of the ')) inInfo = line.includes('.debug_info');
    if (!inInfo) continue;
    const start = /^\s+Compilation Unit @ offset (0x[0-9a-f]+|\d+):/.exec(line);
    if (start) units.push((current = { offset: Number(start[1]) }) as ReadelfUnit);
    else if (current) {
      const field = /^\s+(Length|Version|Abbrev Offset|Pointer Size):\s+(0x[0-9a-f]+|\d+)/.exec(line);
      if (!field) continue;
      const value = Number(field[2]);
      if (field[1] === 'Length') current.length = value;
      else if (field[1] === 'Version') current.version = value;
      else if (field[1] === 'Abbrev Offset') current.abbrevOffset = value;
      else current.pointerSize = value;
    }
  }
  return units;
}
