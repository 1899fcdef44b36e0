// Which debug sessions a configured heap applies to: an optional `debugType` (one type or a list),
// `program` glob and `sessionName` glob on the heap entry. Pure, so settings and tests share it.
import * as l10n from '@vscode/l10n';

/** The session facts a heap entry can be matched against (from vscode.DebugSession). */
export interface SessionFacts {
  readonly type: string;
  readonly name: string;
  /** The launch/attach configuration's `program`, when it names one. */
  readonly program?: string;
}

export interface SessionFilter {
  readonly debugTypes?: readonly string[];
  readonly program?: string;
  readonly sessionName?: string;
}

export type ParsedSessionFilter =
  { readonly ok: true; readonly filter: SessionFilter | undefined } | { readonly ok: false; readonly message: string };

function globSource(glob: string): string {
  let out = '';
  for (let i = 0; i < glob.length; i++) {
    const c = glob[i]!;
    if (c === '*' && glob[i + 1] === '*') {
      // `**/` is zero or more whole directories, so `**/fw.elf` does not match `xfw.elf`.
      if (glob[i + 2] === '/') {
        out += '(?:.*/)?';
        i += 2;
      } else {
        out += '.*';
        i++;
      }
    } else if (c === '*') out += '[^/]*';
    else if (c === '?') out += '[^/]';
    else out += c.replace(/[.+^${}()|[\]\\]/g, '\\$&');
  }
  return out;
}

/** Glob match: `*` within a path segment, `**` across segments, `?` one character. */
export function globMatches(glob: string, text: string, caseInsensitive = false): boolean {
  return new RegExp(`^${globSource(glob)}$`, caseInsensitive ? 'i' : '').test(text);
}

/** A program glob without a slash matches the file name alone (`"fw.elf"`, `"*.elf"`). */
function programMatches(glob: string, program: string): boolean {
  const path = program.replace(/\\/g, '/');
  const target = glob.includes('/') ? path : path.slice(path.lastIndexOf('/') + 1);
  // Windows paths compare case-insensitively, as the file system does.
  return globMatches(glob.replace(/\\/g, '/'), target, /^[a-z]:\//i.test(path));
}

export function matchesSession(filter: SessionFilter | undefined, session: SessionFacts): boolean {
  if (!filter) return true;
  if (filter.debugTypes && !filter.debugTypes.includes(session.type)) return false;
  if (filter.sessionName !== undefined && !globMatches(filter.sessionName, session.name)) return false;
  // A heap bound to a program never applies to a session that names none (e.g. a bare attach).
  if (filter.program !== undefined && (session.program === undefined || !programMatches(filter.program, session.program))) return false;
  return true;
}

function nonEmptyString(value: unknown): value is string {
  return typeof value === 'string' && value.trim() !== '';
}

/** The session fields of one heap entry; undefined filter when it has none (applies to every session). */
export function parseSessionFilter(entry: Record<string, unknown>): ParsedSessionFilter {
  const { debugType, program, sessionName } = entry;
  let debugTypes: string[] | undefined;
  if (debugType !== undefined) {
    const list: unknown[] = Array.isArray(debugType) ? debugType : [debugType];
    if (list.length === 0 || !list.every(nonEmptyString)) {
      return {
        ok: false,
        message: l10n.t(
          '"debugType" must be a debug type such as "cortex-debug" or "gdbtarget", or a non-empty list of them, not {0}.',
          JSON.stringify(debugType),
        ),
      };
    }
    debugTypes = list.map(t => t.trim());
  }
  if (program !== undefined && !nonEmptyString(program)) {
    return {
      ok: false,
      message: l10n.t(
        '"program" must be a glob for the debugged program\'s path, e.g. "**/fw.elf" or "*.elf", not {0}.',
        JSON.stringify(program),
      ),
    };
  }
  if (sessionName !== undefined && !nonEmptyString(sessionName)) {
    return {
      ok: false,
      message: l10n.t('"sessionName" must be the debug session\'s name or a glob such as "QEMU*", not {0}.', JSON.stringify(sessionName)),
    };
  }
  if (debugTypes === undefined && program === undefined && sessionName === undefined) return { ok: true, filter: undefined };
  return {
    ok: true,
    filter: {
      ...(debugTypes ? { debugTypes } : {}),
      ...(program !== undefined ? { program: program.trim() } : {}),
      ...(sessionName !== undefined ? { sessionName: sessionName.trim() } : {}),
    },
  };
}

/** "debug type gdbtarget, program **\/fw.elf" for log lines. */
export function describeFilter(filter: SessionFilter | undefined): string {
  if (!filter) return 'every session';
  return [
    filter.debugTypes ? `debug type ${filter.debugTypes.join(' or ')}` : '',
    filter.program !== undefined ? `program ${filter.program}` : '',
    filter.sessionName !== undefined ? `session name ${filter.sessionName}` : '',
  ]
    .filter(Boolean)
    .join(', ');
}
