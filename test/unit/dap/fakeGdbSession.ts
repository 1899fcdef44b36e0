// A DapChannel that answers like cdt-gdb-adapter over gdb does (same result strings, same
// quirks: success with "Error: ..." for unknown symbols, short reads at the end of mapped memory,
// failures for unmapped starts), over memory the test lays out. It records every request.
import { decodeWord } from '../../../core/memory/byteImage';
import { AdapterCapabilities } from '../../../extension/dap/adapterCapabilities';
import type { DapChannel } from '../../../extension/dap/dapSession';
import type { FieldOffsets } from '../../../extension/dap/heapSpec';

export interface FakeStruct {
  readonly expression: string;
  readonly address: bigint;
  readonly offsets: FieldOffsets;
  readonly orders: number;
  readonly pointerWidth: 4 | 8;
  readonly typeName: string;
  /** On the stack: gdb prints its address with no symbol. */
  readonly local?: boolean;
  /** How the target stores words (default little): the debugger prints values decoded this way. */
  readonly endianness?: 'little' | 'big';
  /** A local of this frame only (frame 1000 is the top, `checkpoint`; 1001 is its caller): elsewhere gdb knows no such symbol. */
  readonly frame?: number;
}

export interface FakeRequest {
  readonly command: string;
  readonly args: Record<string, unknown>;
}

const FIELDS: Readonly<Record<string, keyof FieldOffsets>> = {
  heap_base: 'heapBase',
  heap_size: 'heapSize',
  free_lists: 'freeLists',
  min_block_size: 'minBlockSize',
  min_block_size_log2: 'minBlockSizeLog2',
};

/** What cdt-gdb-adapter 1.7 answers to initialize (dist/gdb/GDBDebugSessionBase.js), the memory flags included. */
export const CDT_GDB_CAPABILITIES = {
  supportsConfigurationDoneRequest: true,
  supportsEvaluateForHovers: true,
  supportsSetVariable: true,
  supportsFunctionBreakpoints: true,
  supportsDisassembleRequest: true,
  supportsReadMemoryRequest: true,
  supportsWriteMemoryRequest: true,
  supportsTerminateRequest: true,
} as const;

export class FakeGdbSession implements DapChannel {
  readonly requests: FakeRequest[] = [];
  /** Replace it to play an adapter that advertises less (lldb-dap 19 has no supportsReadMemoryRequest). */
  capabilities = AdapterCapabilities.fromInitialize('gdb', CDT_GDB_CAPABILITIES);
  /** Mapped regions; a read may run from one into the next only if they touch. */
  readonly regions: { start: bigint; bytes: Uint8Array }[] = [];
  /** Reads whose start falls in one of these fail like an unmapped address. */
  readonly failing: { start: bigint; end: bigint }[] = [];
  /**
   * Bytes the adapter answers for with `unreadableBytes` instead of failing (lldb-dap's way: the data
   * stops there and the rest of the request is counted as unreadable).
   */
  readonly unreadable: { start: bigint; end: bigint }[] = [];
  /** Pad the data with zeros up to the count for unreadable bytes (adapters that do): only `unreadableBytes` says so. */
  padUnreadable = false;
  running = false;
  gone = false;
  /** When set, every request but threads fails with this text (an adapter busy with something else). */
  busy: string | undefined;
  /** sizeof(...) of these fields fails (debuggers whose expression language has no sizeof); true: every field. */
  sizeofFails: boolean | readonly string[] = false;
  /** The type `&(E).free_lists` reports, when not gdb's `FreeBlock *(*)[N]` (lldb may give no length). */
  freeListsType: string | undefined;
  /** What `(E).heap_size` answers instead of the value in memory (a debugger reading elsewhere, or failing). */
  heapSizeResult: string | undefined;
  /** Other variables: `&(E)` evaluates, but any field of them fails as gdb's success:false does. */
  readonly others: { expression: string; address: bigint; typeName: string }[] = [];
  /** Milliseconds each answer takes. */
  delay = 0;
  /** What stackTrace answers (innermost first), when not the one `checkpoint` frame. */
  frames: { name: string; instructionPointerReference?: string }[] | undefined;
  /** While set, stackTrace answers only once it resolves (an unwind slower than the heap's reads). */
  stackTraceGate: Promise<void> | undefined;
  /** Called for every request before it is answered (to abort mid-read, say). */
  onRequest: ((request: FakeRequest) => void) | undefined;
  /** Frame 0's Registers scope as cdt-gdb-adapter lists it (name → value text); none when undefined. */
  registers: Readonly<Record<string, string>> | undefined;

