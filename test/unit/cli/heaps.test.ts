// `buddy-heap heaps` through the real CLI entry point, in-process: the documented JSON shape,
// the readable listing, and exit 2 with a clear message for a file that is not an ELF, has no
// debug info, or declares no heap.
import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { nodeIo } from '../../../core/cli/io';
import { main } from '../../../core/cli/main';
import { heapToJson } from '../../../core/cli/heaps';
import { discoverHeaps } from '../../../core/discovery/findHeaps';
import { ElfFile } from '../../../core/elf/elfFile';
import { repoRoot } from '../../e2e/support/paths';
import { buildProgram, MissingToolError, type ProgramName, runTool, toolAvailable } from '../../support/debugPrograms';

/** Runs the CLI with stdout and stderr captured. */
async function run(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  const io = nodeIo();
  let stdout = '';
  let stderr = '';
  const captured = { ...io, out: (t: string) => void (stdout += t), err: (t: string) => void (stderr += t) };
  const code = await main(args, captured);
  return { code, stdout, stderr };
}

function program(name: ProgramName, test: Mocha.Context): string {
  try {
    return buildProgram(name).file;
  } catch (error) {
    if (error instanceof MissingToolError) test.skip();
    throw error;
  }
}

describe('buddy-heap heaps', function () {
  this.timeout(300_000);
  let dir: string;
  before(() => (dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cli-heaps-'))));
  after(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('--json prints one array in the documented shape: ELF addresses in lowercase hex, offsets as numbers', async function () {
    const file = program('rust-debug', this);
    const { code, stdout } = await run(['heaps', file, '--json']);
    assert.equal(code, 0);
    const printed = JSON.parse(stdout) as unknown[];
    const heaps = discoverHeaps(new ElfFile(fs.readFileSync(file))).heaps;
    assert.deepEqual(printed, heaps.map(heapToJson));
    assert.deepEqual(Object.keys(printed[0] as object), ['path', 'address', 'orders', 'pointerWidth', 'endianness', 'offsets']);
    const first = printed[0] as { path: string; address: string; offsets: Record<string, unknown> };
    assert.equal(first.path, 'prog::ALLOCATOR.inner.value');
    assert.match(first.address, /^0x[0-9a-f]+$/);
    assert.equal(BigInt(first.address), heaps[0]!.address);
    assert.deepEqual(Object.keys(first.offsets), ['heapBase', 'heapSize', 'freeLists', 'minBlockSize', 'minBlockSizeLog2']);
    assert.ok(Object.values(first.offsets).every(v => typeof v === 'number'));
  });

  it('lists each heap with its address, N, pointer width, byte order and field offsets', async function () {
    const file = program('mips-be-wrapped', this);
    const { code, stdout } = await run(['heaps', file]);
    assert.equal(code, 0);
    for (const heap of discoverHeaps(new ElfFile(fs.readFileSync(file))).heaps) {
      assert.ok(
        stdout.includes(`${heap.path} at 0x${heap.address.toString(16)}: Heap, N = ${heap.orders}, 4-byte pointers, big endian`),
        stdout,
      );
    }
    assert.match(stdout, /heap_base \+0, heap_size \+4, free_lists \+8, min_block_size \+\d+, min_block_size_log2 \+\d+ \(1 byte\)/);
  });

  it('refuses a file that is not an ELF file with exit 2', async () => {
    const text = path.join(dir, 'notes.txt');
    fs.writeFileSync(text, 'not a program\n');
    const { code, stderr } = await run(['heaps', text]);
    assert.equal(code, 2);
    assert.match(stderr, /notes\.txt: not an ELF file/);
  });

  it('says a program has no debug info (and how to get it) with exit 2', async function () {
    const file = program('arm-dwarf4', this);
    const objcopy = toolAvailable('arm-none-eabi-objcopy') ? 'arm-none-eabi-objcopy' : 'objcopy';
    const stripped = path.join(dir, 'stripped.elf');
    runTool(objcopy, ['--strip-debug', file, stripped]);
    const { code, stderr } = await run(['heaps', stripped, '--json']);
    assert.equal(code, 2);
    assert.match(stderr, /no debug info.*-g/);
  });

  it('prints [] with --json and exits 2 when no static is a heap', async function () {
    // The wrapped program without its heaps: discovery sees only IMPOSTOR (free_lists is one pointer).
    const file = program('arm-wrapped-gz', this);
    const elf = new ElfFile(fs.readFileSync(file));
    assert.ok(discoverHeaps(elf).nearMisses.length > 0);
    const objcopy = toolAvailable('arm-none-eabi-objcopy') ? 'arm-none-eabi-objcopy' : 'objcopy';
    // Renaming the field in .debug_str hides every real heap; IMPOSTOR keeps its own "free_lists".
    const plain = path.join(dir, 'plain.elf');
    runTool(objcopy, ['--decompress-debug-sections', file, plain]);
    const bytes = fs.readFileSync(plain);
    const noHeap = path.join(dir, 'noheap.elf');
    fs.writeFileSync(noHeap, Buffer.from(bytes.toString('latin1').replaceAll('heap_size\0', 'heap_sizz\0'), 'latin1'));
    const json = await run(['heaps', noHeap, '--json']);
    assert.equal(json.code, 2);
    assert.equal(json.stdout.trim(), '[]');
    assert.match(json.stderr, /no buddy heap found: no static is, or contains, a struct with the fields/);
    const text = await run(['heaps', noHeap]);
    assert.equal(text.code, 2);
    assert.equal(text.stdout, '');
  });

  it('refuses an object file (its debug info is not relocated) with exit 2', function () {
    if (!toolAvailable('gcc')) this.skip();
    const object = path.join(dir, 'unit.o');
    fs.writeFileSync(path.join(dir, 'unit.c'), 'struct s { int x; } value;\n');
    runTool('gcc', ['-g', '-c', path.join(dir, 'unit.c'), '-o', object]);
    return run(['heaps', object]).then(({ code, stderr }) => {
      assert.equal(code, 2);
      assert.match(stderr, /unit\.o: this is an object file \(\.o\).*linked program/);
    });
  });

  it('the shipped bundle (dist/cli.js) prints the same array and exits 0 as a separate process', function () {
    const file = program('arm-wrapped-gz', this);
    const cli = path.join(repoRoot(), 'dist', 'cli.js');
    if (!fs.existsSync(cli)) this.skip(); // npm test builds it first
    const result = spawnSync(process.execPath, [cli, 'heaps', file, '--json'], { encoding: 'utf8', timeout: 60_000 });
    assert.equal(result.status, 0, result.stderr);
    assert.deepEqual(JSON.parse(result.stdout), discoverHeaps(new ElfFile(fs.readFileSync(file))).heaps.map(heapToJson));
  });

  it('is a usage error without a program', async () => {
    const { code, stderr } = await run(['heaps']);
    assert.equal(code, 2);
    assert.match(stderr, /usage: buddy-heap heaps <program\.elf> \[--json\]/);
  });
});
