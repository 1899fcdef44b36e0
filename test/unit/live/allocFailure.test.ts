// Break on Allocation Failure without VS Code: which breakpoints a session gets (none, with a
// clear message, when its adapter lacks function breakpoints), the setting's hooks, matching the
// stopped frame, reading the failed request from the frame's variables, and marking the stop.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import { ElfFile } from '../../../core/elf/elfFile';
import { allocationFailureFunctions } from '../../../core/elf/allocFailureSymbols';
import { readSymbols } from '../../../core/elf/symbols';
import { AdapterCapabilities } from '../../../extension/dap/adapterCapabilities';
import { readFailedRequest } from '../../../extension/live/allocFailure/failedRequest';
import { planFailureBreakpoints, programOfConfiguration } from '../../../extension/live/allocFailure/failureBreakpointPlan';
import { failureFunctionAt } from '../../../extension/live/allocFailure/failureFrame';
import { parseFailureHooks } from '../../../extension/live/allocFailure/failureHooks';
import { MissingToolError, buildProgram } from '../../support/debugPrograms';
import { adapterSends, liveFixture, stopped } from './liveFixture';

const WITH_BREAKPOINTS = { supportsFunctionBreakpoints: true, supportsReadMemoryRequest: true };

function rustProgram(test: Mocha.Context): string {
  try {
    return buildProgram('rust-debug').file;
  } catch (error) {
    if (error instanceof MissingToolError) test.skip();
    throw error;
  }
}

/** A channel answering scopes/variables from a table, recording what was asked. */
function fakeFrame(
  capabilities: AdapterCapabilities,
  variables: Record<number, { name: string; value: string; variablesReference?: number }[]>,
) {
  const asked: string[] = [];
  return {
    asked,
    channel: {
      capabilities,
      customRequest: (command: string, args?: unknown): Promise<unknown> => {
        asked.push(command);
        if (command === 'scopes') return Promise.resolve({ scopes: [{ name: 'Locals', variablesReference: 1, expensive: false }] });
        const ref = (args as { variablesReference: number }).variablesReference;
        return Promise.resolve({ variables: (variables[ref] ?? []).map(v => ({ variablesReference: 0, ...v })) });
      },
    },
  };
}

