// The load bias of a position-independent executable (native Rust and most Linux programs are
// PIE): DWARF addresses are relative to where the loader put the program. Found from the adapter's
// modules (their address ranges) or from the stopped frames: a frame's instruction pointer lies
// inside the symbol of the function the frame names, so the bias is the page-aligned difference.
// Pure: the caller passes the frames, modules and the program's function symbols.
import type { FrameInfo, ModuleInfo } from '../../dap/dapSession';

export interface FunctionSymbol {
  readonly name: string;
  readonly address: bigint;
  readonly size: bigint;
}

export interface LoadBias {
  readonly bias: bigint;
  /** How it was found, for the log ("from the frame of main at 0x5555…"). */
  readonly how: string;
}

/** Loaders map programs at page boundaries; 4 KiB pages are the smallest any of them use. */
const PAGE = 0x1000n;
/** Candidate biases per frame: a function larger than this many pages leaves too many. */
const MAX_CANDIDATES = 64n;

const RUST_ESCAPES: Readonly<Record<string, string>> = {
  $LT$: '<',
  $GT$: '>',
  $RF$: '&',
  $BP$: '*',
  $LP$: '(',
  $RP$: ')',
  $C$: ',',
  $SP$: '@',
  $u20$: ' ',
  $u27$: "'",
  $u5b$: '[',
  $u5d$: ']',
  $u7b$: '{',
  $u7d$: '}',
  $u7e$: '~',
};

/** A Rust legacy-mangled name (`_ZN4prog4main17h0123456789abcdefE`) as `prog::main`; undefined for others. */
export function demangleLegacy(name: string): string | undefined {
  if (!name.startsWith('_ZN')) return undefined;
  const parts: string[] = [];
  let i = 3;
  while (i < name.length && name[i] !== 'E') {
    const digits = /^\d+/.exec(name.slice(i, i + 6));
    if (!digits) return undefined;
    const length = Number(digits[0]);
    i += digits[0].length;
    if (length === 0 || i + length > name.length) return undefined;
    parts.push(name.slice(i, i + length));
    i += length;
  }
  if (name[i] !== 'E' || parts.length === 0) return undefined;
  // Rust's trailing hash segment is no part of the path gdb prints.
  if (parts.length > 1 && /^h[0-9a-f]{16}$/.test(parts[parts.length - 1]!)) parts.pop();
  return parts
    .map(part =>
      part
        .replace(/^_\$/, '$')
        .replace(/\$[A-Za-z0-9]+\$/g, escape => RUST_ESCAPES[escape] ?? escape)
        .replace(/\.\./g, '::'),
    )
    .join('::');
}

/** Generic arguments and parameter lists differ between debuggers and demanglers: compare without them. */
function bareName(name: string): string {
  let out = '';
  let depth = 0;
  for (const ch of name.replace(/\(.*$/, '')) {
    if (ch === '<') depth++;
    else if (ch === '>') depth = Math.max(0, depth - 1);
    else if (depth === 0) out += ch;
  }
  return out.trim();
}

/** Whether an ELF symbol is the function a debugger names a frame by (C names, Rust paths). */
export function symbolNamesFrame(symbol: string, frame: string): boolean {
  if (symbol === frame) return true;
  const demangled = demangleLegacy(symbol);
  return demangled !== undefined && bareName(demangled) === bareName(frame);
}

/**
 * The bias from stopped frames: each frame with an instruction pointer whose function is a symbol
 * allows the page-aligned biases that put the pointer inside that symbol; the frames must agree
 * on exactly one. Undefined when no frame can be matched or they leave more than one.
 */
export function biasFromFrames(frames: readonly FrameInfo[], symbols: readonly FunctionSymbol[]): LoadBias | undefined {
  let candidates: Set<bigint> | undefined;
  let used: FrameInfo | undefined;
  for (const frame of frames) {
    if (frame.instructionPointer === undefined) continue;
    const ip = frame.instructionPointer;
    const allowed = new Set<bigint>();
    for (const symbol of symbols) {
      if (symbol.size <= 0n || !symbolNamesFrame(symbol.name, frame.name)) continue;
      // ip - size < bias <= ip - address, page-aligned.
      const high = ip - symbol.address;
      if (high < 0n) continue;
      const highest = high - (high % PAGE);
      for (let b = highest, n = 0n; b > high - symbol.size && b >= 0n && n < MAX_CANDIDATES; b -= PAGE, n++) allowed.add(b);
    }
    if (allowed.size === 0) continue;
    candidates = candidates ? new Set([...candidates].filter(b => allowed.has(b))) : allowed;
    used ??= frame;
    if (candidates.size === 1) break;
  }
  if (!candidates || candidates.size !== 1 || !used) return undefined;
  const bias = [...candidates][0]!;
  return {
    bias,
    how: `from the stopped frame ${used.name} at 0x${used.instructionPointer!.toString(16)} against the program's symbol table`,
  };
}

function baseName(path: string): string {
  return path.replace(/\\/g, '/').replace(/^.*\//, '');
}

/** The bias from the adapter's modules: the program's module's start against its lowest load address. */
export function biasFromModules(modules: readonly ModuleInfo[], programPath: string, lowestLoadAddress: bigint): LoadBias | undefined {
  const program = baseName(programPath);
  const module =
    modules.find(m => m.path !== undefined && m.path === programPath) ??
    modules.find(m => (m.path !== undefined && baseName(m.path) === program) || m.name === program);
  const start = module?.addressRange !== undefined ? /^\s*(0x[0-9a-f]+)/i.exec(module.addressRange)?.[1] : undefined;
  if (!module || start === undefined) return undefined;
  const bias = BigInt(start) - (lowestLoadAddress - (lowestLoadAddress % PAGE));
  if (bias < 0n) return undefined;
  return { bias, how: `from the address range of the adapter's module ${module.name} (${module.addressRange!.trim()})` };
}
