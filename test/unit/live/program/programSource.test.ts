// Where the program file comes from, per adapter's launch configuration, and the setting's override.
import * as assert from 'node:assert/strict';
import { programOfSession } from '../../../../extension/live/program/programSource';

describe('program source', () => {
  const cases: [string, Record<string, unknown>, string | undefined][] = [
    ['cdt-gdb-adapter / cppdbg / lldb-dap / CodeLLDB', { type: 'gdb', program: '/w/out/prog' }, '/w/out/prog'],
    ['Cortex-Debug', { type: 'cortex-debug', executable: '/w/fw.elf' }, '/w/fw.elf'],
    ['probe-rs', { type: 'probe-rs-debug', coreConfigs: [{ coreIndex: 0 }, { programBinary: '/w/target/fw' }] }, '/w/target/fw'],
    ['nothing usable', { type: 'gdb', program: '  ', executable: 7, coreConfigs: 'x' }, undefined],
  ];
  for (const [adapter, configuration, expected] of cases) {
    it(`reads ${adapter}`, () => {
      assert.equal(programOfSession(configuration, undefined)?.path, expected);
    });
  }

  it('the setting overrides the configuration, with ${workspaceFolder} replaced', () => {
    const found = programOfSession({ program: '/w/out/prog' }, '${workspaceFolder}/build/fw.elf', '/home/me/proj');
    assert.deepEqual(found, { path: '/home/me/proj/build/fw.elf', from: 'buddyHeap.live.program' });
    assert.equal(programOfSession({ program: '/w/p' }, '', '/x')?.path, '/w/p', 'an empty setting is unset');
    assert.equal(programOfSession({ program: '/w/p' }, 42)?.path, '/w/p', 'a non-string setting is ignored');
  });

  it('says where the path came from', () => {
    assert.match(programOfSession({ executable: 'fw.elf' }, undefined)!.from, /"executable"/);
  });
});
