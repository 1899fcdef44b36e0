// The live heap reader's public surface: everything the extension (and the e2e tests) use.
export type { DapSession } from './dapSession';
export { parseHeapSource, type FieldOffsets, type HeapLocation, type HeapSource, type ParsedHeapSource } from './heapSource';
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
export { RefreshController, type RefreshCallbacks } from './refreshController';
