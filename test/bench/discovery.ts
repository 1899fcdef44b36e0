// Discovery time and peak memory: on the largest program the tests build (the Rust program,
// std's debug info included) and on a synthetic ~50 MB debug ELF. Each measurement runs in a
// fresh Node process so its peak RSS is the discovery's own (the aim: < 1 s and < 200 MB).
import { spawnSync } from 'node:child_process';
import { buildSync } from 'esbuild';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { buildProgram, RECIPES, type ProgramName } from '../support/debugPrograms';
import { syntheticDebugElf } from './syntheticElf';

const RUNS = 3;

export async function benchDiscovery(): Promise<Record<string, number | string>> {
  const results: Record<string, number | string> = {};
  const largest = (Object.keys(RECIPES) as ProgramName[])
    .map(name => {
      try {
        return buildProgram(name).file;
      } catch {
        return undefined;
      }
    })
    .filter((f): f is string => f !== undefined)
    .sort((a, b) => fs.statSync(b).size - fs.statSync(a).size)[0];
  const files: [string, string][] = [];
  if (largest) files.push([`largest test program (${path.basename(path.dirname(largest)).replace(/-[0-9a-f]+$/, '')})`, largest]);
  files.push(['synthetic debug ELF', syntheticDebugElf(50 << 20)]);
  const synthetic = files[files.length - 1]![1];
  files.push(['synthetic debug ELF, every unit read', synthetic]);
  for (const [label, file] of files) {
    const measured = measure(file, label.endsWith('every unit read'));
    const mb = (fs.statSync(file).size / 2 ** 20).toFixed(1);
    results[`discovery ${label} ${mb} MB: heaps found`] = measured.heaps;
    results[`discovery ${label} ${mb} MB: median ms`] = measured.medianMs;
    results[`discovery ${label} ${mb} MB: first run ms`] = measured.firstMs;
    results[`discovery ${label} ${mb} MB: median CPU ms`] = measured.medianCpuMs;
    results[`discovery ${label} ${mb} MB: peak RSS MB`] = measured.peakRssMb;
  }
  return results;
}

interface Measured {
  heaps: number;
  firstMs: number;
  medianMs: number;
  /** CPU time: on a shared machine the wall time grows with other processes' load, this much less. */
  medianCpuMs: number;
  peakRssMb: number;
}

/**
 * Runs `buddy-heap heaps --json` (or, for the worst case, discovery with the unit shortcut off: as
 * when every unit includes the heap's header, or rustc's DWARF 5 string indexes hide the names)
 * in a child process: the first run's time and peak RSS, then the median of RUNS runs. */
function measure(file: string, everyUnit: boolean): Measured {
  if (everyUnit) return measureEveryUnit(file);
  // The shipped CLI bundle (dist/cli.js, built by run.mjs): what users run, without the per-file
  // transpile's import getters.
  const script = `
    const fs = require('node:fs');
    const { main } = require(${JSON.stringify(path.resolve('dist/cli.js'))});
    let printed = '';
    const io = { out: t => void (printed = t), outBytes() {}, err() {}, readText: async p => fs.readFileSync(p, 'utf8'),
      readBytes: async p => fs.readFileSync(p), flush: async () => {} };
    (async () => {
      const times = [];
      const cpus = [];
      let peak = 0;
      for (let i = 0; i < ${RUNS}; i++) {
        const started = performance.now();
        const cpu0 = process.cpuUsage();
        await main(['heaps', process.argv[1], '--json'], io);
        times.push(performance.now() - started);
        const cpu = process.cpuUsage(cpu0);
        cpus.push((cpu.user + cpu.system) / 1000);
        if (i === 0) peak = process.resourceUsage().maxRSS;
      }
      const sorted = [...times].sort((a, b) => a - b);
      const heaps = JSON.parse(printed).length;
      console.log(JSON.stringify({ heaps, firstMs: times[0], medianMs: sorted[sorted.length >> 1], medianCpuMs: [...cpus].sort((a, b) => a - b)[cpus.length >> 1], peakRssKb: peak }));
    })();
  `;
  const child = spawnSync(process.execPath, ['-e', script, file], { encoding: 'utf8', timeout: 300_000 });
  if (child.status !== 0) throw new Error(`discovery bench on ${file} failed: ${child.stderr}`);
  const r = JSON.parse(child.stdout) as { heaps: number; firstMs: number; medianMs: number; medianCpuMs: number; peakRssKb: number };
  return {
    heaps: r.heaps,
    firstMs: Math.round(r.firstMs),
    medianMs: Math.round(r.medianMs),
    medianCpuMs: Math.round(r.medianCpuMs),
    peakRssMb: Math.round(r.peakRssKb / 1024),
  };
}

/** Discovery with scanAllUnits, from a bundle of core (like the shipped CLI, no per-file import getters). */
function measureEveryUnit(file: string): Measured {
  const bundle = path.resolve('.cache', 'bench-discovery-every-unit.js');
  const entry = `
    const fs = require('node:fs');
    const { ElfFile } = require(${JSON.stringify(path.resolve('core/elf/elfFile.ts'))});
    const { discoverHeaps } = require(${JSON.stringify(path.resolve('core/discovery/findHeaps.ts'))});
    const times = [];
      const cpus = [];
    let heaps = 0;
    let peak = 0;
    for (let i = 0; i < ${RUNS}; i++) {
      const started = performance.now();
        const cpu0 = process.cpuUsage();
      heaps = discoverHeaps(new ElfFile(fs.readFileSync(process.argv[2])), { scanAllUnits: true }).heaps.length;
      times.push(performance.now() - started);
        const cpu = process.cpuUsage(cpu0);
        cpus.push((cpu.user + cpu.system) / 1000);
      if (i === 0) peak = process.resourceUsage().maxRSS;
    }
    const sorted = [...times].sort((a, b) => a - b);
    console.log(JSON.stringify({ heaps, firstMs: times[0], medianMs: sorted[sorted.length >> 1], medianCpuMs: [...cpus].sort((a, b) => a - b)[cpus.length >> 1], peakRssKb: peak }));
  `;
  buildSync({
    stdin: { contents: entry, resolveDir: path.resolve('.'), loader: 'js' },
    bundle: true,
    platform: 'node',
    format: 'cjs',
    outfile: bundle,
    logLevel: 'warning',
  });
  const child = spawnSync(process.execPath, [bundle, file], { encoding: 'utf8', timeout: 600_000 });
  if (child.status !== 0) throw new Error(`discovery bench (every unit) on ${file} failed: ${child.stderr}`);
  const r = JSON.parse(child.stdout) as { heaps: number; firstMs: number; medianMs: number; medianCpuMs: number; peakRssKb: number };
  return {
    heaps: r.heaps,
    firstMs: Math.round(r.firstMs),
    medianMs: Math.round(r.medianMs),
    medianCpuMs: Math.round(r.medianCpuMs),
    peakRssMb: Math.round(r.peakRssKb / 1024),
  };
}
