// JSON written piece by piece, laid out exactly as JSON.stringify(value, null, 2) lays it out, with
// arrays too long to hold as objects (a heap's blocks, its free-list entries) produced item by item:
// a 16 MiB heap's view is tens of megabytes of JSON, more than one string should hold.

/** An array whose items are made when written; each item must be a JSON value without StreamedArrays. */
export class StreamedArray {
  constructor(
    readonly count: number,
    readonly item: (index: number) => unknown,
  ) {}
}

const STEP = '  ';

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value) && !(value instanceof StreamedArray);
}

/** A value JSON.stringify can write (no undefined, function or symbol): what it omits from objects. */
const writable = (value: unknown) => value !== undefined && typeof value !== 'function' && typeof value !== 'symbol';

/** Writes `value` as JSON.stringify(value, null, 2) would, at nesting `indent`, through `out`. */
export function writePrettyJson(value: unknown, out: (text: string) => void, indent = ''): void {
  const inner = indent + STEP;
  if (value instanceof StreamedArray || Array.isArray(value)) {
    const count = value instanceof StreamedArray ? value.count : value.length;
    if (count === 0) return out('[]');
    out('[\n');
    for (let i = 0; i < count; i++) {
      const item: unknown = value instanceof StreamedArray ? value.item(i) : value[i];
      // JSON.stringify writes an unwritable array item as null.
      const shown = writable(item) ? item : null;
      const end = i < count - 1 ? ',\n' : '\n';
      // A streamed item is written in one piece: there may be millions of them.
      if (value instanceof StreamedArray) out(inner + stringify(shown, inner) + end);
      else {
        out(inner);
        writePrettyJson(shown, out, inner);
        out(end);
      }
    }
    return out(indent + ']');
  }
  if (isPlainObject(value)) {
    const keys = Object.keys(value).filter(key => writable(value[key]));
    if (keys.length === 0) return out('{}');
    out('{\n');
    keys.forEach((key, i) => {
      out(`${inner}${JSON.stringify(key)}: `);
      writePrettyJson(value[key], out, inner);
      out(i < keys.length - 1 ? ',\n' : '\n');
    });
    return out(indent + '}');
  }
  out(stringify(value, indent));
}

/** JSON.stringify(value, null, 2), its lines indented to `indent`. */
function stringify(value: unknown, indent: string): string {
  if (isPlainObject(value)) {
    const flat = flatObject(value, indent);
    if (flat !== undefined) return flat;
  }
  const text = JSON.stringify(value, null, 2);
  return indent === '' || !text.includes('\n') ? text : text.replace(/\n/g, '\n' + indent);
}

/**
 * An object of primitive values laid out as JSON.stringify(value, null, 2) lays it out, without its
 * detour through a string to re-indent (a block or list entry; most of a large heap's output).
 */
function flatObject(value: Record<string, unknown>, indent: string): string | undefined {
  let text = '';
  for (const key in value) {
    if (!Object.prototype.hasOwnProperty.call(value, key)) continue;
    const field = value[key];
    if (typeof field === 'object' && field !== null) return undefined;
    if (!writable(field)) continue;
    text += `${text === '' ? '' : ','}\n${indent}${STEP}${JSON.stringify(key)}: ${JSON.stringify(field)}`;
  }
  return text === '' ? '{}' : `{${text}\n${indent}}`;
}

/** The value with every StreamedArray made a plain array (for tests and small values only: it holds it all). */
export function materialized(value: unknown): unknown {
  if (value instanceof StreamedArray) return Array.from({ length: value.count }, (_, i) => materialized(value.item(i)));
  if (Array.isArray(value)) return value.map(materialized);
  if (typeof value === 'object' && value !== null) return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, materialized(v)]));
  return value;
}