describe('break on allocation failure', function () {
  this.timeout(600_000);

  it('an adapter without function breakpoints gets a clear message and no breakpoints; its program is not even read', async () => {
    let reads = 0;
    const plan = await planFailureBreakpoints(
      { type: 'mock', name: 'fw', configuration: { program: '/nowhere/fw.elf' } },
      AdapterCapabilities.fromInitialize('mock', { supportsReadMemoryRequest: true }),
      [],
      () => {
        reads++;
        return Promise.reject(new Error('must not be read'));
      },
    );
    assert.ok(!plan.ok);
    assert.match(plan.message, /mock does not advertise supportsFunctionBreakpoints/);
    assert.match(plan.message, /no breakpoints were set/);
    assert.equal(reads, 0);
  });

  it("finds the program by each adapter's key and plans the failure functions its symbols have", async function () {
    const file = rustProgram(this);
    const bytes = new Uint8Array(fs.readFileSync(file));
    const expected = allocationFailureFunctions(readSymbols(new ElfFile(bytes)), []).functions;
    assert.ok(expected.length > 0);
    for (const configuration of [{ program: file }, { executable: file }, { coreConfigs: [{ programBinary: file }] }]) {
      assert.equal(programOfConfiguration(configuration), file);
      const plan = await planFailureBreakpoints(
        { type: 'gdb', name: 'rust', configuration },
        AdapterCapabilities.fromInitialize('gdb', WITH_BREAKPOINTS),
        [{ function: 'not_in_program', sizeArgument: 'size' }],
        path => Promise.resolve(new Uint8Array(fs.readFileSync(path))),
      );
      assert.ok(plan.ok, plan.ok ? '' : plan.message);
      assert.deepEqual(plan.functions, expected);
      assert.match(plan.notes[0] ?? '', /defines no not_in_program/);
    }
    const none = await planFailureBreakpoints(
      { type: 'gdb', name: 'attach', configuration: { request: 'attach' } },
      AdapterCapabilities.fromInitialize('gdb', WITH_BREAKPOINTS),
      [],
      () => Promise.reject(new Error('unused')),
    );
    assert.ok(!none.ok);
    assert.match(none.message, /names no program/);
  });

  it('checks the hooks setting: bad entries are named and skipped', () => {
    const parsed = parseFailureHooks([
      { function: 'heap_alloc_failed', sizeArgument: 'size', alignArgument: 'align' },
      { function: 'bad name' },
      'x',
      { function: 'f', sizeArgument: 3 },
    ]);
    assert.deepEqual(parsed.hooks, [{ function: 'heap_alloc_failed', sizeArgument: 'size', alignArgument: 'align' }, { function: 'f' }]);
    assert.equal(parsed.problems.length, 3);
    assert.match(parsed.problems[0]!, /allocationFailureHooks\[1\]\.function/);
    assert.deepEqual(parseFailureHooks(undefined), { hooks: [], problems: [] });
    assert.match(parseFailureHooks('heap_alloc_failed').problems[0]!, /must be an array/);
  });

  it('matches the stopped frame as gdb, lldb and C adapters name it', () => {
    const functions = [
      { name: 'alloc::alloc::handle_alloc_error', language: 'rust' as const, address: 1n },
      { name: 'heap_alloc_failed', language: 'c' as const, address: 2n },
    ];
    assert.equal(failureFunctionAt('alloc::alloc::handle_alloc_error', functions)?.address, 1n);
    assert.equal(failureFunctionAt('alloc::alloc::handle_alloc_error(layout=...)', functions)?.address, 1n);
    assert.equal(failureFunctionAt('fw!heap_alloc_failed', functions)?.address, 2n);
    assert.equal(failureFunctionAt('main', functions), undefined);
  });

  it("reads Rust's Layout argument (size, Alignment enum) and a C hook's named arguments; says what is missing", async () => {
    const caps = AdapterCapabilities.fromInitialize('gdb', WITH_BREAKPOINTS);
    const align = 1n << 3n;
    const rust = fakeFrame(caps, {
      1: [{ name: 'layout', value: 'core::alloc::layout::Layout {...}', variablesReference: 2 }],
      2: [
        { name: 'size', value: '1536' },
        { name: 'align', value: 'core::ptr::alignment::Alignment(...)', variablesReference: 3 },
      ],
      3: [{ name: '__0', value: `core::ptr::alignment::AlignmentEnum::_Align1Shl${3}` }],
    });
    assert.deepEqual(await readFailedRequest(rust.channel, 7, 'rust', undefined), { ok: true, size: 1536n, align });
    const c = fakeFrame(caps, {
      1: [
        { name: 'wanted', value: '0x200' },
        { name: 'alignment', value: '16' },
      ],
    });
    assert.deepEqual(
      await readFailedRequest(c.channel, 7, 'c', { function: 'heap_alloc_failed', sizeArgument: 'wanted', alignArgument: 'alignment' }),
      {
        ok: true,
        size: 0x200n,
        align: 16n,
      },
    );
    // std's handle_alloc_error has no argument debug info: the caller's layout is used, and said so.
    const scoped = fakeFrame(caps, {
      1: [],
      4: [{ name: 'layout', value: 'core::alloc::layout::Layout {...}', variablesReference: 2 }],
      2: [
        { name: 'size', value: '65536' },
        { name: 'align', value: 'core::ptr::alignment::AlignmentEnum::_Align1Shl4' },
      ],
    });
    scoped.channel.customRequest = (inner => (command: string, args?: unknown) =>
      command === 'scopes' && (args as { frameId: number }).frameId === 8
        ? Promise.resolve({ scopes: [{ name: 'Arguments', variablesReference: 4 }] })
        : inner(command, args))(scoped.channel.customRequest);
    const viaCaller = await readFailedRequest(scoped.channel, 7, 'rust', undefined, { id: 8, name: 'prog::request_or_fail' });
    assert.ok(viaCaller.ok);
    assert.deepEqual([viaCaller.size, viaCaller.align], [65536n, 16n]);
    assert.match(viaCaller.note ?? '', /request read from the caller prog::request_or_fail's layout: the stopped frame has none/);
    const noDebug = await readFailedRequest(fakeFrame(caps, {}).channel, 7, 'rust', undefined);
    assert.ok(!noDebug.ok && /no arguments \(is the program built with debug info\?\)/.test(noDebug.missing));
    const noSize = await readFailedRequest(c.channel, 7, 'c', { function: 'heap_alloc_failed' });
    assert.ok(!noSize.ok && /names no sizeArgument/.test(noSize.missing));
  });

  it('a frame whose variables the adapter refuses is reported as missing, not guessed', async () => {
    const refusing = {
      capabilities: AdapterCapabilities.fromInitialize('gdb', WITH_BREAKPOINTS),
      customRequest: () => Promise.reject(new Error('No frame selected.')),
    };
    const result = await readFailedRequest(refusing, 1, 'rust', undefined);
    assert.ok(!result.ok);
    // The adapter's words, after which request it refused.
    assert.match(result.missing, /the frame's variables could not be read \(The debug adapter refused scopes: No frame selected\.\)/);
  });

  it('marks the stop where the allocation failed in the live history', async () => {
    const f = liveFixture();
    adapterSends(f.source, stopped());
    await f.source.idle();
    const before = f.source.history().entry(0).text;
    f.source.markLatestStep('allocation of 512 bytes (align 8) failed here');
    assert.equal(f.source.history().entry(0).text, `${before} — allocation of 512 bytes (align 8) failed here`);
  });
});
