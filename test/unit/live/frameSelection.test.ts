// Which frame a live heap is read in when the user selects one while stopped.
import * as assert from 'node:assert/strict';
import { type FrameSelectionState, frameAction } from '../../../extension/live/frameSelection';

const stoppedLocal: FrameSelectionState = { stopped: true, reading: false, frameMatters: true, frameUsed: 1000 };

describe('frame selection', () => {
  it('reads again in another frame when the heap may depend on it', () => {
    assert.equal(frameAction(1001, stoppedLocal), 'refresh');
    assert.equal(frameAction(1001, { ...stoppedLocal, frameUsed: undefined }), 'refresh', 'nothing evaluated yet (a failed stackTrace)');
  });

  it('ignores the frame already used, a static or address heap, and a running or ended session', () => {
    assert.equal(frameAction(1000, stoppedLocal), 'ignore', 'VS Code focusing the top frame after a stop adds no read');
    assert.equal(frameAction(1001, { ...stoppedLocal, frameMatters: false, frameUsed: undefined }), 'ignore', 'a static located once');
    assert.equal(frameAction(1001, { ...stoppedLocal, stopped: false }), 'ignore');
  });

  it('waits for a read under way (a fresh stop reads in the top frame; the selection is decided after)', () => {
    assert.equal(frameAction(1001, { ...stoppedLocal, reading: true }), 'later');
    assert.equal(frameAction(1001, { ...stoppedLocal, reading: true, stopped: false }), 'ignore');
  });
});
