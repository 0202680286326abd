import { mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { TEST_LOG_FILE_ENV, TEST_LOG_GENERATED_ENV } from './test-log';

/**
 * The e2e project's globalSetup: names the run's log (test-log.ts) and starts it empty. The variable is set
 * before jest makes the specs' environments, so every spec sees it. A file named by the caller is kept
 * after the run; one made here lives in a directory of its own, removed when the check passes.
 */
export default function setUpE2eLog(): void {
  if (!process.env[TEST_LOG_FILE_ENV]) {
    process.env[TEST_LOG_FILE_ENV] = path.join(mkdtempSync(path.join(os.tmpdir(), 'hydrant-e2e-log-')), 'e2e.log');
    process.env[TEST_LOG_GENERATED_ENV] = '1';
  }
  writeFileSync(process.env[TEST_LOG_FILE_ENV], '');
}
