// Theme colors read without a canvas round trip for the usual spellings (hex, rgb, rgba).
import * as assert from 'node:assert/strict';
import { pack, parseSimpleColor } from '../../webview/theme/palette';

describe('theme color parsing', () => {
  it('reads hex in all four lengths', () => {
    assert.equal(parseSimpleColor('#333338'), pack(0x33, 0x33, 0x38));
    assert.equal(parseSimpleColor('#abc'), pack(0xaa, 0xbb, 0xcc));
    assert.equal(parseSimpleColor('#abcd'), pack(0xaa, 0xbb, 0xcc, 0xdd));
    assert.equal(parseSimpleColor('#0078d480'), pack(0x00, 0x78, 0xd4, 0x80));
  });

  it('reads rgb() and rgba() with commas, spaces and percent alpha', () => {
    assert.equal(parseSimpleColor('rgb(1, 2, 3)'), pack(1, 2, 3));
    assert.equal(parseSimpleColor('rgba(90, 93, 94, 0.31)'), pack(90, 93, 94, 79));
    assert.equal(parseSimpleColor('rgb(90 93 94 / 50%)'), pack(90, 93, 94, 128));
  });

  it('leaves other spellings to the canvas', () => {
    for (const css of ['red', 'hsl(0 100% 50%)', 'color-mix(in srgb, red, blue)', '#12345', ''])
      assert.equal(parseSimpleColor(css), undefined, css);
  });
});
