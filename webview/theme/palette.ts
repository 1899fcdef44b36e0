// Canvas colors come from the theme: CSS custom properties (set from --vscode-* variables in the
// block map's styles) resolved to packed RGBA so the painter can write pixels directly.

/** Little-endian ABGR packing, what a Uint32Array view over ImageData expects. */
export type Rgba = number;

let probe: CanvasRenderingContext2D | null | undefined;

/** Resolves any CSS color (named, hex, rgb(), hsl(), color-mix()) to packed RGBA. */
export function parseColor(css: string, fallback: Rgba = 0xff808080): Rgba {
  // Theme variables are nearly always hex or rgb(a): read those directly, the rest via a canvas.
  const direct = parseSimpleColor(css.trim());
  if (direct !== undefined) return direct;
  probe ??= document.createElement('canvas').getContext('2d', { willReadFrequently: true });
  if (!probe || !css.trim()) return fallback;
  probe.clearRect(0, 0, 1, 1);
  probe.fillStyle = '#00000000';
  probe.fillStyle = css.trim();
  probe.fillRect(0, 0, 1, 1);
  const [r, g, b, a] = probe.getImageData(0, 0, 1, 1).data;
  return pack(r!, g!, b!, a!);
}

const HEX = /^#([0-9a-f]{3,4}|[0-9a-f]{6}|[0-9a-f]{8})$/i;
const RGB = /^rgba?\(\s*(\d+(?:\.\d+)?)[\s,]+(\d+(?:\.\d+)?)[\s,]+(\d+(?:\.\d+)?)(?:[\s,/]+(\d*(?:\.\d+)?)(%?))?\s*\)$/i;

/** `#rgb`, `#rgba`, `#rrggbb`, `#rrggbbaa`, `rgb(r, g, b)` and `rgba(r, g, b, a)`; undefined otherwise. */
export function parseSimpleColor(css: string): Rgba | undefined {
  const hex = HEX.exec(css);
  if (hex) {
    let digits = hex[1]!;
    if (digits.length <= 4) digits = [...digits].map(d => d + d).join('');
    const n = (i: number) => parseInt(digits.slice(i, i + 2), 16);
    return pack(n(0), n(2), n(4), digits.length === 8 ? n(6) : 255);
  }
  const rgb = RGB.exec(css);
  if (rgb) {
    const alpha = rgb[4] === undefined || rgb[4] === '' ? 1 : Number(rgb[4]) / (rgb[5] ? 100 : 1);
    const c = (i: number) => Math.max(0, Math.min(255, Math.round(Number(rgb[i]))));
    return pack(c(1), c(2), c(3), Math.round(Math.max(0, Math.min(1, alpha)) * 255));
  }
  return undefined;
}

export function pack(r: number, g: number, b: number, a = 255): Rgba {
  return ((a << 24) | (b << 16) | (g << 8) | r) >>> 0;
}

export function unpack(c: Rgba): [number, number, number, number] {
  return [c & 255, (c >>> 8) & 255, (c >>> 16) & 255, c >>> 24];
}

/** `a` blended toward `b` by t (0..1), opaque. */
export function mix(a: Rgba, b: Rgba, t: number): Rgba {
  const [ar, ag, ab] = unpack(a);
  const [br, bg, bb] = unpack(b);
  return pack(Math.round(ar + (br - ar) * t), Math.round(ag + (bg - ag) * t), Math.round(ab + (bb - ab) * t));
}

export function toCss(c: Rgba): string {
  const [r, g, b, a] = unpack(c);
  return `rgba(${r}, ${g}, ${b}, ${(a / 255).toFixed(3)})`;
}

export interface MapPalette {
  readonly background: Rgba;
  readonly free: Rgba;
  readonly unknown: Rgba;
  /** Allocated blocks without an owner label, when coloring by owner. */
  readonly noOwner: Rgba;
  /** Owners beyond the distinct hues, when coloring by owner. */
  readonly otherOwners: Rgba;
  /** Allocated blocks by order, or by owner (one hue per owner slot: see ownerSlots.ts). */
  readonly hues: readonly Rgba[];
  readonly focus: string;
  readonly buddy: string;
  readonly ancestor: string;
  readonly added: string;
  readonly removed: string;
  readonly split: string;
  readonly merged: string;
  readonly blocker: string;
  readonly border: string;
  /** The theme's contrast border (high-contrast themes only): drawn around every block. */
  readonly contrastBorder: Rgba | undefined;
  /** Outline of the block under the pointer. */
  readonly hover: string;
  readonly highContrast: boolean;
  /** The address ruler's labels and ticks, and their (monospace) font family. */
  readonly ruler: string;
  readonly rulerFont: string;
}

const HUE_VARS = ['--map-hue-0', '--map-hue-1', '--map-hue-2', '--map-hue-3', '--map-hue-4', '--map-hue-5'];
/** Distinct hues: each theme chart color in full and softened. */
export const HUE_COUNT = 2 * HUE_VARS.length;

export function readPalette(element: Element): MapPalette {
  const style = getComputedStyle(element);
  const get = (name: string) => style.getPropertyValue(name).trim();
  const background = parseColor(get('--map-background'), pack(30, 30, 30));
  const baseHues = HUE_VARS.map(v => parseColor(get(v)));
  // Twelve-plus orders from six hues: alternate full and softened (toward the background).
  const hues = [...baseHues, ...baseHues.map(h => mix(h, background, 0.35))];
  // Some themes give widgets nearly the editor's background (Light Modern: #f8f8f8 on #ffffff):
  // free blocks must still read as blocks, so move them toward the foreground when too close.
  const foreground = parseColor(get('--map-foreground'), pack(204, 204, 204));
  let free = parseColor(get('--map-free'), pack(60, 60, 60));
  if (distance(free, background) < 40) free = mix(background, foreground, 0.16);
  return {
    background,
    free,
    unknown: parseColor(get('--map-unknown'), pack(120, 120, 120)),
    // Neutrals between background and foreground, apart from the free and unknown grays.
    noOwner: mix(background, foreground, 0.3),
    otherOwners: mix(background, foreground, 0.75),
    hues,
    focus: get('--map-focus') || '#007fd4',
    buddy: get('--map-buddy') || '#cca700',
    ancestor: get('--map-ancestor') || '#888888',
    added: get('--map-added') || '#89d185',
    removed: get('--map-removed') || '#f14c4c',
    split: get('--map-split') || '#3794ff',
    merged: get('--map-merged') || '#b180d7',
    blocker: get('--map-blocker') || '#f14c4c',
    border: get('--map-border') || 'transparent',
    contrastBorder: opaqueOrUndefined(get('--map-border')),
    hover: get('--map-hover') || '#cccccc',
    ruler: get('--map-ruler') || '#858585',
    rulerFont: get('--map-ruler-font') || 'monospace',
    highContrast:
      document.body.classList.contains('vscode-high-contrast') || document.body.classList.contains('vscode-high-contrast-light'),
  };
}

/** Sum of channel differences (0..765): enough to tell "nearly the same color". */
export function distance(a: Rgba, b: Rgba): number {
  const [ar, ag, ab] = unpack(a);
  const [br, bg, bb] = unpack(b);
  return Math.abs(ar - br) + Math.abs(ag - bg) + Math.abs(ab - bb);
}

/** A color that is really there (themes without a contrast border leave it transparent or unset). */
function opaqueOrUndefined(css: string): Rgba | undefined {
  if (!css || css === 'transparent') return undefined;
  const color = parseColor(css, 0);
  return color >>> 24 === 0 ? undefined : color;
}
