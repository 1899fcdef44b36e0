// The live status bar item's words for each state of a heap: hidden without one, ok with free
// bytes, findings (alarm), stale while running, reading, error (alarm), ended, waiting.
import * as assert from 'node:assert/strict';
import type { LiveStatus } from '../../../extension/live/liveHeapSource';
import { type StatusBarView, statusBarView } from '../../../extension/live/liveStatusText';

const base: LiveStatus = { state: 'ok', stops: 3, freeBytes: 40 * 1024, heapSize: 64 * 1024, findings: 0, message: undefined };

function shown(status: Partial<LiveStatus>): Extract<StatusBarView, { visible: true }> {
  const view = statusBarView({ heapName: 'HEAP', status: () => ({ ...base, ...status }) });
  assert.ok(view.visible);
  return view;
}

describe('live status bar text', () => {
  it('is hidden when no live heap is attached', () => {
    assert.deepEqual(statusBarView(undefined), { visible: false });
  });

  it('ok: free bytes, a pass icon, no alarm, and the stop in the tooltip', () => {
    const v = shown({});
    assert.equal(v.text, '$(pass) HEAP: 40 KiB free');
    assert.equal(v.alarm, false);
    assert.equal(v.tooltip, 'Buddy Heap: HEAP — ok at stop 3\nClick to show it in the heap panel.');
  });

  it('findings: counted in text and tooltip, and an alarm', () => {
    const one = shown({ findings: 1 });
    assert.equal(one.text, '$(warning) HEAP: 1 finding · 40 KiB free');
    assert.equal(one.alarm, true);
    const many = shown({ findings: 4 });
    assert.match(many.text, /4 findings/);
    assert.match(many.tooltip, /ok at stop 3, 4 findings/);
  });

  it('stale while running: keeps the last free bytes, says why, no alarm even with findings', () => {
    const v = shown({ state: 'stale', findings: 2, message: 'The target is running: showing the heap as of stop 3 (stale).' });
    assert.equal(v.text, '$(history) HEAP: stale (running) · 40 KiB free');
    assert.equal(v.alarm, false);
    assert.match(
      v.tooltip,
      /^Buddy Heap: HEAP — stale at stop 3, 2 findings\nThe target is running: showing the heap as of stop 3 \(stale\)\.\nClick/,
    );
  });

  it('reading and waiting before the first read say "not read"', () => {
    assert.equal(shown({ state: 'reading', freeBytes: undefined }).text, '$(sync~spin) HEAP: reading… (not read)');
    assert.equal(shown({ state: 'waiting', freeBytes: undefined, stops: 0 }).text, '$(clock) HEAP: waiting for a stop');
  });

  it('error: an alarm with the message in the tooltip', () => {
    const v = shown({ state: 'error', message: 'The heap expression "HEAP" does not evaluate.' });
    assert.equal(v.text, '$(error) HEAP: error · 40 KiB free');
    assert.equal(v.alarm, true);
    assert.match(v.tooltip, /\nThe heap expression "HEAP" does not evaluate\.\n/);
  });

  it('ended: a disconnect icon, the last free bytes, no alarm', () => {
    const v = shown({ state: 'ended', message: 'the debug session ended' });
    assert.equal(v.text, '$(debug-disconnect) HEAP: ended · 40 KiB free');
    assert.equal(v.alarm, false);
  });
});