  /** Replace it to move the struct (a local in another frame, a reloaded program). */
  constructor(public struct: FakeStruct | undefined) {}

  map(start: bigint, bytes: Uint8Array): void {
    this.regions.push({ start, bytes });
  }

  readRequests(): FakeRequest[] {
    return this.requests.filter(r => r.command === 'readMemory');
  }

  async customRequest(command: string, args?: unknown): Promise<unknown> {
    const request = { command, args: (typeof args === 'object' && args !== null ? args : {}) as Record<string, unknown> };
    this.requests.push(request);
    this.onRequest?.(request);
    if (this.delay > 0) await new Promise(resolve => setTimeout(resolve, this.delay));
    if (this.gone) throw new Error('Debug adapter exited (code 1)');
    if (this.busy !== undefined && command !== 'threads') throw new Error(this.busy);
    if (this.running && command !== 'threads') throw new Error('Cannot execute this command while the selected thread is running.');
    switch (command) {
      case 'threads':
        return { threads: [{ id: 1, name: 'main' }] };
      case 'stackTrace':
        await this.stackTraceGate;
        if (this.frames) {
          const levels = Number(request.args.levels) || this.frames.length;
          return {
            stackFrames: this.frames.slice(0, levels).map((frame, i) => ({ id: 1000 + i, line: 1, column: 1, ...frame })),
            totalFrames: this.frames.length,
          };
        }
        return { stackFrames: [{ id: 1000, name: 'checkpoint', line: 1, column: 1 }], totalFrames: 2 };
      case 'evaluate':
        return this.evaluate(String(request.args.expression), request.args.frameId);
      case 'readMemory':
        return this.readMemory(String(request.args.memoryReference), Number(request.args.count));
      case 'scopes':
        return {
          scopes: [
            { name: 'Local', variablesReference: 1, expensive: false },
            ...(this.registers ? [{ name: 'Registers', variablesReference: 2, expensive: true }] : []),
          ],
        };
      case 'variables':
        return {
          variables:
            request.args.variablesReference === 2 && this.registers
              ? Object.entries(this.registers).map(([name, value]) => ({ name, value, variablesReference: 0 }))
              : [],
        };
      default:
        throw new Error(`fake adapter: ${command} is not supported here`);
    }
  }

