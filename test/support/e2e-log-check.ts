import { readFileSync, rmSync, statSync } from 'node:fs';
import path from 'node:path';
import { ROOT } from './built-cli';
import { knownTestSecrets } from './known-test-secrets';
import { formatHit, scanForSecrets, secretRules } from './log-secret-scanner';
import { TEST_LOG_FILE_ENV, TEST_LOG_GENERATED_ENV } from './test-log';

/** More would bury the first ones; the log is kept for the rest. */
const REPORTED = 100;

/**
 * The e2e project's globalTeardown: searches the whole log of the run (test-log.ts) for secrets and fails
 * the run, naming each hit by line and rule, if it finds one. A throw here makes jest exit non-zero.
 */
export default async function checkE2eLog(): Promise<void> {
  const file = process.env[TEST_LOG_FILE_ENV];
  if (!file) return;
  await writesSettled(file);
  const hits = scanForSecrets(readFileSync(file, 'utf8'), secretRules(knownTestSecrets(path.join(ROOT, 'test'))));
  if (hits.length > 0) {
    const report = hits.slice(0, REPORTED).map((hit) => formatHit(file, hit));
    if (hits.length > REPORTED) report.push(`… and ${hits.length - REPORTED} more`);
    throw new Error(`Hydrant logged ${hits.length} secret(s) during the e2e run (issue 14); the log is kept at ${file}:\n${report.join('\n')}`);
  }
  if (process.env[TEST_LOG_GENERATED_ENV]) rmSync(path.dirname(file), { recursive: true, force: true });
}

/** The loggers write asynchronously: the last spec's lines may still be on their way when the run ends. */
async function writesSettled(file: string): Promise<void> {
  let size = -1;
  for (let tries = 0; tries < 40 && statSync(file).size !== size; tries++) {
    size = statSync(file).size;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}
