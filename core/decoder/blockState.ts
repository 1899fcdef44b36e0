// A block's state, defined once: the decoder fills its tables with it and the wire model sends the
// same numbers (core/protocol re-exports it as WireBlockState), so nothing translates between them.
export const enum BlockState {
  Free = 0,
  Allocated = 1,
  /** The bytes or lists could not be read or trusted: never shown as free or as allocated. */
  Unknown = 2,
}
