// Merging the notices of one live read: the panel shows one at a time, so none may be lost.
import * as assert from 'node:assert/strict';
import { mergeNotices, readProblemNotice } from '../../../extension/live/readNotices';
import { emptyStats } from '../../../extension/dap/readStats';

describe('live read notices', () => {
  it('merges several into one led by the first, at the most severe level', () => {
    assert.equal(mergeNotices([undefined, undefined]), null);
    const info = { level: 'info' as const, title: 'HEAP: byte order', message: 'Big-endian.', blocks: [] };
    const warning = {
      level: 'warning' as const,
      title: 'HEAP: part of the heap could not be read',
      message: 'Two reads failed.',
      blocks: [{ offset: 64, order: 1 }],
    };
    assert.deepEqual(mergeNotices([undefined, info]), info);
    const merged = mergeNotices([info, undefined, warning])!;
    assert.equal(merged.level, 'warning');
    assert.equal(merged.title, 'HEAP: byte order');
    assert.equal(merged.message, 'Big-endian. Also, part of the heap could not be read: Two reads failed.');
    assert.deepEqual(merged.blocks, [{ offset: 64, order: 1 }]);
  });

  it('says nothing for a clean read, and counts failed and short reads otherwise', () => {
    assert.equal(readProblemNotice('HEAP', emptyStats('full')), undefined);
    const short = readProblemNotice('HEAP', { ...emptyStats('sparse'), readMemoryRequests: 5, shortReads: 2 })!;
    assert.match(short.message, /^2 returned fewer bytes than asked .*; those bytes are shown as unknown, never as free\.$/);
    const failed = readProblemNotice('HEAP', {
      ...emptyStats('full'),
      readMemoryRequests: 5,
      failedReads: 1,
      firstFailure: '0x20003000: refused',
    })!;
    assert.match(
      failed.message,
      /^1 of 5 reads failed; .* First failure: 0x20003000: refused\. If the adapter refuses large reads, lower buddyHeap\.live\.maxChunkBytes\.$/,
    );
  });
});
