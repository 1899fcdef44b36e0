// Child processes for e2e runs: QEMU on a free loopback port and the DAP adapter. Each gets its
// own process group so stopping it stops its children (gdb) too; every wait is bounded.
import { type ChildProcess, spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as net from 'node:net';

/** A port nobody listens on now: listen on 0, read the port, close. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => (typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port'))));
    });
  });
}

/** True when some socket listens on the port (state 0A in /proc/net/tcp), without connecting: QEMU's stub takes one client. */
function isListening(port: number): boolean {
  const hexPort = port.toString(16).toUpperCase().padStart(4, '0');
  for (const table of ['/proc/net/tcp', '/proc/net/tcp6']) {
    let text = '';
    try {
      text = fs.readFileSync(table, 'utf8');
    } catch {
      continue;
    }
    for (const line of text.split('\n').slice(1)) {
      const columns = line.trim().split(/\s+/);
      if (columns[1]?.endsWith(`:${hexPort}`) && columns[3] === '0A') return true;
    }
  }
  return false;
}

export async function waitForListening(port: number, timeoutMs: number, child?: ChildProcess): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!isListening(port)) {
    if (child && child.exitCode !== null) throw new Error(`the process exited (${child.exitCode}) before listening on port ${port}`);
    if (Date.now() > deadline) throw new Error(`nothing listened on port ${port} within ${timeoutMs} ms`);
    await new Promise(resolve => setTimeout(resolve, 10));
  }
}

/** Sends a signal to the child's process group, then waits (bounded) for it to exit; SIGKILL if it does not. */
export async function stopProcess(child: ChildProcess, timeoutMs = 3000): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null || child.pid === undefined) return;
  const exited = new Promise<void>(resolve => child.once('exit', () => resolve()));
  const signalGroup = (signal: NodeJS.Signals) => {
    try {
      process.kill(-child.pid!, signal);
    } catch {
      /* already gone */
    }
  };
  signalGroup('SIGTERM');
  const timer = new Promise<'timeout'>(resolve => setTimeout(() => resolve('timeout'), timeoutMs).unref());
  if ((await Promise.race([exited.then(() => 'exited' as const), timer])) === 'timeout') {
    signalGroup('SIGKILL');
    await Promise.race([exited, new Promise(resolve => setTimeout(resolve, 1000).unref())]);
  }
}

export interface Qemu {
  readonly port: number;
  readonly process: ChildProcess;
  readonly args: readonly string[];
  stop(): Promise<void>;
}

/** QEMU's arguments for the AN385 board halted at reset with a gdb stub on the port. */
export function qemuArgs(elf: string, port: number): string[] {
  return [
    '-M',
    'mps2-an385',
    '-cpu',
    'cortex-m3',
    '-nographic',
    '-monitor',
    'none',
    '-serial',
    'none',
    '-kernel',
    elf,
    '-S',
    '-gdb',
    `tcp:127.0.0.1:${port}`,
  ];
}

/** QEMU's arguments for the MIPS malta board (24Kf, big-endian build of QEMU) halted at reset with a gdb stub on the port. */
export function mipsQemuArgs(elf: string, port: number): string[] {
  // -nodefaults: the default NIC and VGA want option ROMs Debian ships in other packages (QEMU exits without them).
  return ['-M', 'malta', '-nodefaults', '-nographic', '-kernel', elf, '-S', '-gdb', `tcp:127.0.0.1:${port}`];
}

/** A QEMU system emulator and the arguments that boot an ELF on its board, halted, with a gdb stub. */
export interface QemuMachine {
  readonly binary: string;
  readonly args: (elf: string, port: number) => string[];
}

export const CORTEX_M3_QEMU: QemuMachine = { binary: 'qemu-system-arm', args: qemuArgs };
export const MIPS_MALTA_QEMU: QemuMachine = { binary: 'qemu-system-mips', args: mipsQemuArgs };

/** Starts QEMU halted at reset, its gdb stub on a free port; resolves once the port listens. */
export async function startQemu(elf: string, machine: QemuMachine = CORTEX_M3_QEMU): Promise<Qemu> {
  const port = await freePort();
  const args = machine.args(elf, port);
  const child = spawn(machine.binary, args, { detached: true, stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr?.on('data', (chunk: Buffer) => {
    stderr += chunk.toString();
  });
  const qemu: Qemu = { port, process: child, args, stop: () => stopProcess(child) };
  try {
    await waitForListening(port, 10_000, child);
  } catch (error) {
    await qemu.stop();
    throw new Error(`QEMU did not start: ${(error as Error).message}${stderr ? `\n${stderr}` : ''}`);
  }
  return qemu;
}
