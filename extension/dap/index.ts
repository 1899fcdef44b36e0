// The live heap reader's public surface: everything the extension (and the e2e tests) use.
export type { DapChannel } from './dapSession';
export { parseHeapSpec, type FieldOffsets, type HeapLocation, type HeapSpec, type ParsedHeapSpec } from './heapSpec';
export { LiveReadError, type LiveErrorKind } from './liveErrors';
export {
  DEFAULT_LIVE_READ_OPTIONS,
  LiveHeapReader,
  type LiveHeapRead,
  type LiveReadOptions,
  type ReadNote,
  type StopContext,
} from './liveHeapReader';
export type { ReadStats } from './readStats';
export { RefreshController, type RefreshCallbacks } from '../live/refreshController';
