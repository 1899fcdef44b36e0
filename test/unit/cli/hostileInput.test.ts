// The CLI on input meant to hurt it: read failures mid-stream, lines of megabytes, numbers of
// megabytes, and escape sequences meant for the user's terminal. Every command stays bounded, says
// which line stopped it, and never echoes a control character.
import * as assert from 'node:assert/strict';
import { CliError, nodeIo } from '../../../core/cli/io';
import { main } from '../../../core/cli/main';
import { parseTrace } from '../../../core/trace/parse';
import { replayTrace } from '../../../core/trace/replay';
import { spawn } from 'node:child_process';
import { CLI_PATH, drained, generatedTrace } from '../../support/boundedCli';
import { memoryIo } from './memoryIo';

/** Any C0 or C1 control character except the newlines that end output lines. */
const CONTROL = /[\u0000-\u0009\u000b-\u001f\u007f-\u009f]/;

const COMMANDS: readonly (readonly string[])[] = [['replay', '--json'], ['replay'], ['stats'], ['stats', '--json']];

async function run(command: readonly string[], trace: string | Uint8Array, options: Parameters<typeof memoryIo>[1] = {}) {
  const { io, stdout, stderr } = memoryIo({ '-': trace }, options);
  const code = await main([command[0]!, '-', ...command.slice(1)], io);
  return { code, stdout: stdout(), stderr: stderr() };
}

/** Lines of output about trace lines (the tables' rows start with the line number). */
function rowsFor(command: readonly string[], stdout: string): string[] {
  const lines = stdout.split('\n').filter(line => line !== '');
  return command.includes('--json') ? lines : lines.filter(line => /^ *\d+ /.test(line));
}

const TRACE = ['heap 0x1000 orders=5', 'alloc 16 8', 'alloc 64 64 owner=net/rx', 'free 0x20000000 16 8', 'dump', 'alloc 128 8'];

