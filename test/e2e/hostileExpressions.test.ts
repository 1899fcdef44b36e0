// Issue 9: heap expressions that would write target memory or run target code, given to the
// product the ways a user gives them — a heap setting or layout-file entry (parseHeapSpec) and
// the reader the Attach command, a variable's evaluateName and auto-attach use (LiveHeapReader) —
// on the Cortex-M3 firmware in QEMU through cdt-gdb-adapter and gdb 13. Each is refused, no
// evaluate reaches gdb, and afterwards the target is the same: every global and the stack read
// back byte for byte through gdb, every core register, and foo() never ran (foo_calls stays 0).
// A last case sends the same text to gdb directly, proving that it would have changed the target
// and that the comparison sees it.
import * as assert from 'node:assert/strict';
import { decodeHeap } from '../../core/decoder/decode';
import { parseHeapSpec } from '../../extension/dap/heapSpec';
import { LiveReadError } from '../../extension/dap/liveErrors';
import { LiveHeapReader } from '../../extension/dap/liveHeapReader';
import { type TargetSession, evaluateNumber, readBytes, startCortexSession } from './support/debugTargets';
import { setupOrSkip } from './support/skips';

/** Issue 9's examples, made to hit the firmware's own variables (x, foo, fp, HEAP), and the refused token each names. */
const HOSTILE: readonly { readonly expression: string; readonly token: string }[] = [
  { expression: 'x = 9, HEAP', token: '"="' },
  { expression: 'HEAP.heap_size = 0', token: '"="' },
  { expression: '$pc = 0', token: '"$pc"' },
  { expression: 'HEAP.heap_size++', token: '"++"' },
  { expression: 'HEAP.x++', token: '"++"' },
  { expression: 'x += 1', token: '"+="' },
  { expression: 'x |= 0x100', token: '"|="' },
  { expression: '(*fp)()', token: 'calls (*fp)()' },
  { expression: '(foo)()', token: 'calls (foo)()' },
  { expression: 'fp[0](1)', token: 'calls fp[0](1)' },
  { expression: "'\\'' , foo()", token: `"'"` },
  { expression: '-exec set var x=1', token: '"-exec"' },
  { expression: '`set var x = 1`', token: '"`"' },
  { expression: '> set var x = 1', token: '">"' },
];

const REGISTERS = ['r0', 'r1', 'r2', 'r3', 'r4', 'r5', 'r6', 'r7', 'r8', 'r9', 'r10', 'r11', 'r12', 'sp', 'lr', 'pc', 'xpsr'];
/** Below the stack pointer too: a call the debugger makes pushes its frame there. */
const BELOW_SP = 512;
const CHUNK = 4096;

interface TargetState {
  readonly registers: Readonly<Record<string, bigint>>;
  /** Every global: .data and .bss, the heap memory, HEAP, x, foo_calls, op_log included. */
  readonly globals: Buffer;
  /** From BELOW_SP under the stack pointer to the top of RAM. */
  readonly stack: Buffer;
  readonly x: bigint;
  readonly fooCalls: bigint;
}

async function readRange(session: TargetSession, from: bigint, to: bigint): Promise<Buffer> {
  const parts: Buffer[] = [];
  for (let at = from; at < to; at += BigInt(CHUNK)) parts.push(await readBytes(session, at, Number(to - at < CHUNK ? to - at : CHUNK)));
  return Buffer.concat(parts);
}

/** The target as gdb reads it: plain names and readMemory, nothing that could change it. */
async function targetState(session: TargetSession): Promise<TargetState> {
  const registers: Record<string, bigint> = {};
  for (const name of REGISTERS) registers[name] = await evaluateNumber(session, `(unsigned int)$${name}`);
  const globalsFrom = await evaluateNumber(session, '(unsigned int)&_sdata');
  const globalsTo = await evaluateNumber(session, '(unsigned int)&_ebss');
  const stackTop = await evaluateNumber(session, '(unsigned int)&_estack');
  assert.ok(globalsTo - globalsFrom > 64n * 1024n, 'the globals hold the 64 KiB heap');
  return {
    registers,
    globals: await readRange(session, globalsFrom, globalsTo),
    stack: await readRange(session, registers.sp! - BigInt(BELOW_SP), stackTop),
    x: await evaluateNumber(session, 'x'),
    fooCalls: await evaluateNumber(session, 'foo_calls'),
  };
}

