// The verdict store discovery keeps per type DIE: it must answer exactly as a Map would, for any
// order of writes (including a verdict changed after its placeholder), and never for offsets
// outside the section.
import * as assert from 'node:assert/strict';
import { TypeVerdicts } from '../../../core/discovery/typeVerdicts';

describe('TypeVerdicts', () => {
  it('answers as a Map for random writes, rewrites and reads', () => {
    const size = 5000;
    const verdicts = new TypeVerdicts(size);
    const reference = new Map<number, boolean>();
    let seed = 12345;
    const next = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31);
    for (let i = 0; i < 20_000; i++) {
      const offset = next() % size;
      if (next() % 3 === 0) {
        const holds = next() % 2 === 0;
        verdicts.set(offset, holds);
        reference.set(offset, holds);
      }
      assert.equal(verdicts.get(offset), reference.get(offset), `offset ${offset}`);
    }
    for (let offset = 0; offset < size; offset++) assert.equal(verdicts.get(offset), reference.get(offset));
  });

  it('a placeholder false becomes true, and back', () => {
    const verdicts = new TypeVerdicts(64);
    assert.equal(verdicts.get(31), undefined);
    verdicts.set(31, false);
    assert.equal(verdicts.get(31), false);
    verdicts.set(31, true);
    assert.equal(verdicts.get(31), true);
    verdicts.set(31, false);
    assert.equal(verdicts.get(31), false);
    assert.equal(verdicts.get(30), undefined);
    assert.equal(verdicts.get(32), undefined);
  });

  it('ignores offsets outside the section (corrupt references are decided elsewhere)', () => {
    const verdicts = new TypeVerdicts(10);
    for (const offset of [-1, 10, 1e12, Number.NaN]) {
      verdicts.set(offset, true);
      assert.equal(verdicts.get(offset), undefined);
    }
  });
});
