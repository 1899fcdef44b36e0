// The gdb debug-type fixture extension, outside VS Code: with a stand-in `vscode` module its
// factories must name an executable that really is a DAP adapter (it answers initialize).
import * as assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import Module from 'node:module';
import { DapClient } from './support/dapClient';
import { repoRoot } from './support/paths';

interface Executable {
  command: string;
  args: string[];
  options: { env?: Record<string, string> };
}
type Factory = { createDebugAdapterDescriptor(session: { configuration: Record<string, unknown> }): Executable };

/** Loads the fixture with `require('vscode')` answered by a recorder of registered factories. */
function loadFixture(): Map<string, Factory> {
  const factories = new Map<string, Factory>();
  const stub = {
    debug: {
      registerDebugAdapterDescriptorFactory: (type: string, factory: Factory) => {
        factories.set(type, factory);
        return { dispose() {} };
      },
    },
    DebugAdapterExecutable: class {
      constructor(
        readonly command: string,
        readonly args: string[],
        readonly options: object,
      ) {}
    },
  };
  const loader = Module as unknown as { _load(request: string, ...rest: unknown[]): unknown };
  const original = loader._load;
  loader._load = function (request: string, ...rest: unknown[]) {
    return request === 'vscode' ? stub : original.call(this, request, ...rest);
  };
  try {
    const path = require.resolve(`${repoRoot()}/test/fixtures/gdb-debug-extension/extension.js`);
    delete require.cache[path];
    // eslint-disable-next-line @typescript-eslint/no-require-imports -- loads the fixture under a stubbed vscode module
    (require(path) as { activate(context: { subscriptions: unknown[] }): void }).activate({ subscriptions: [] });
  } finally {
    loader._load = original;
  }
  return factories;
}

describe('e2e: gdb debug-type fixture extension', () => {
  it('serves gdb, gdbtarget, gdb-no-function-breakpoints and probe-rs-debug with adapters that answer initialize (and lldb-dap with the binary a configuration names)', async () => {
    const factories = loadFixture();
    assert.deepEqual([...factories.keys()].sort(), ['gdb', 'gdb-no-function-breakpoints', 'gdbtarget', 'lldb-dap', 'probe-rs-debug']);
    // lldb-dap runs the binary the launch configuration names: its own e2e tests start both versions.
    for (const [type, factory] of [...factories].filter(([type]) => type !== 'lldb-dap')) {
      const exe = factory.createDebugAdapterDescriptor({ configuration: {} });
      assert.equal(exe.command, process.execPath);
      const client = new DapClient(
        spawn(exe.command, exe.args, { detached: true, stdio: ['pipe', 'pipe', 'pipe'], env: { ...process.env, ...exe.options.env } }),
      );
      try {
        const capabilities = await client.request(
          'initialize',
          { adapterID: type, linesStartAt1: true, columnsStartAt1: true, pathFormat: 'path' },
          10_000,
        );
        assert.equal(capabilities?.supportsReadMemoryRequest, true, `${type}: readMemory`);
        assert.equal(capabilities?.supportsConfigurationDoneRequest, true, `${type}: configurationDone`);
        // The relay type hides exactly this one capability of the gdb adapter; probe-rs has none.
        assert.equal(
          capabilities?.supportsFunctionBreakpoints,
          type === 'gdb-no-function-breakpoints' || type === 'probe-rs-debug' ? undefined : true,
          `${type}: function breakpoints`,
        );
      } finally {
        await client.close();
      }
    }
  });
});
