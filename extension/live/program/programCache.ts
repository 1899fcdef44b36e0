// The debugged programs, read through vscode.workspace.fs (remote workspaces too) and searched
// for heaps once: kept per file until the file changes (a FileSystemWatcher drops it).
import * as vscode from 'vscode';
import { discoverHeaps } from '../../../core/discovery/findHeaps';
import type { DiscoveredHeap, NearMiss } from '../../../core/discovery/heapTypes';
import { ElfFile } from '../../../core/elf/elfFile';
import { ET_DYN } from '../../../core/elf/elfTypes';
import { findStackTop } from '../../../core/elf/stackTop';
import { readSymbols } from '../../../core/elf/symbols';
import { hex } from '../../../core/layout';
import { programRoots } from '../../../core/ownership/programRoots';
import type { OwnershipProgram } from '../../dap/ownership/liveOwnership';
import { DisposableBase } from '../../util/dispose';
import type { FunctionSymbol } from './loadBias';

const PT_LOAD = 1;
const STT_FUNC = 2;

export interface LoadedProgram {
  readonly uri: vscode.Uri;
  /** When the file was last modified (ms since the epoch), to tell a rebuild after the session started. */
  readonly modified: number;
  /** Position-independent (ET_DYN): its DWARF addresses need the load bias. */
  readonly positionIndependent: boolean;
  readonly heaps: readonly DiscoveredHeap[];
  readonly nearMisses: readonly NearMiss[];
  readonly functions: readonly FunctionSymbol[];
  readonly lowestLoadAddress: bigint;
  /** The ownership scan's roots and stack top at a load bias (walked once per bias, on first use). */
  ownershipProgram(bias: bigint): OwnershipProgram;
}

export class ProgramCache extends DisposableBase {
  private readonly loaded = new Map<string, Promise<LoadedProgram>>();
  private readonly watched = new Set<string>();

  constructor(private readonly log: (line: string) => void) {
    super();
  }

  /** The program's heaps and symbols; rejects with a message naming the file when it cannot be read. */
  load(uri: vscode.Uri): Promise<LoadedProgram> {
    const key = uri.toString();
    let program = this.loaded.get(key);
    if (!program) {
      this.watch(uri);
      program = this.read(uri);
      this.loaded.set(key, program);
      // A failed read is tried again next time (the file may be being built).
      program.catch(() => this.loaded.get(key) === program && this.loaded.delete(key));
    }
    return program;
  }

  private async read(uri: vscode.Uri): Promise<LoadedProgram> {
    const [stat, bytes] = await Promise.all([vscode.workspace.fs.stat(uri), vscode.workspace.fs.readFile(uri)]);
    const elf = new ElfFile(bytes);
    const discovery = discoverHeaps(elf);
    const functions = readSymbols(elf)
      .filter(s => s.type === STT_FUNC && s.size > 0n && s.sectionIndex !== 0)
      .map(s => ({ name: s.name, address: s.value, size: s.size }));
    const loads = elf.segments.filter(s => s.type === PT_LOAD).map(s => s.virtualAddress);
    const lowestLoadAddress = loads.reduce((low, a) => (a < low ? a : low), loads[0] ?? 0n);
    this.log(`program ${uri.fsPath}: ${discovery.heaps.length} heap(s) in the debug info (${discovery.staticsScanned} statics looked at)`);
    const byBias = new Map<bigint, OwnershipProgram>();
    const ownershipProgram = (bias: bigint): OwnershipProgram => {
      let program = byBias.get(bias);
      if (!program) {
        const roots = programRoots(elf, { loadBias: bias });
        const top = findStackTop(elf);
        this.log(
          `program ${uri.fsPath}: ${roots.roots.length} roots for the ownership scan (${roots.staticsWalked} statics, ${roots.slots} pointer words)${top ? `; stack top ${hex(top.address + bias)} from ${top.from}` : ''}${roots.cutCount > 0 ? `; cut short: ${roots.cuts.join('; ')}` : ''}`,
        );
        program = { roots: roots.roots, stackTop: top && top.address + bias };
        byBias.set(bias, program);
      }
      return program;
    };
    return {
      ownershipProgram,
      uri,
      modified: stat.mtime,
      positionIndependent: elf.header.type === ET_DYN,
      heaps: discovery.heaps,
      nearMisses: discovery.nearMisses,
      functions,
      lowestLoadAddress,
    };
  }

  /** Drops the file's cached reading when it is rebuilt, replaced or deleted. */
  private watch(uri: vscode.Uri): void {
    const key = uri.toString();
    if (this.watched.has(key)) return;
    this.watched.add(key);
    const folder = vscode.Uri.joinPath(uri, '..');
    const name = uri.path.replace(/^.*\//, '');
    const watcher = this.register(vscode.workspace.createFileSystemWatcher(new vscode.RelativePattern(folder, name)));
    const forget = () => {
      if (this.loaded.delete(key)) this.log(`program ${uri.fsPath} changed: its debug info is read again at the next stop`);
    };
    this.register(watcher.onDidChange(forget));
    this.register(watcher.onDidCreate(forget));
    this.register(watcher.onDidDelete(forget));
  }
}
