// Webview layer: the built webview bundle (dist/webview.js) in headless Chromium with the panel's
// real CSP, fed host messages made by the real host code. Screenshots go to test-results/screenshots/.
import * as path from 'node:path';
import { findTestFiles, runMocha } from '../support/runMocha';

void runMocha('webview', findTestFiles(path.join(__dirname)), { timeout: 60_000 }).then(failures => {
  process.exitCode = failures === 0 ? 0 : 1;
});
