import { execFileSync } from 'node:child_process';
import { chmodSync } from 'node:fs';

/**
 * Makes `file` refuse writes to every process, root included, and answers the function that undoes it.
 * Permissions do not bind root, so as root the file is made immutable instead (`chattr +i`, which needs
 * CAP_LINUX_IMMUTABLE and a file system that keeps the flag, as ext4 does); the undo must run, or the
 * file cannot even be deleted.
 */
export function makeReadOnly(file: string): () => void {
  if (process.getuid?.() !== 0) {
    chmodSync(file, 0o444);
    return () => chmodSync(file, 0o644);
  }
  try {
    execFileSync('chattr', ['+i', file], { stdio: 'pipe' });
  } catch (e) {
    throw new Error(`As root, a read-only file needs \`chattr +i\`, which failed here: ${(e as { stderr?: Buffer }).stderr?.toString().trim() || (e as Error).message}`, { cause: e });
  }
  return () => execFileSync('chattr', ['-i', file], { stdio: 'pipe' });
}
