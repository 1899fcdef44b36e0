// Which owner gets which of the map's distinct owner colors. The host sends owner labels sorted
// per view, so an owner's index moves when another appears or goes; colors follow the label
// instead, so stepping through the history never repaints an owner in another owner's color.

/** Owners beyond the distinct colors share one "other" color. */
export const SLOT_OTHER = -1;
/** Allocations without an owner label. */
export const SLOT_NONE = -2;

/** The color slot of every owner of one view. */
export interface OwnerSlots {
  /** By owner id (0 = no owner, else 1 + index into the view's ownerLabels): a slot, SLOT_OTHER or SLOT_NONE. */
  readonly slotOf: Int16Array;
  /** The labels in the view's order (owner id - 1). */
  readonly labels: readonly string[];
  /** How many owners share the "other" color. */
  readonly others: number;
}

export class OwnerSlotRegistry {
  private readonly slotByLabel = new Map<string, number>();
  /** Labels by slot (undefined: never used). */
  private readonly labelBySlot: (string | undefined)[];
  /** When each slot's label was last in a view, to reclaim the longest-gone first. */
  private readonly seenAt: number[];
  private generation = 0;

  constructor(readonly slots: number) {
    this.labelBySlot = new Array<string | undefined>(slots).fill(undefined);
    this.seenAt = new Array<number>(slots).fill(-1);
  }

  /**
   * Slots for a view's labels: a label keeps the slot it had; new labels (in the view's order, so
   * a first view is colored by owner index) take a free slot, else one whose label is not in this
   * view; with every slot held by an owner of this view, the rest are "other".
   */
  assign(labels: readonly string[]): OwnerSlots {
    const generation = ++this.generation;
    const slotOf = new Int16Array(labels.length + 1);
    slotOf[0] = SLOT_NONE;
    for (const label of labels) {
      const slot = this.slotByLabel.get(label);
      if (slot !== undefined) this.seenAt[slot] = generation;
    }
    let others = 0;
    labels.forEach((label, i) => {
      let slot = this.slotByLabel.get(label);
      if (slot === undefined) slot = this.claim(label, generation);
      if (slot === undefined) others++;
      slotOf[i + 1] = slot ?? SLOT_OTHER;
    });
    return { slotOf, labels, others };
  }

  private claim(label: string, generation: number): number | undefined {
    let best = -1;
    for (let s = 0; s < this.slots; s++) {
      if (this.seenAt[s]! === generation) continue; // held by an owner of this view
      if (best < 0 || this.seenAt[s]! < this.seenAt[best]!) best = s;
      if (this.labelBySlot[s] === undefined) break; // never used: nothing better to find
    }
    if (best < 0) return undefined;
    const previous = this.labelBySlot[best];
    if (previous !== undefined) this.slotByLabel.delete(previous);
    this.labelBySlot[best] = label;
    this.slotByLabel.set(label, best);
    this.seenAt[best] = generation;
    return best;
  }
}
