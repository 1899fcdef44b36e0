// Webview layer: the built webview bundle (dist/webview.js) in headless Chromium with the panel's
// real CSP, fed host messages made by the real host code. Screenshots go to test-results/screenshots/.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { findTestFiles, runMocha, writeLayerResults } from '../support/runMocha';
import { chromiumPath } from './support/harness';

const REPO_ROOT = path.resolve(__dirname, '..', '..', '..');
const missing = [chromiumPath(), path.join(REPO_ROOT, 'dist', 'webview.js')].filter(p => !fs.existsSync(p));
if (missing.length > 0) {
  // Fail loudly: a webview layer that silently skips would hide a broken panel.
  const notice = `cannot run: ${missing.join(' and ')} missing (install chromium, set CHROMIUM_PATH, or build first)`;
  console.error(`webview: ${notice}`);
  writeLayerResults('webview', { passed: 0, failed: 1, skipped: 0, notice }, path.join(REPO_ROOT, 'test-results'));
  process.exitCode = 1;
} else {
  void runMocha('webview', findTestFiles(path.join(__dirname)), { timeout: 60_000 }).then(failures => {
    process.exitCode = failures === 0 ? 0 : 1;
  });
}
