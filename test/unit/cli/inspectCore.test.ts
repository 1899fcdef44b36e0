// `buddy-heap inspect --core` on a real core dump: a native position-independent program is run
// under gdb to a breakpoint and dumped with gcore; the CLI's owners and leak suspects must equal
// what the program itself printed (which block each static owns, which blocks it leaked), and its
// free-list heads what gdb reads from the same core. Wrong files get exit 2 and a clear message.
import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { nodeIo } from '../../../core/cli/io';
import { main } from '../../../core/cli/main';
import { programCandidates, programMismatch } from '../../../core/coreDump/programOfCore';
import { discoverHeaps } from '../../../core/discovery/findHeaps';
import { CoreFile } from '../../../core/elf/coreFile';
import { ElfFile } from '../../../core/elf/elfFile';
import { buildProgram, MissingToolError, toolAvailable } from '../../support/debugPrograms';

async function run(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  const io = nodeIo();
  let stdout = '';
  let stderr = '';
  const code = await main(args, { ...io, out: (t: string) => void (stdout += t), err: (t: string) => void (stderr += t) });
  return { code, stdout, stderr };
}

const GDB = ['-batch', '-nx', '-iex', 'set auto-load no', '-iex', 'set debuginfod enabled off'];

interface JsonHeap {
  path: string;
  address: string;
  freeLists: string[][];
  blocks: { address: string; size: number; inferred: boolean; owner: string | null; referencedBy: string[] }[];
  leakSuspects: string[];
  findings: { kind: string }[];
}

