// Who owns each block of the native Rust program (issue 12), live through cdt-gdb-adapter and
// post-mortem from its core dump: the program keeps Strings in a static Vec, a Box in an Option,
// a String static, a BTreeMap, a Box in a local at the checkpoint, and leaks a block; TRUTH says
// which address is which. The product's live scan (program roots from DWARF at the load bias,
// stack and registers through DAP) and `buddy-heap inspect --core` on a gcore of the same stop
// must both tell them apart as the program says.
import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { nodeIo } from '../../core/cli/io';
import { main } from '../../core/cli/main';
import { decodeHeap } from '../../core/decoder/decode';
import { ElfFile } from '../../core/elf/elfFile';
import { readSymbols } from '../../core/elf/symbols';
import type { OwnershipResult } from '../../core/ownership/ownershipResult';
import { programRoots } from '../../core/ownership/programRoots';
import { LiveHeapReader } from '../../extension/dap/liveHeapReader';
import { DEFAULT_OWNERSHIP_SETTINGS, scanLiveOwnership } from '../../extension/dap/ownership/liveOwnership';
import { buildRust, requireTools } from './support/buildTargets';
import { type TargetSession, continueToNextStop, evaluateNumber, readBytes, startRustSession } from './support/debugTargets';
import { setupOrSkip } from './support/skips';

const OWNERS_STEP = 100n;
const KIND = { entry: 1, entries: 2, head: 3, name: 4, local: 5, leak: 6 } as const;

interface Truth {
  readonly address: bigint;
  readonly kind: number;
  readonly index: number;
}

function truthFrom(words: readonly bigint[], count: number): Truth[] {
  return Array.from({ length: count }, (_, i) => ({
    address: words[i * 3]!,
    kind: Number(words[i * 3 + 1]),
    index: Number(words[i * 3 + 2]),
  }));
}

/** The owner each truth entry must have, as a check on the owning root's path (undefined: a leak). */
function expectOwner(t: Truth): RegExp | undefined {
  switch (t.kind) {
    case KIND.entry:
    case KIND.entries:
      return /^prog::CACHE\.entries\b/;
    case KIND.head:
      return /^prog::CACHE\.head\b/;
    case KIND.name:
      return /^prog::NAME\b/;
    case KIND.local:
      return /^thread \d+/;
    default:
      return undefined;
  }
}

/** The ELF symbol's address for a Rust static `prog::NAME` (mangled names hold the path). */
function symbolAddress(elf: ElfFile, name: string): bigint {
  const symbol = readSymbols(elf).find(s => s.type === 1 && s.name.includes(`4prog${name.length}${name}17h`));
  assert.ok(symbol, `prog::${name} is in the symbol table`);
  return symbol.value;
}

