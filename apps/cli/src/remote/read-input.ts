import { readFileSync } from 'node:fs';
import { CliError } from './cli.error';

/** Bytes of a file, or of stdin for '-'. */
export function readInput(path: string): Buffer {
  try {
    return readFileSync(path === '-' ? 0 : path);
  } catch (e) {
    throw new CliError(`cannot read ${path === '-' ? 'stdin' : path}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`);
  }
}

/** The JSON document in a file, or in stdin for '-'. */
export function readJson(path: string): unknown {
  const text = readInput(path).toString('utf8');
  try {
    return JSON.parse(text);
  } catch (e) {
    throw new CliError(`${path === '-' ? 'stdin' : path} is not JSON: ${(e as Error).message}`);
  }
}
