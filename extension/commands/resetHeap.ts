// Reset Heap: the simulated heap back to one free block, history cleared, same layout.
import type { HeapDebugger } from '../heapDebugger';
import type { CommandResult } from './args';

export function resetHeap(app: HeapDebugger): CommandResult {
  app.useSimulation().reset();
  app.log('simulated heap reset');
  return { ok: true };
}
