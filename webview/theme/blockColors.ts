// The colors allocated blocks are painted in, as one lookup table per coloring (by order, or by
// owner through the owner slots), shared by the map and the minimap so both show the same thing.
import { HUE_COUNT, MapPalette, Rgba } from './palette';
import { OwnerSlotRegistry, OwnerSlots, SLOT_NONE, SLOT_OTHER } from '../model/ownerSlots';

export type ColorBy = 'order' | 'owner';

export interface BlockColors {
  /** True: `allocated` is indexed by owner id (0 = no owner); false: by order. */
  readonly byOwner: boolean;
  readonly allocated: Uint32Array;
}

/** The color of an owner slot (a distinct hue, "other" or "no owner"). */
export function slotColor(palette: MapPalette, slot: number): Rgba {
  if (slot === SLOT_NONE) return palette.noOwner;
  if (slot === SLOT_OTHER) return palette.otherOwners;
  return palette.hues[slot % palette.hues.length]!;
}

/** Slots by owner index, for a view whose owners nobody assigned (a map used on its own). */
const defaultSlots = new WeakMap<readonly string[], OwnerSlots>();

export function slotsFor(labels: readonly string[], owners: OwnerSlots | undefined): OwnerSlots {
  if (owners && owners.labels === labels) return owners;
  let slots = defaultSlots.get(labels);
  if (!slots) defaultSlots.set(labels, (slots = new OwnerSlotRegistry(HUE_COUNT).assign(labels)));
  return slots;
}

const byOrder = new WeakMap<MapPalette, BlockColors>();
const byOwner = new WeakMap<MapPalette, WeakMap<OwnerSlots, BlockColors>>();

/** The table for a coloring (the same object for the same inputs: painters key caches on it). */
export function blockColors(palette: MapPalette, colorBy: ColorBy, owners: OwnerSlots): BlockColors {
  if (colorBy === 'order') {
    let colors = byOrder.get(palette);
    if (!colors)
      byOrder.set(
        palette,
        (colors = {
          byOwner: false,
          allocated: Uint32Array.from({ length: 32 }, (_, order) => palette.hues[order % palette.hues.length]!),
        }),
      );
    return colors;
  }
  let perPalette = byOwner.get(palette);
  if (!perPalette) byOwner.set(palette, (perPalette = new WeakMap()));
  let colors = perPalette.get(owners);
  if (!colors)
    perPalette.set(owners, (colors = { byOwner: true, allocated: Uint32Array.from(owners.slotOf, slot => slotColor(palette, slot)) }));
  return colors;
}
