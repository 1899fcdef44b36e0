// Which sessions a heap entry applies to: debugType (one or a list), program glob, sessionName
// glob, all of them at once, and the messages for malformed values.
import * as assert from 'node:assert/strict';
import { globMatches, matchesSession, parseSessionFilter } from '../../../extension/live/sessionMatch';

const qemu = { type: 'gdbtarget', name: 'QEMU fw', program: '/work/fw/build/fw.elf' };
const rust = { type: 'gdb', name: 'Rust prog', program: '/work/rust/target/prog' };
const bare = { type: 'cortex-debug', name: 'probe' };

function filterOf(entry: Record<string, unknown>) {
  const parsed = parseSessionFilter(entry);
  assert.ok(parsed.ok, parsed.ok ? '' : parsed.message);
  return parsed.filter;
}

describe('heap session filter', () => {
  it('globs: * stays in a segment, ** crosses them, **/ may be empty, ? is one character', () => {
    assert.ok(globMatches('*.elf', 'fw.elf'));
    assert.ok(!globMatches('*.elf', 'build/fw.elf'));
    assert.ok(globMatches('**/fw.elf', '/work/fw/build/fw.elf'));
    assert.ok(globMatches('**/fw.elf', 'fw.elf'));
    assert.ok(!globMatches('**/fw.elf', '/work/xfw.elf'));
    assert.ok(globMatches('fw?.elf', 'fw2.elf'));
    assert.ok(!globMatches('fw.elf', 'fwXelf'), 'a dot is literal');
  });

  it('no session fields: applies to every session', () => {
    assert.equal(filterOf({ expression: 'HEAP' }), undefined);
    assert.ok(matchesSession(undefined, qemu) && matchesSession(undefined, bare));
  });

  it('debugType: one type or a list', () => {
    const one = filterOf({ debugType: 'gdbtarget' });
    assert.deepEqual([matchesSession(one, qemu), matchesSession(one, rust)], [true, false]);
    const list = filterOf({ debugType: ['gdb', 'cortex-debug'] });
    assert.deepEqual(
      [qemu, rust, bare].map(s => matchesSession(list, s)),
      [false, true, true],
    );
  });

  it('program: a bare glob matches the file name, a glob with a slash the whole path; no program, no match', () => {
    const name = filterOf({ program: '*.elf' });
    assert.deepEqual(
      [qemu, rust, bare].map(s => matchesSession(name, s)),
      [true, false, false],
    );
    const path = filterOf({ program: '/work/rust/**' });
    assert.deepEqual(
      [qemu, rust].map(s => matchesSession(path, s)),
      [false, true],
    );
    assert.ok(
      matchesSession(filterOf({ program: 'FW.ELF' }), { type: 'x', name: 'w', program: 'C:\\fw\\fw.elf' }),
      'Windows paths ignore case',
    );
  });

  it('sessionName glob, and all fields must match together', () => {
    assert.deepEqual(
      [qemu, rust].map(s => matchesSession(filterOf({ sessionName: 'QEMU*' }), s)),
      [true, false],
    );
    const both = filterOf({ debugType: 'gdbtarget', program: '**/fw.elf', sessionName: 'Rust*' });
    assert.equal(matchesSession(both, qemu), false);
  });

  it('rejects malformed values with what to write instead', () => {
    const bad = (entry: Record<string, unknown>) => {
      const parsed = parseSessionFilter(entry);
      assert.ok(!parsed.ok);
      return parsed.message;
    };
    assert.match(bad({ debugType: 7 }), /"debugType" must be a debug type such as "cortex-debug".*not 7/);
    assert.match(bad({ debugType: [] }), /non-empty list/);
    assert.match(bad({ debugType: ['gdb', ''] }), /"debugType"/);
    assert.match(bad({ program: '' }), /"program" must be a glob .*"\*\*\/fw\.elf"/);
    assert.match(bad({ sessionName: false }), /"sessionName" must be the debug session's name or a glob/);
  });
});
