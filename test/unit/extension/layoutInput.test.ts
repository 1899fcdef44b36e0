// Layouts as people type them: numbers in any spelling, defaults, and the seed's errors in words.
import * as assert from 'node:assert/strict';
import { DEFAULT_LAYOUT, numberInputProblem, parseLayout } from '../../../extension/config/layoutInput';

describe('layout input', () => {
  it('the default is 64 KiB at 0x20000000, 12 orders, 4-byte pointers, little endian', () => {
    assert.deepEqual(DEFAULT_LAYOUT, { base: 0x2000_0000n, size: 0x1_0000n, orders: 12, pointerWidth: 4, endianness: 'little' });
    assert.deepEqual(parseLayout({}), { ok: true, layout: DEFAULT_LAYOUT });
  });

  it('accepts 64, 0x40 and 1k spellings and numbers from JSON', () => {
    const r = parseLayout({ base: '0x8000_0000', size: '1M', orders: '16', pointerWidth: 8, endianness: 'big' });
    assert.deepEqual(r, { ok: true, layout: { base: 0x8000_0000n, size: 1n << 20n, orders: 16, pointerWidth: 8, endianness: 'big' } });
    assert.deepEqual(parseLayout({ size: 4096, orders: 4 }), { ok: true, layout: { ...DEFAULT_LAYOUT, size: 4096n, orders: 4 } });
  });

  it('explains each seed error in words and names the field', () => {
    const cases: [object, string, string, RegExp][] = [
      [{ base: '0x20000010' }, 'BadBaseAlignment', 'base', /aligned to 4096 bytes/],
      [{ size: '1000', orders: 4 }, 'BadSizeAlignment', 'size', /power of two/],
      [{ size: '256', orders: 8 }, 'MinBlockTooSmall', 'orders', /cannot hold its next pointer/],
      [{ base: '0xffff0000', size: '0x20000' }, 'AddressOverflow', 'size', /past the end of the address space/],
      [{ base: 0 }, 'NullBase', 'base', /cannot be 0/],
    ];
    for (const [input, error, field, why] of cases) {
      const r = parseLayout(input);
      assert.equal(r.ok, false, JSON.stringify(input));
      if (r.ok) continue;
      assert.equal(r.error, error);
      assert.equal(r.field, field);
      assert.match(r.message, new RegExp(`The layout is invalid \\(${error}\\)`));
      assert.match(r.message, why);
    }
  });

  it('rejects unreadable fields before the seed sees them', () => {
    assert.deepEqual(parseLayout({ size: 'lots' }), {
      ok: false,
      field: 'size',
      error: 'BadInput',
      message: 'The layout is invalid: the heap size must be a number such as 65536, 0x10000 or 64k.',
    });
    assert.equal(parseLayout({ orders: 33 }).ok, false);
    assert.equal(parseLayout({ pointerWidth: 2 }).ok, false);
    assert.equal(parseLayout({ endianness: 'middle' }).ok, false);
  });

  it('refuses layouts with more minimum blocks than the simulation holds', () => {
    const r = parseLayout({ size: '1G', orders: 26 });
    assert.equal(r.ok, false);
    assert.equal(r.ok ? '' : r.error, 'TooManyBlocksToSimulate');
  });

  it('validates typed numbers for quick inputs', () => {
    assert.equal(numberInputProblem('1k', 'Size'), undefined);
    assert.equal(numberInputProblem('0x40', 'Size'), undefined);
    assert.match(numberInputProblem('sixty', 'Size')!, /Size must be a number: 64, 0x40 or 1k/);
    assert.match(numberInputProblem('4', 'Size', { min: 8n })!, /at least 8/);
  });
});
