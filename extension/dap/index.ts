// extension/dap: everything that talks to a debug adapter, without vscode: typed requests over a
// DapChannel, the heap settings (HeapSpec) and their allow-list expression grammar, locating a
// Heap<N> struct and reading it. This file is the surface the extension and the e2e tests use.
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
