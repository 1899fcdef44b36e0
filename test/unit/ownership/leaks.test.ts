// Leak suspects as findings and across stops, and the ownership part of the CLI's JSON.
import * as assert from 'node:assert/strict';
import { severityOf } from '../../../core/decoder/findingLog';
import { formatBytes, hex } from '../../../core/layout';
import { compareLeakSuspects } from '../../../core/ownership/compareLeaks';
import { leakFindings } from '../../../core/ownership/leakFindings';
import { ownershipToJson } from '../../../core/ownership/ownershipJson';
import { STATICS, Target, blockStartingAt, typedStatic } from './ownershipFixtures';

describe('ownership: leak suspects', () => {
  it('become one summary finding with totals and the caveat, then one finding per block', () => {
    const t = Target.of(4, 'little');
    const [kept, lost1, lost2] = t.allocApart(64, 32, 128);
    t.put(STATICS, kept!);
    const result = t.scan([typedStatic('app::KEPT', STATICS, [''], 4)]);
    const findings = leakFindings(result);
    const suspects = result.leakSuspects();
    assert.deepEqual(
      suspects.map(s => s.address),
      [lost1, lost2].sort((a, b) => (a! < b! ? -1 : 1)),
    );
    const bytes = t.blockSize(lost1!) + t.blockSize(lost2!);
    assert.equal(findings.length, 3);
    assert.ok(findings.every(f => f.kind === 'PossibleLeak' && f.severity === 'warning'));
    assert.equal(severityOf('PossibleLeak'), 'warning');
    assert.ok(findings[0]!.message.startsWith(`2 blocks, ${formatBytes(bytes)}, referenced by nothing the scan can see: possible leaks.`));
    assert.match(findings[0]!.message, /registers the debugger does not show/);
    assert.match(findings[0]!.message, /encoded/);
    assert.deepEqual(
      findings.slice(1).map(f => f.address),
      suspects.map(s => s.address),
    );
    assert.equal(findings[1]!.offset, Number(suspects[0]!.address - t.heap.layout.base));
  });

  it('give no finding when every block is reached', () => {
    const t = Target.of(8, 'big');
    const a = t.alloc(64);
    t.put(STATICS, a);
    assert.deepEqual(leakFindings(t.scan([typedStatic('app::A', STATICS, [''], 8)])), []);
  });

  it('are cut to the per-kind cap, the rest counted in one closing finding', () => {
    const t = Target.of(4, 'little', 4096, 9);
    // Eight blocks in a ring: each pointed to (so each is its own block), none reached from a root.
    const ring = Array.from({ length: 8 }, () => t.alloc(16));
    ring.forEach((block, i) => t.put(block, ring[(i + 1) % ring.length]!));
    const result = t.scan([]);
    assert.equal(result.leakSuspects().length, ring.length);
    const findings = leakFindings(result, 3);
    assert.equal(findings.length, 4);
    assert.equal(findings.filter(f => f.address !== undefined).length, 2);
    assert.match(findings.at(-1)!.message, /^\d+ more PossibleLeak findings are not listed/);
  });
});

describe('ownership: leak suspects across stops', () => {
  it('tell persisting, new and gone suspects apart, count stops, and flag growth', () => {
    const t = Target.of(4, 'little', 8192, 10);
    const [root, leak1, later, fixed] = t.allocApart(64, 64, 64, 64);
    t.put(STATICS, root!);
    const roots = [typedStatic('app::ROOT', STATICS, ['p', 'q'], 4)];
    const first = t.scan(roots); // leak1, later, fixed: all unreferenced (later is not yet leaked, just unused)
    t.put(STATICS + 4n, fixed!); // fixed gets an owner
    const leak2 = t.allocApart(128)[0]!;
    const second = t.scan(roots);
    const comparison = compareLeakSuspects(first, second);
    assert.deepEqual(
      comparison.persisting.map(p => [p.suspect.address, p.stops]),
      [leak1, later].sort((a, b) => (a! < b! ? -1 : 1)).map(a => [a, 2]),
    );
    assert.deepEqual(
      comparison.appeared.map(s => s.address),
      [leak2],
    );
    assert.deepEqual(
      comparison.gone.map(s => s.address),
      [fixed],
    );
    assert.equal(comparison.before.bytes, 3 * t.blockSize(leak1!));
    assert.equal(comparison.after.bytes, 2 * t.blockSize(leak1!) + t.blockSize(leak2));
    assert.equal(comparison.growing, true);
    assert.match(comparison.summary, /^Possible leak growing: suspect memory .* → .*; 2 still unreached, 1 new, 1 no longer suspect\.$/);
    const third = compareLeakSuspects(second, t.scan(roots), comparison.streaks);
    assert.equal(third.persisting.find(p => p.suspect.address === leak1)?.stops, 3);
    assert.equal(third.persisting.find(p => p.suspect.address === leak2)?.stops, 2);
    assert.equal(third.growing, false);
  });
});

describe('ownership: JSON for inspect --core', () => {
  it('lists blocks with owner and referrers, and the suspects, as lowercase hex', () => {
    const t = Target.of(4, 'little');
    const [a, b, c] = t.allocApart(64, 32, 32);
    t.put(STATICS, a!);
    t.put(a! + 8n, b!);
    const json = ownershipToJson(t.scan([typedStatic('app::CACHE', STATICS, ['entries[0]'], 4)]));
    const byAddress = new Map(json.blocks.map(block => [block.address, block]));
    assert.deepEqual(byAddress.get(hex(a!)), {
      address: hex(a!),
      size: t.blockSize(a!),
      inferred: false,
      confidence: 'span-only',
      owner: 'app::CACHE.entries[0]',
      referencedBy: ['app::CACHE.entries[0]'],
    });
    assert.deepEqual(byAddress.get(hex(b!))?.referencedBy, [`${hex(a!)}+0x8`]);
    assert.equal(byAddress.get(hex(b!))?.owner, 'app::CACHE.entries[0]');
    assert.deepEqual(json.leakSuspects, [hex(c!)]);
    assert.deepEqual(json.scan, { truncated: false, notes: [] });
  });

  it('marks blocks cut out of a span as inferred', () => {
    const t = Target.of(8, 'little');
    const [a, b] = [t.alloc(32), t.alloc(32)];
    t.put(STATICS, a);
    t.put(STATICS + 8n, b);
    const result = t.scan([typedStatic('S', STATICS, ['a', 'b'], 8)]);
    const json = ownershipToJson(result);
    assert.deepEqual(
      json.blocks.map(block => [block.address, block.inferred, block.confidence]),
      [
        [hex(a), true, 'likely'],
        [hex(b), true, 'likely'],
      ],
    );
    assert.match(
      result.inference(blockStartingAt(result, a)).reason,
      new RegExp(`a pointer to ${hex(b)} inside it suggests another allocation`),
    );
  });
});
