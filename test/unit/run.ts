// Unit layer: mocha on core/ and the extension's pure logic, in plain Node.
import * as path from 'node:path';
import { findTestFiles, runMocha } from '../support/runMocha';

void runMocha('unit', findTestFiles(path.join(__dirname)), { timeout: 60_000 }).then(failures => {
  process.exitCode = failures === 0 ? 0 : 1;
});
