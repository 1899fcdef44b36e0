// An adapter that only looks names up: the fixture's probe-rs-debug type, a proxy that answers like
// probe-rs's DAP server (its capabilities; evaluate of bare names in the `watch` context only;
// readMemory at numeric addresses only) in front of cdt-gdb-adapter attached to the Cortex-M3
// firmware in QEMU. No heap settings: the extension takes the ELF from the configuration's
// coreConfigs[0].programBinary, finds HEAP in its DWARF and reads it at every stop with readMemory
// alone. The proxy logs every request: nothing the extension sent was refused.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { BuddyHeapApi } from '../../../extension/main';
import { readelfSymtab } from '../../support/toolOutput';
import { buildCortexM3, requireTools } from '../support/buildTargets';
import { assertViewMatchesModel, firmwareHeapLayout, replayScript } from '../support/heapModel';
import { lineInProgramSource } from '../support/sourceLines';
import { type Qemu, startQemu } from '../support/processes';
import { HEAP_SCRIPT } from '../targets/script';
import { atEveryCheckpoint } from './support/checkpoints';
import { attachedHeap, endDebugging, extensionApi, setLiveSettings, setupOrSkip, startSession } from './support/hostDebug';

interface ProxyLogEntry {
  readonly command: string;
  readonly expression?: string;
  readonly context?: string;
  readonly memoryReference?: string;
  readonly refused?: string;
}

function readProxyLog(file: string): ProxyLogEntry[] {
  if (!fs.existsSync(file)) return [];
  return fs
    .readFileSync(file, 'utf8')
    .split('\n')
    .filter(Boolean)
    .map(line => JSON.parse(line) as ProxyLogEntry);
}

describe('e2e host: probe-rs-like adapter (bare names only), no heap settings', function () {
  let api: BuddyHeapApi;
  let qemu: Qemu | undefined;
  let session: vscode.DebugSession | undefined;
  let logDir: string | undefined;

  before(async function () {
    api = await extensionApi();
    await setLiveSettings({ heaps: [], autoAttach: true, readMode: 'auto' });
  });
  after(async () => {
    await endDebugging(session, qemu);
    vscode.debug.removeBreakpoints(vscode.debug.breakpoints);
    api.app.panel?.dispose();
    if (logDir) fs.rmSync(logDir, { recursive: true, force: true });
  });

  it('Cortex-M3 firmware: HEAP found through DWARF, read correctly at every stop, nothing refused', async function () {
    const program = await setupOrSkip(this, async () => {
      requireTools('qemu-system-arm', 'gdb-multiarch', 'readelf');
      return buildCortexM3('64k');
    });
    const heapSymbol = readelfSymtab(program).find(s => s.name === 'HEAP' && s.type === 'OBJECT');
    assert.ok(heapSymbol, 'fw.elf has a HEAP symbol');
    logDir = fs.mkdtempSync(path.join(os.tmpdir(), 'buddy-probe-rs-'));
    const proxyLog = path.join(logDir, 'requests.jsonl');
    qemu = await startQemu(program);
    // probe-rs has no function breakpoints: a line breakpoint in checkpoint(), in the fw.c the ELF
    // was built from (the targets' builds are shared by every checkout on the machine).
    const at = lineInProgramSource('gdb-multiarch', program, '^checkpoint$', 'checkpoint_step = step;');
    vscode.debug.addBreakpoints([
      new vscode.SourceBreakpoint(new vscode.Location(vscode.Uri.file(at.file), new vscode.Position(at.line, 0))),
    ]);
    session = await startSession({
      type: 'probe-rs-debug',
      request: 'attach',
      name: 'QEMU firmware (probe-rs-like adapter)',
      chip: 'lm3s6965',
      coreConfigs: [{ coreIndex: 0, programBinary: program }],
      gdbTarget: { host: '127.0.0.1', port: String(qemu.port) },
      proxyLog,
    });
    const s = session;
    const source = await attachedHeap(api, s, 'HEAP');
    assert.deepEqual(
      api.live.allSources(s.id).map(x => x.heapName),
      ['HEAP'],
    );
    // At each checkpoint the test evaluates `step`, checkpoint()'s parameter: a bare name, which the proxy answers.
    await atEveryCheckpoint(s, source, ({ step, what, read, view }) => {
      assert.equal(read.location.address, heapSymbol.value, "HEAP's address is its symbol's (readelf)");
      const { stats } = read;
      assert.ok(stats.readMemoryRequests > 0, `${what}: read with readMemory`);
      assert.ok(
        stats.requests - stats.readMemoryRequests <= 2,
        `${what}: requests beyond readMemory: ${stats.requests - stats.readMemoryRequests}`,
      );
      assertViewMatchesModel(view, replayScript(firmwareHeapLayout(view.heapBase), step.step).heap, what);
    });
    const requests = readProxyLog(proxyLog);
    assert.ok(
      requests.some(r => r.command === 'initialize'),
      'the session went through the proxy',
    );
    assert.deepEqual(
      requests.filter(r => r.refused !== undefined),
      [],
      'the proxy refused nothing: discovery needs no request probe-rs would refuse',
    );
    assert.ok(
      requests.filter(r => r.command === 'readMemory').length >= HEAP_SCRIPT.length,
      'the heap was read through the proxy at every stop',
    );
    assert.deepEqual(
      [...new Set(requests.filter(r => r.command === 'evaluate').map(r => r.expression))],
      ['step'],
      "the only evaluate was the test's own: the extension evaluated nothing",
    );
  });
});
