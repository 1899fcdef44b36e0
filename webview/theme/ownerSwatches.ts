// Owner color swatches in the DOM (the map's legend, the ownership table): each slot's painted
// color is written once per theme as a custom property on the element's host (a CSSOM write,
// allowed by the CSP), and static rules pick it up by class, so a swatch is the painted color.
import { css, unsafeCSS } from 'lit';
import { SLOT_NONE, SLOT_OTHER } from '../model/ownerSlots';
import { slotColor } from './blockColors';
import { HUE_COUNT, MapPalette, toCss } from './palette';

const ALL_SLOTS = [...Array.from({ length: HUE_COUNT }, (_, i) => i), SLOT_OTHER, SLOT_NONE];

function slotName(slot: number): string {
  return slot === SLOT_OTHER ? 'other' : slot === SLOT_NONE ? 'none' : String(slot);
}

/** The class that colors a `.swatch` with a slot's color. */
export function slotClass(slot: number): string {
  return `slot-${slotName(slot)}`;
}

export const ownerSwatchStyles = css`
  ${unsafeCSS(ALL_SLOTS.map(slot => `.swatch.${slotClass(slot)} { background: var(--owner-color-${slotName(slot)}); }`).join('\n'))}
`;

/** Sets the painted slot colors on the host, for its swatches. */
export function writeOwnerColors(host: HTMLElement, palette: MapPalette): void {
  for (const slot of ALL_SLOTS) host.style.setProperty(`--owner-color-${slotName(slot)}`, toCss(slotColor(palette, slot)));
}
