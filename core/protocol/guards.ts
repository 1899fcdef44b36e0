// Tiny runtime checks for the protocol: each returns undefined when the value fits, or one line
// saying where and why it does not. No dependency, so both bundles stay small.

export type Check = (value: unknown, path: string) => string | undefined;

export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

export const str: Check = (v, p) => (typeof v === 'string' ? undefined : `${p}: expected a string`);
export const bool: Check = (v, p) => (typeof v === 'boolean' ? undefined : `${p}: expected a boolean`);

/** A finite number, optionally a whole number within [min, max]. */
export function num(options: { int?: boolean; min?: number; max?: number } = {}): Check {
  return (v, p) => {
    if (typeof v !== 'number' || !Number.isFinite(v)) return `${p}: expected a finite number`;
    if (options.int && !Number.isSafeInteger(v)) return `${p}: expected a whole number`;
    if (options.min !== undefined && v < options.min) return `${p}: ${v} is below ${options.min}`;
    if (options.max !== undefined && v > options.max) return `${p}: ${v} is above ${options.max}`;
    return undefined;
  };
}

export function literal<T extends string | number>(...values: readonly T[]): Check {
  return (v, p) => (values.includes(v as T) ? undefined : `${p}: expected one of ${values.join(', ')}`);
}

export const hexString: Check = (v, p) =>
  typeof v === 'string' && /^0x[0-9a-f]+$/.test(v) ? undefined : `${p}: expected lowercase 0x hex`;

export function nullable(check: Check): Check {
  return (v, p) => (v === null ? undefined : check(v, p));
}

export function arrayOf(check: Check, maxLength = Number.MAX_SAFE_INTEGER): Check {
  return (v, p) => {
    if (!Array.isArray(v)) return `${p}: expected an array`;
    if (v.length > maxLength) return `${p}: more than ${maxLength} items`;
    for (let i = 0; i < v.length; i++) {
      const error = check(v[i], `${p}[${i}]`);
      if (error) return error;
    }
    return undefined;
  };
}

type TypedArrayCtor =
  Uint8ArrayConstructor | Uint16ArrayConstructor | Uint32ArrayConstructor | Int32ArrayConstructor | Float64ArrayConstructor;

export function typed(
  ctor: TypedArrayCtor,
  length?: (parent: Record<string, unknown>) => number,
): (v: unknown, p: string, parent: Record<string, unknown>) => string | undefined {
  return (v, p, parent) => {
    if (!(v instanceof ctor)) return `${p}: expected a ${ctor.name}`;
    if (length && v.length !== length(parent)) return `${p}: has ${v.length} items, expected ${length(parent)}`;
    return undefined;
  };
}

type FieldCheck = (value: unknown, path: string, parent: Record<string, unknown>) => string | undefined;

/** An object with these fields; `optional` ones may be absent (undefined). Unknown fields are ignored. */
export function shape(required: Record<string, FieldCheck>, optional: Record<string, FieldCheck> = {}): Check {
  return (v, p) => {
    if (!isRecord(v)) return `${p}: expected an object`;
    for (const [key, check] of Object.entries(required)) {
      if (!(key in v) || v[key] === undefined) return `${p}.${key}: missing`;
      const error = check(v[key], `${p}.${key}`, v);
      if (error) return error;
    }
    for (const [key, check] of Object.entries(optional)) {
      if (v[key] === undefined) continue;
      const error = check(v[key], `${p}.${key}`, v);
      if (error) return error;
    }
    return undefined;
  };
}

export function recordOf(check: Check): Check {
  return (v, p) => {
    if (!isRecord(v)) return `${p}: expected an object`;
    for (const [key, value] of Object.entries(v)) {
      const error = check(value, `${p}.${key}`);
      if (error) return error;
    }
    return undefined;
  };
}