describe('CLI on hostile input', () => {
  it('streams standard input and, when a read fails, names the last line the output covers', async () => {
    const text = TRACE.join('\n') + '\n';
    // Fail inside line 4: lines 1 to 3 were read whole.
    const failAt = TRACE.slice(0, 3).join('\n').length + 5;
    for (const command of COMMANDS) {
      const whole = await run(command, text);
      assert.equal(whole.code, 0, whole.stderr);
      const failed = await run(command, text, { failAfter: { path: '-', bytes: failAt }, chunk: 7 });
      assert.equal(failed.code, 1, `${command.join(' ')}: exit code`);
      assert.match(failed.stderr, /cannot read standard input \(EIO\) after line 3; the output covers lines 1 to 3\n$/);
      const covered = rowsFor(command, whole.stdout).filter(row => {
        const line = command.includes('--json') ? NaN : Number(/^ *(\d+)/.exec(row)![1]);
        return Number.isNaN(line) || line <= 3;
      });
      const expected = command.includes('--json') ? rowsFor(command, whole.stdout).slice(0, 3) : covered;
      assert.deepEqual(rowsFor(command, failed.stdout), expected, `${command.join(' ')}: the output of lines 1 to 3 only`);
    }
    const first = await run(['replay', '--json'], text, { failAfter: { path: '-', bytes: 0 } });
    assert.equal(first.code, 1);
    assert.match(first.stderr, /before its first line; nothing was replayed/);
    assert.equal(first.stdout, '');
  });

  it('replays a line of any length when its operation is short and the rest a comment', async () => {
    const long = `alloc 64 64 owner=big # ${'note '.repeat(200_000)}`;
    const lines = [...TRACE.slice(0, 2), long, ...TRACE.slice(2)];
    const short = [...TRACE.slice(0, 2), 'alloc 64 64 owner=big', ...TRACE.slice(2)];
    for (const command of COMMANDS) {
      const streamed = await run(command, lines.join('\n'), { chunk: 4093 });
      assert.equal(streamed.code, 0, streamed.stderr);
      assert.equal(streamed.stdout, (await run(command, short.join('\n'))).stdout, command.join(' '));
    }
  });

  it('refuses an over-long operation with its line number, its start and its length, after the lines before it', async () => {
    const long = `alloc 8 8 ${'x'.repeat(10 << 20)}`;
    for (const ending of ['\nalloc 1 1\n', '']) {
      const trace = [...TRACE.slice(0, 2), long].join('\n') + ending;
      for (const command of COMMANDS) {
        const result = await run(command, trace);
        assert.equal(result.code, 2, command.join(' '));
        assert.match(
          result.stderr,
          /^buddy-heap: stdin: line 3: "alloc 8 8 x+…" \(10485770 bytes\): expected an operation of at most 131072 bytes before any # comment/,
        );
        assert.ok(result.stderr.length < 400, `a short message, not the line: ${result.stderr.length} characters`);
        assert.equal(rowsFor(command, result.stdout).length, 2, 'lines 1 and 2 were replayed');
      }
    }
  });

  it('quotes a bad line once, cut to a few words with its length', async () => {
    const bad = `alloc 8 ${'7'.repeat(100_000)}`;
    const result = await run(['replay', '--json'], `heap 256 orders=5\n${bad}\n`);
    assert.equal(result.code, 2);
    assert.match(result.stderr, /line 2: "alloc 8 7+…" \(100008 characters\): expected alloc <size> <align>/);
    assert.match(result.stderr, /\(align "7+…" \(100000 characters\) is larger than 0xffffffffffffffff, the largest 64-bit value\)/);
    assert.ok(result.stderr.length < 400, result.stderr);
  });

  it('refuses numbers past 64 bits by their length, and takes every 64-bit value', async () => {
    const refused = [
      '0x10000000000000000',
      '18446744073709551616',
      '0x00000000000000001', // 17 hex digits: longer than any 64-bit value is written
      '000000000000000000001',
      '9'.repeat(1 << 16),
    ];
    for (const number of refused) {
      const result = await run(['replay', '--json'], `heap 256 orders=5\nfree ${number} 8 8\n`);
      assert.equal(result.code, 2, number.slice(0, 30));
      assert.match(result.stderr, /address ".*" (\(\d+ characters\) )?is larger than 0xffffffffffffffff/);
    }
    const taken = ['0xffffffffffffffff', '18446744073709551615', '0x0000000000000000', '00000000000000000000'];
    const trace = ['heap 256 orders=5', ...taken.map(n => `free ${n} 8 8`), ...taken.map(n => `alloc ${n} 8`)].join('\n');
    const result = await run(['replay', '--json'], trace);
    assert.equal(result.code, 0, result.stderr);
    const expected = replayTrace(parseTrace(trace)).map(r => JSON.stringify(r) + '\n');
    assert.equal(result.stdout, expected.join(''));
    assert.match(result.stdout, /"error":"OutOfHeap: 0xffffffffffffffff is outside the heap/);
  });

  it('never echoes control or escape characters: not in owner labels, not in error messages', async () => {
    const label = '\x1b]0;pwned\x07\x1b[2J\u009b31m\u202e';
    const trace = `heap 256 orders=5\nalloc 8 8 owner=${label}\n`;
    const table = await run(['replay'], trace);
    assert.equal(table.code, 0, table.stderr);
    assert.ok(!CONTROL.test(table.stdout) && !table.stdout.includes('\u202e'), JSON.stringify(table.stdout));
    assert.ok(table.stdout.includes('["\\x1b]0;pwned\\x07\\x1b[2J\\x9b31m\\u202e"]'), table.stdout);
    for (const bad of [
      `alloc 8 8 owner=${label} extra\x1b[2J`,
      `\x1b]0;pwned\x07 8 8`,
      `alloc 8 \x1b[2J`,
      `heap 256 orders=5 ptr=\x1b[2J`,
    ]) {
      for (const command of COMMANDS) {
        const result = await run(command, `heap 256 orders=5\n${bad}\n`);
        assert.equal(result.code, 2, `${command.join(' ')}: ${JSON.stringify(bad)}`);
        assert.ok(!CONTROL.test(result.stderr.slice(0, -1)), JSON.stringify(result.stderr));
        assert.ok(!CONTROL.test(result.stdout.replace(/\n/g, '')), JSON.stringify(result.stdout));
        assert.match(result.stderr, /\\x1b/);
      }
    }
    // A bad layout file (JSON.parse quotes its text), an unknown command, an unknown option.
    for (const [args, files] of [
      [['inspect', 'x.bin', '--layout', 'l\x1b[2J.json'], { 'x.bin': new Uint8Array(64), 'l\x1b[2J.json': `{"\x1b]0;pwned\x07": ` }],
      [['inspect', 'x.bin', '--layout', 'l.json'], { 'x.bin': new Uint8Array(64), 'l.json': JSON.stringify({ pointerWidth: '\x1b[2J' }) }],
      [['\x1b]0;pwned\x07'], {}],
      [['replay', '-', '--\x1b[2J'], { '-': '' }],
    ] as [string[], Record<string, string | Uint8Array>][]) {
      const { io, stdout, stderr } = memoryIo(files);
      assert.equal(await main(args, io), 2, JSON.stringify(args));
      assert.ok(!CONTROL.test(stderr().replace(/\n/g, '')) && !CONTROL.test(stdout().replace(/\n/g, '')), JSON.stringify(stderr()));
      assert.match(stderr(), /\\x1b/);
    }
    // A file name is quoted too (the real IO's message).
    assert.throws(
      () => nodeIo().streamBytes!('/nonexistent/\x1b]0;pwned\x07.trace'),
      (e: unknown) => e instanceof CliError && e.message === 'cannot read "/nonexistent/\\x1b]0;pwned\\x07.trace" (ENOENT)',
    );
  });

  it('refuses an owner label longer than 128 characters, as the Simulate command does', async () => {
    const result = await run(['replay', '--json'], `heap 256 orders=5\nalloc 8 8 owner=${'a'.repeat(129)}\n`);
    assert.equal(result.code, 2);
    assert.match(result.stderr, /an owner label is at most 128 characters/);
  });

  it('stops with one line, not a stack trace, when its reader closes the output (| head)', async () => {
    const trace = generatedTrace(8 * 2 ** 20);
    const child = spawn(process.execPath, [CLI_PATH, 'replay', '-'], { stdio: ['pipe', 'pipe', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.stdout.once('data', () => child.stdout.destroy());
    child.stdin.on('error', () => undefined);
    const closed = new Promise<number | null>(resolve => child.on('close', code => resolve(code)));
    for (let chunk = trace.next(); chunk && !child.stdin.destroyed; chunk = trace.next())
      if (!child.stdin.write(chunk)) await drained(child.stdin);
    child.stdin.end();
    assert.equal(await closed, 1);
    assert.equal(stderr, 'buddy-heap: standard output was closed (EPIPE); stopped\n');
  });
});