describe('e2e: who owns each block of the native Rust program (live and from its core dump)', function () {
  this.timeout(240_000);
  let session: TargetSession;
  let program: string;

  before(async function () {
    session = await setupOrSkip(this, () => startRustSession('owners'));
    program = session.program;
    while ((await evaluateNumber(session, 'step')) !== OWNERS_STEP) await continueToNextStop(session);
  });
  after(async () => {
    await session?.close();
  });

  it('live: the scan names the static, the local and the leak the program reports', async () => {
    const elf = new ElfFile(fs.readFileSync(program));
    const bias = (await evaluateNumber(session, '&prog::ALLOCATOR')) - symbolAddress(elf, 'ALLOCATOR');
    const count = Number(await evaluateNumber(session, 'prog::TRUTH_COUNT'));
    const raw = await readBytes(session, await evaluateNumber(session, '&prog::TRUTH'), count * 24);
    const truth = truthFrom(
      Array.from({ length: count * 3 }, (_, i) => raw.readBigUInt64LE(i * 8)),
      count,
    );
    const threadId = session.lastStop.body.threadId ?? 1;
    const read = await new LiveHeapReader(session.client, { kind: 'expression', expression: 'prog::ALLOCATOR.inner.value' }).read({
      threadId,
    });
    const view = decodeHeap(read.snapshot);
    const roots = programRoots(elf, { loadBias: bias }).roots;
    const { result } = await scanLiveOwnership(
      session.client,
      { roots, stackTop: undefined },
      read,
      view,
      { threadId },
      DEFAULT_OWNERSHIP_SETTINGS,
    );
    checkTruth(result, truth, 'live');
  });

  it('post-mortem: inspect --core on a gcore of the same stop says the same', async function () {
    requireTools('gdb');
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'rust-owners-core-'));
    try {
      const core = path.join(dir, 'core');
      const gdb = spawnSync(
        'gdb',
        [
          '-batch',
          '-nx',
          '-iex',
          'set auto-load no',
          '-iex',
          'set debuginfod enabled off',
          '-ex',
          'break checkpoint if step == 100',
          '-ex',
          'run',
          '-ex',
          `gcore ${core}`,
          '-ex',
          'x/48gx &prog::TRUTH',
          '-ex',
          'print prog::TRUTH_COUNT',
          '-ex',
          'kill',
          '--args',
          buildRust(),
          'owners',
        ],
        { encoding: 'utf8', timeout: 120_000 },
      );
      assert.ok(fs.existsSync(core), `gdb made no core: ${gdb.stderr}`);
      const words = [...gdb.stdout.matchAll(/^0x[0-9a-f]+(?: <[^>]*>)?:\s+(0x[0-9a-f]+)\s+(0x[0-9a-f]+)/gm)].flatMap(m => [
        BigInt(m[1]!),
        BigInt(m[2]!),
      ]);
      const count = Number(/\$\d+ = (\d+)/.exec(gdb.stdout)?.[1]);
      assert.ok(count > 0 && words.length >= count * 3, gdb.stdout);
      const truth = truthFrom(words, count);
      let out = '';
      const io = nodeIo();
      const code = await main(['inspect', '--core', core, '--elf', buildRust(), '--json'], {
        ...io,
        out: t => void (out += t),
        err: () => undefined,
      });
      assert.equal(code, 0);
      const heaps = (JSON.parse(out) as { heaps: { blocks: { address: string; owner: string | null }[]; leakSuspects: string[] }[] }).heaps;
      assert.equal(heaps.length, 1);
      const heap = heaps[0]!;
      assert.ok(
        heap.blocks.some(b => b.owner?.startsWith('prog::MAP.root')),
        'core: a block owned by prog::MAP',
      );
      for (const t of truth) {
        const block = heap.blocks.find(b => BigInt(b.address) === t.address);
        const what = `core: kind ${t.kind}[${t.index}] at 0x${t.address.toString(16)}`;
        assert.ok(block, `${what} is a block of the JSON`);
        const owner = expectOwner(t);
        if (owner) assert.match(block.owner ?? '(none)', owner, what);
        else {
          assert.equal(block.owner, null, what);
          assert.ok(heap.leakSuspects.includes(block.address), `${what} is a leak suspect`);
        }
      }
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});

function checkTruth(result: OwnershipResult, truth: readonly Truth[], where: string): void {
  const entries = truth.find(t => t.kind === KIND.entries)!;
  // The BTreeMap's node: the program cannot name its address, but MAP must own a block through its root.
  const owners = Array.from({ length: result.blockCount }, (_, b) => result.owner(b)?.path ?? '');
  assert.ok(
    owners.some(o => o.startsWith('prog::MAP.root')),
    `${where}: a block owned by prog::MAP (${[...new Set(owners)].join(', ')})`,
  );
  for (const t of truth) {
    const block = result.blockAt(t.address);
    const what = `${where}: kind ${t.kind}[${t.index}] at 0x${t.address.toString(16)}`;
    assert.ok(block >= 0 && result.address(block) === t.address, `${what} starts a block`);
    const owner = expectOwner(t);
    if (!owner) {
      assert.equal(result.owner(block), undefined, `${what}: nothing owns it`);
      assert.ok(
        result.leakSuspects().some(s => s.address === t.address),
        `${what} is a leak suspect`,
      );
      continue;
    }
    assert.match(result.owner(block)?.path ?? '(none)', owner, what);
    if (t.kind === KIND.entry) {
      // A String of the Vec is reached through the Vec's buffer: root → buffer → string.
      const steps = result.chain(block)!.steps.map(s => s.address);
      assert.deepEqual(steps, [entries.address, t.address], `${what}: its chain`);
    }
  }
}