function assertSameTarget(after: TargetState, before: TargetState, what: string): void {
  assert.deepEqual(after.registers, before.registers, `${what}: registers`);
  assert.equal(after.x, before.x, `${what}: x`);
  assert.equal(after.fooCalls, 0n, `${what}: foo never ran`);
  const firstDiff = (a: Buffer, b: Buffer) => a.findIndex((byte, i) => byte !== b[i]);
  assert.ok(after.globals.equals(before.globals), `${what}: globals differ from byte ${firstDiff(after.globals, before.globals)}`);
  assert.ok(after.stack.equals(before.stack), `${what}: stack differs from byte ${firstDiff(after.stack, before.stack)}`);
}

describe('e2e: hostile heap expressions on the Cortex-M3 firmware in QEMU (issue 9)', function () {
  let session: TargetSession;
  let initial: TargetState;

  before(async function () {
    session = await setupOrSkip(this, () => startCortexSession('64k'));
    initial = await targetState(session);
  });
  after(async () => {
    await session?.close();
  });

  it('the firmware has what the expressions aim at, untouched so far', () => {
    assert.equal(initial.x, 7n);
    assert.equal(initial.fooCalls, 0n);
  });

  for (const { expression, token } of HOSTILE) {
    it(`refuses ${JSON.stringify(expression)} naming ${token}, sends gdb nothing, and the target is unchanged`, async () => {
      const setting = parseHeapSpec({ expression });
      assert.ok(!setting.ok, `the setting ${expression} was accepted`);
      assert.ok(setting.message.includes(token), setting.message);

      const sentBefore = session.client.sent.length;
      const threadId = session.lastStop.body.threadId ?? 1;
      await assert.rejects(new LiveHeapReader(session.client, { kind: 'expression', expression }).read({ threadId }), (error: unknown) => {
        assert.ok(error instanceof LiveReadError, String(error));
        assert.equal(error.kind, 'expression');
        assert.ok(error.message.includes(token) && /never changes target memory/.test(error.message), error.message);
        return true;
      });
      const evaluated = session.client.sent.slice(sentBefore).filter(r => r.command === 'evaluate');
      assert.deepEqual(evaluated, [], 'no evaluate reached the adapter');

      assertSameTarget(await targetState(session), initial, expression);
    });
  }

  it('the heap still reads after them, through the same reader', async () => {
    const read = await new LiveHeapReader(session.client, { kind: 'expression', expression: 'HEAP' }).read({
      threadId: session.lastStop.body.threadId ?? 1,
    });
    assert.equal(decodeHeap(read.snapshot).findings.length, 0);
    assertSameTarget(await targetState(session), initial, 'after reading HEAP');
  });

  // Last: it changes the target. What the old deny-list sent gdb for two of the examples.
  it('control: the same text sent straight to gdb writes x and runs foo, and the comparison sees both', async () => {
    const frameId = (await session.client.request('stackTrace', { threadId: session.lastStop.body.threadId ?? 1, levels: 1 }))
      .stackFrames[0]!.id;
    const body = await session.client.request('evaluate', { expression: '&((x = 9, HEAP))', frameId, context: 'watch' });
    assert.match(body.result, /^0x[0-9a-f]+ <HEAP>/, 'the heap address comes back as if nothing happened');
    await session.client.request('evaluate', { expression: '(foo)()', frameId, context: 'watch' });
    const after = await targetState(session);
    assert.equal(after.x, 9n, 'gdb assigned x');
    assert.equal(after.fooCalls, 1n, 'gdb ran foo on the target');
    assert.throws(() => assertSameTarget(after, initial, 'control'), /x|foo never ran|globals/);
  });
});
