// E2E layer: real debug adapters on real targets (QEMU Cortex-M3, native Rust under gdb), in
// plain Node. Suites skip only when a toolchain is missing; the reason becomes the layer notice.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { findTestFiles, runMocha, writeLayerResults } from '../support/runMocha';
import { skipNotices } from './support/skips';

void runMocha('e2e', findTestFiles(path.join(__dirname)), { timeout: 120_000 }).then(failures => {
  if (skipNotices.size > 0) {
    const file = path.resolve('test-results', 'e2e.json');
    const counts = JSON.parse(fs.readFileSync(file, 'utf8')) as { passed: number; failed: number; skipped: number };
    writeLayerResults('e2e', { ...counts, notice: `skipped: ${[...skipNotices].join('; ')}` });
  }
  process.exitCode = failures === 0 ? 0 : 1;
});