describe('buddy-heap inspect --core', function () {
  this.timeout(300_000);
  let dir: string;
  let program: string;
  let core: string;
  let truth: { kind: string; owner: string; address: string; size: number }[];

  before(function () {
    if (!toolAvailable('gdb')) this.skip();
    try {
      program = buildProgram('native-owners').file;
    } catch (error) {
      if (error instanceof MissingToolError) this.skip();
      throw error;
    }
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'inspect-core-'));
    core = path.join(dir, 'core');
    const printed = path.join(dir, 'stdout.txt');
    // gdb runs the program to checkpoint(), dumps it, and kills it: nothing outlives the command.
    const result = spawnSync(
      'gdb',
      [...GDB, '-ex', 'break checkpoint', '-ex', `run > ${printed}`, '-ex', `gcore ${core}`, '-ex', 'kill', program],
      { encoding: 'utf8', timeout: 60_000, killSignal: 'SIGKILL' },
    );
    if (!fs.existsSync(core)) throw new Error(`gcore made no core: ${result.stdout}${result.stderr}`);
    truth = fs
      .readFileSync(printed, 'utf8')
      .trim()
      .split('\n')
      .map(line => {
        const [kind, owner, address, size] = line.split(' ');
        return { kind: kind!, owner: owner!, address: address!, size: Number(size) };
      });
  });
  after(() => dir && fs.rmSync(dir, { recursive: true, force: true }));

  it('owners and leak suspects are what the program reports; free-list heads what gdb reads from the core', async function () {
    const { code, stdout, stderr } = await run(['inspect', '--core', core, '--elf', program, '--json']);
    assert.equal(code, 0, stderr);
    const { heaps } = JSON.parse(stdout) as { heaps: JsonHeap[] };
    assert.deepEqual(
      heaps.map(h => h.path),
      ['HEAP'],
    );
    const heap = heaps[0]!;
    const owned = truth.filter(t => t.kind === 'owned');
    const leaked = truth.filter(t => t.kind === 'leaked');
    assert.ok(owned.length >= 10 && leaked.length === 3, 'the program reported its blocks');
    assert.deepEqual([...heap.leakSuspects].sort(), leaked.map(t => t.address).sort());
    for (const t of owned) {
      const block = heap.blocks.find(b => b.address === t.address);
      assert.ok(block, `a block at ${t.address}`);
      // A stack root is named by thread and offset, which the program cannot know: it says "stack".
      if (t.owner === 'stack') assert.match(block.owner ?? '', /^thread \d+ stack\+0x[0-9a-f]+$/, `${t.address}'s owner`);
      else assert.equal(block.owner, t.owner, `${t.address}'s owner`);
      assert.ok(block.size >= t.size, `${t.address} holds ${t.size} bytes`);
    }
    // Direct pointers from statics name the static as a referrer.
    for (const t of owned.filter(t => t.owner !== 'registry.head' && t.owner !== 'stack')) {
      assert.ok(heap.blocks.find(b => b.address === t.address)!.referencedBy.includes(t.owner), `${t.address} referenced by ${t.owner}`);
    }
    assert.ok(heap.findings.some(f => f.kind === 'PossibleLeak'));
    assert.match(heap.address, /^0x[0-9a-f]+$/);

    const printed = spawnSync('gdb', [...GDB, '-ex', 'print/x HEAP.free_lists', '-ex', 'print/x &HEAP', program, core], {
      encoding: 'utf8',
      timeout: 60_000,
    }).stdout;
    const heads = /\$1 = \{([^}]*)\}/
      .exec(printed)![1]!
      .split(',')
      .map(s => BigInt(s.trim()));
    assert.deepEqual(
      heap.freeLists.map(list => (list[0] === undefined ? 0n : BigInt(list[0]))),
      heads,
    );
    assert.equal(BigInt(heap.address), BigInt(/\$2 = (?:\([^)]*\) )?(0x[0-9a-f]+)/.exec(printed)![1]!));
  });

  it('reads the threads, their stack pointers and the load bias as gdb does from the same core', function () {
    const coreFile = new CoreFile(fs.readFileSync(core));
    const elf = new ElfFile(fs.readFileSync(program));
    const printed = spawnSync('gdb', [...GDB, '-ex', 'info threads', '-ex', 'print/x $rsp', '-ex', 'print/x &HEAP', program, core], {
      encoding: 'utf8',
      timeout: 60_000,
    }).stdout;
    // Each thread once ("[New LWP n]" lines repeat them).
    const threads = [...new Set([...printed.matchAll(/LWP (\d+)/g)].map(m => Number(m[1])))];
    assert.deepEqual(
      coreFile.threads.map(t => t.pid),
      threads,
    );
    assert.equal(coreFile.threads[0]!.stackPointer, BigInt(/\$1 = (0x[0-9a-f]+)/.exec(printed)![1]!));
    const heap = discoverHeaps(elf).heaps[0]!;
    const bias = coreFile.loadBias(elf, program)!;
    assert.equal(heap.address + bias, BigInt(/\$2 = (?:\([^)]*\) )?(0x[0-9a-f]+)/.exec(printed)![1]!));
    assert.ok(bias > 0n, 'a PIE is moved');
    // NT_FILE says the same: the program's first page where the bias puts it.
    const mapped = coreFile.files.find(f => f.path.endsWith('/program.elf') && f.fileOffset === 0n)!;
    assert.equal(mapped.start, bias);
    // The program is found from the core alone: NT_FILE's mapping of the entry point, and the name beside the core.
    assert.equal(coreFile.executablePath, fs.realpathSync(program));
    const candidates = programCandidates(coreFile, 'core');
    assert.deepEqual(candidates.paths, [fs.realpathSync(program)]);
    assert.equal(candidates.besideCore[0], path.basename(program));
    assert.ok(coreFile.processName && path.basename(program).startsWith(coreFile.processName), `process name ${coreFile.processName}`);
    assert.equal(programMismatch(coreFile, elf, program), undefined, 'the program agrees with its core');
    // The same program with another build-id (one byte of the id flipped): same layout, another build.
    const note = elf.section('.note.gnu.build-id')!;
    const rebuilt = new Uint8Array(fs.readFileSync(program));
    rebuilt[note.offset + note.size - 1]! ^= 0xff;
    assert.match(
      programMismatch(coreFile, new ElfFile(rebuilt), program) ?? '',
      /another build \(build-id [0-9a-f]+; the process ran [0-9a-f]+\)/,
    );
  });

  it('prints owners, leak suspects and findings as text', async function () {
    const { code, stdout } = await run(['inspect', '--core', core, '--elf', program]);
    assert.equal(code, 0);
    assert.match(stdout, /^heap HEAP at 0x[0-9a-f]+/);
    for (const t of truth.filter(t => t.kind === 'owned' && t.owner !== 'registry.head')) assert.ok(stdout.includes(`${t.address}`));
    assert.match(stdout, new RegExp(`leak suspects: 3 block\\(s\\)`));
    assert.match(stdout, /PossibleLeak/);
  });

  it('says which file is wrong', async function () {
    const swapped = await run(['inspect', '--core', program, '--elf', core]);
    assert.equal(swapped.code, 2);
    assert.match(swapped.stderr, /--elf .*: this is a core file, not the program/);
    const notCore = await run(['inspect', '--core', program, '--elf', program]);
    assert.equal(notCore.code, 2);
    assert.match(notCore.stderr, /--core .*not a core file/);
    const text = path.join(dir, 'notes.txt');
    fs.writeFileSync(text, 'not an ELF file');
    const notElf = await run(['inspect', '--core', text, '--elf', program]);
    assert.equal(notElf.code, 2);
    assert.match(notElf.stderr, /--core .*not an ELF file/);
    const cut = path.join(dir, 'cut-core');
    const whole = fs.readFileSync(core);
    fs.writeFileSync(cut, whole.subarray(0, whole.length >> 1));
    const truncated = await run(['inspect', '--core', cut, '--elf', program]);
    assert.equal(truncated.code, 2);
    assert.match(truncated.stderr, /--core .*runs past the end of the file/);
    const note = new ElfFile(fs.readFileSync(program)).section('.note.gnu.build-id')!;
    const rebuilt = new Uint8Array(fs.readFileSync(program));
    rebuilt[note.offset + note.size - 1]! ^= 0xff;
    const other = path.join(dir, 'rebuilt');
    fs.writeFileSync(other, rebuilt);
    const stale = await run(['inspect', '--core', core, '--elf', other]);
    assert.equal(stale.code, 2);
    assert.match(stale.stderr, /rebuilt" is not the program .*core" was dumped from: it is another build/);
    const extra = await run(['inspect', '--core', core, program]);
    assert.equal(extra.code, 2);
    assert.match(extra.stderr, /--core is needed .*and nothing else/);
  });

  it('finds the program from the core when --elf is left out, and says so when it cannot', async function () {
    const found = await run(['inspect', '--core', core, '--json']);
    assert.equal(found.code, 0, found.stderr);
    assert.deepEqual(JSON.parse(found.stdout), JSON.parse((await run(['inspect', '--core', core, '--elf', program, '--json'])).stdout));
    // A core whose program is gone (dumped from a copy, then deleted): the message names what was looked for.
    const copy = path.join(dir, 'gone', 'program-copy');
    fs.mkdirSync(path.dirname(copy), { recursive: true });
    fs.copyFileSync(program, copy);
    const orphan = path.join(dir, 'gone', 'orphan-core');
    spawnSync('gdb', [...GDB, '-ex', 'starti', '-ex', `gcore ${orphan}`, '-ex', 'kill', copy], { timeout: 60_000, killSignal: 'SIGKILL' });
    fs.rmSync(copy);
    assert.ok(fs.existsSync(orphan), 'gcore made the orphan core');
    const lost = await run(['inspect', '--core', orphan]);
    assert.equal(lost.code, 2);
    assert.match(lost.stderr, /was dumped from was not found \(.*program-copy.*: not found.*\); give it with --elf <program>/);
  });
});