  private evaluate(expression: string, frameId: unknown): { result: string; type?: string; variablesReference: number } {
    for (const other of this.others) {
      if (expression === `&(${other.expression})`)
        return { result: `0x${other.address.toString(16)} <${other.expression}>`, type: `*mut ${other.typeName}`, variablesReference: 0 };
      if (expression.includes(`(${other.expression})`))
        throw new Error(`There is no member named ${/\.(\w+)\)?$/.exec(expression)?.[1] ?? '?'}.`);
    }
    const s = this.struct;
    const error = { result: 'Error: could not evaluate expression', variablesReference: 0 };
    if (!s || (s.frame !== undefined && frameId !== s.frame)) return error;
    const e = s.expression.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
    const hex = (a: bigint, suffix = '') => `0x${a.toString(16)}${s.local ? '' : ` <${s.expression.split('.')[0]}${suffix}>`}`;
    if (new RegExp(`^&\\(${e}\\)$`).test(expression)) return { result: hex(s.address), type: `${s.typeName} *`, variablesReference: 0 };
    const field = new RegExp(`^&\\(${e}\\)\\.(\\w+)$`).exec(expression);
    if (field) {
      const key = FIELDS[field[1]!];
      if (!key) return { result: `Error: There is no member named ${field[1]}.`, variablesReference: 0 };
      const offset = s.offsets[key];
      const type = key === 'freeLists' ? (this.freeListsType ?? `FreeBlock *(*)[${s.orders}]`) : 'size_t *';
      return { result: hex(s.address + BigInt(offset), `+${offset}`), type, variablesReference: 0 };
    }
    if (expression === `(${s.expression}).heap_size`) {
      if (this.heapSizeResult !== undefined) return { result: this.heapSizeResult, variablesReference: 0 };
      const bytes = this.peek(s.address + BigInt(s.offsets.heapSize), s.pointerWidth);
      // gdb answers an unreadable value with an empty result.
      return {
        result: bytes ? String(decodeWord(bytes, s.pointerWidth, s.endianness !== 'big')) : '',
        type: 'size_t',
        variablesReference: 0,
      };
    }
    const size = new RegExp(`^sizeof\\(\\(${e}\\)\\.(\\w+)(\\[0\\])?\\)$`).exec(expression);
    if (
      size &&
      (this.sizeofFails === true || (Array.isArray(this.sizeofFails) && this.sizeofFails.includes(`${size[1]}${size[2] ?? ''}`)))
    ) {
      return { result: 'Error: sizeof is not supported here', variablesReference: 0 };
    }
    if (size) {
      const bytes =
        size[1] === 'min_block_size_log2' ? 1 : size[1] === 'free_lists' && !size[2] ? s.orders * s.pointerWidth : s.pointerWidth;
      return { result: String(bytes), type: 'unsigned long', variablesReference: 0 };
    }
    return error;
  }

  /** Mapped bytes as the debugger itself sees them (for values it prints), or undefined. */
  private peek(at: bigint, count: number): Uint8Array | undefined {
    const region = this.regions.find(r => at >= r.start && at + BigInt(count) <= r.start + BigInt(r.bytes.length));
    return region?.bytes.subarray(Number(at - region.start), Number(at - region.start) + count);
  }

  private readMemory(reference: string, count: number): { address: string; data?: string; unreadableBytes?: number } {
    const start = BigInt(reference);
    if (this.failing.some(f => start >= f.start && start < f.end)) throw new Error(`Unable to read memory. (@ ${reference})`);
    const inside = (ranges: readonly { start: bigint; end: bigint }[], at: bigint) => ranges.some(f => at >= f.start && at < f.end);
    const out: number[] = [];
    let at = start;
    let flagged = false;
    while (out.length < count) {
      if (inside(this.unreadable, at)) {
        flagged = true;
        break;
      }
      const region = this.regions.find(r => at >= r.start && at < r.start + BigInt(r.bytes.length));
      if (!region || inside(this.failing, at)) break;
      const from = Number(at - region.start);
      // Stop at the next unreadable or failing range inside the region.
      const next = [...this.unreadable, ...this.failing]
        .map(f => f.start)
        .filter(x => x > at)
        .reduce((a, b) => (b < a ? b : a), region.start + BigInt(region.bytes.length));
      const take = Math.min(count - out.length, Number(next - at));
      out.push(...region.bytes.subarray(from, from + take));
      at += BigInt(take);
    }
    const address = '0x' + start.toString(16).padStart(8, '0');
    if (flagged) {
      const unreadableBytes = count - out.length;
      if (this.padUnreadable) out.push(...new Uint8Array(unreadableBytes));
      return { address, data: Buffer.from(out).toString('base64'), unreadableBytes };
    }
    if (out.length === 0 && count > 0) throw new Error(`Unable to read memory. (@ ${reference})`);
    return { address, data: Buffer.from(out).toString('base64') };
  }
}
