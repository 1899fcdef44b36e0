// `buddy-heap inspect --core <core> [--elf <program>] [--json]`: a post-mortem of a process,
// printed. The work (the program found from the core, heaps from its DWARF, bytes from the core,
// the ownership scan) is core/coreDump/, which the extension's Open Core Dump shares.
import * as path from 'node:path';
import { CoreDumpError } from '../coreDump/coreDumpError';
import { programCandidates, programMismatch } from '../coreDump/programOfCore';
import type { CoreFile } from '../elf/coreFile';
import type { ElfFile } from '../elf/elfFile';
import { type CoreDumpHeap, type CoreDumpInspection, inspectCoreDump, readCoreDump, readCoreProgram } from '../coreDump/inspectCoreDump';
import type { Finding } from '../decoder/types';
import { formatBytes, hex } from '../layout';
import { formatChain } from '../ownership/describe';
import { leakFindings } from '../ownership/leakFindings';
import { ownershipToJson } from '../ownership/ownershipJson';
import { findingToJson } from './inspect';
import { CliError, type CliIo, describePath, parseArgs } from './io';

const USAGE = 'buddy-heap inspect --core <core> [--elf <program>] [--json]';
const SHOWN_BLOCKS = 64;
const SHOWN_ENTRIES = 16;

type InspectedHeap = CoreDumpHeap;

export async function runInspectCore(args: readonly string[], io: CliIo): Promise<number> {
  const { positional, flags, values } = parseArgs(args, ['--json'], ['--core', '--elf']);
  const corePath = values.get('--core');
  const givenPath = values.get('--elf');
  if (corePath === undefined || positional.length > 0) {
    throw new CliError(`--core is needed (with --elf when the core's program is not found), and nothing else\nusage: ${USAGE}`, 2);
  }
  let programPath = givenPath;
  let inspection: CoreDumpInspection;
  try {
    // The program first: a core given as --elf is said as such before the core is read.
    const given = givenPath === undefined ? undefined : { elf: readCoreProgram(await io.readBytes(givenPath)), path: givenPath };
    const core = readCoreDump(await io.readBytes(corePath));
    const program = given ?? (await findProgram(io, core, corePath));
    programPath = program.path;
    inspection = inspectCoreDump(core, program.elf, program.path, {
      core: describePath(corePath),
      program: describePath(programPath),
    });
  } catch (error) {
    if (!(error instanceof CoreDumpError)) throw error;
    // Which flag named the wrong file, so the user knows which one to change.
    const prefix =
      error.problem === 'core'
        ? `--core ${describePath(corePath)}: `
        : error.problem === 'program' && programPath !== undefined
          ? `--elf ${describePath(programPath)}: `
          : '';
    throw new CliError(prefix + error.message, 2);
  }
  const inspected = inspection.heaps;
  if (flags.has('--json')) io.out(JSON.stringify({ heaps: inspected.map(heapJson) }, null, 2) + '\n');
  else io.out(inspected.map(heapText).join('\n'));
  return 0;
}

/** The program the core names, or one beside it, that the core agrees with (as Open Core Dump looks). */
async function findProgram(io: CliIo, core: CoreFile, corePath: string): Promise<{ elf: ElfFile; path: string }> {
  const candidates = programCandidates(core, path.basename(corePath));
  const paths = [...candidates.paths, ...candidates.besideCore.map(name => path.join(path.dirname(corePath), name))];
  const tried: string[] = [];
  for (const candidate of new Set(paths)) {
    let elf: ElfFile;
    try {
      elf = readCoreProgram(await io.readBytes(candidate));
    } catch (error) {
      tried.push(`${describePath(candidate)}: ${error instanceof CoreDumpError ? error.message : 'not found'}`);
      continue;
    }
    const mismatch = programMismatch(core, elf, candidate);
    if (mismatch === undefined) return { elf, path: candidate };
    tried.push(`${describePath(candidate)}: ${mismatch}`);
  }
  throw new CliError(
    `the program ${describePath(corePath)} was dumped from was not found (${tried.length > 0 ? tried.join('; ') : 'the core names none'}); give it with --elf <program>`,
    2,
  );
}

function allFindings(h: InspectedHeap): Finding[] {
  return [...(h.view?.findings ?? []), ...(h.ownership ? leakFindings(h.ownership) : [])];
}

/** The documented shape (issue 12): addresses as the running program saw them. */
function heapJson(h: InspectedHeap): Record<string, unknown> {
  const view = h.view;
  const ownership = h.ownership ? ownershipToJson(h.ownership) : undefined;
  return {
    path: h.heap.path,
    address: hex(h.address),
    freeLists: view
      ? view.freeLists.map(list =>
          Array.from({ length: list.columns.count }, (_, i) => hex(view.heapBase + BigInt(list.columns.offsets[i]!))),
        )
      : [],
    blocks:
      ownership?.blocks.map(b => ({
        address: b.address,
        size: b.size,
        inferred: b.inferred,
        owner: b.owner,
        referencedBy: b.referencedBy,
      })) ?? [],
    leakSuspects: ownership?.leakSuspects ?? [],
    findings: allFindings(h).map(findingToJson),
    ...(h.problem ? { problem: h.problem } : {}),
    ...(ownership?.scan.truncated ? { scanTruncated: ownership.scan.reason ?? true } : {}),
  };
}

function heapText(h: InspectedHeap): string {
  const lines = [`heap ${h.heap.path} at ${hex(h.address)}`];
  const view = h.view;
  const ownership = h.ownership;
  if (!view || !ownership) return `${lines[0]}: ${h.problem ?? 'not read'}\n`;
  lines.push(
    `  ${formatBytes(view.heapSize)} at ${hex(view.heapBase)}, ${view.orders} orders; free ${formatBytes(view.stats.freeBytes)}, allocated ${formatBytes(view.stats.allocatedBytes)}`,
  );
  lines.push('  free lists (head first):');
  for (const list of view.freeLists) {
    if (list.columns.count === 0) continue;
    const shown = Math.min(list.columns.count, SHOWN_ENTRIES);
    const chain = Array.from({ length: shown }, (_, i) => hex(view.heapBase + BigInt(list.columns.offsets[i]!))).join(' → ');
    lines.push(
      `    ${formatBytes(list.blockSize).padStart(8)}: ${chain}${list.columns.count > shown ? ` → … ${list.columns.count - shown} more` : ''}`,
    );
  }
  lines.push('  blocks (owner; referenced by):');
  const shown = Math.min(ownership.blockCount, SHOWN_BLOCKS);
  for (let b = 0; b < shown; b++) {
    const chain = ownership.chain(b);
    const owner = chain ? formatChain(chain) : 'no owner';
    const referrers = ownership.referrerCount(b);
    lines.push(
      `    ${hex(ownership.address(b))} ${formatBytes(ownership.size(b)).padStart(8)} ${ownership.confidence(b).padEnd(9)} ${owner}${referrers ? `; ${referrers} referrer(s)` : ''}`,
    );
  }
  if (ownership.blockCount > shown) lines.push(`    … ${ownership.blockCount - shown} more (use --json for all)`);
  const suspects = ownership.leakSuspects();
  const summary = ownership.leakSummary();
  lines.push(
    suspects.length === 0
      ? '  no leak suspects'
      : `  leak suspects: ${summary.count} block(s), ${formatBytes(summary.bytes)}: ${suspects
          .slice(0, SHOWN_ENTRIES)
          .map(s => hex(s.address))
          .join(', ')}`,
  );
  if (suspects.length > 0) lines.push(`    ${summary.caveat}`);
  const findings = allFindings(h);
  lines.push(findings.length === 0 ? '  no findings' : `  ${findings.length} finding(s):`);
  for (const f of findings) lines.push(`    ${f.severity.padEnd(7)} ${f.kind}: ${f.message}`);
  if (ownership.truncated) lines.push(`  the scan was cut short: ${ownership.truncatedReason ?? ''}`);
  return lines.join('\n') + '\n';
}
