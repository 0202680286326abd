import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import type { KnownSecret } from './log-secret-scanner';

/**
 * The secrets the specs hard-code, read from their source so that a new spec's secret is searched for
 * without a list to keep: values given to a secret's configuration key or client field, and constants
 * named for a secret. Values from variables (a secret Hydrant generated) are the scanner's shapes' job.
 */

/** Where a spec hands Hydrant a secret: configuration keys and client metadata. */
const SECRET_KEY = /^(?:SECRETS_[A-Z]+|SERVE_ADMIN_API_KEYS|OAUTH2_TOKEN_HOOK_AUTH_CONFIG_VALUE)$|[Ss]ecret|SECRET|[Pp]assword/;
/** Constants named for a secret: `SECRET`, `ADMIN_KEY`, `KEYS`, `wrongSecret` (not `KEY_SET`, not `key`). */
const SECRET_CONSTANT = /[Ss]ecret|SECRET|[Pp]assword|^(?:[A-Z]+_)*KEYS?$/;
/** The specs' secrets are longer; shorter literals are words that a log line may rightly hold. */
const MIN_LENGTH = 9;

const STRING = String.raw`'(?:[^'\\\n]|\\.)*'|"(?:[^"\\\n]|\\.)*"|` + '`[^`]*`';
const VALUE = String.raw`(?:${STRING}|\[[^\]]*\]|[A-Za-z_$][\w$]*)`;
/** `name: value`, `'name': value`, `name = value`, `const name = value`. */
const ASSIGNMENT = new RegExp(String.raw`(\b(?:const|let|var)\s+)?(?<![\w$-])['"]?([A-Za-z_$][\w$]*)['"]?\s*(?::|=(?![=>]))\s*(${VALUE})`, 'g');
const PART = new RegExp(String.raw`${STRING}|[A-Za-z_$][\w$]*`, 'g');

export function knownTestSecrets(testDir: string): KnownSecret[] {
  const files = (readdirSync(testDir, { recursive: true }) as string[]).filter((file) => file.endsWith('.ts')).sort();
  return files.flatMap((file) => secretsInSource(readFileSync(path.join(testDir, file), 'utf8'), path.join(path.basename(testDir), file)));
}

export function secretsInSource(source: string, file: string): KnownSecret[] {
  const constants = new Map<string, string[]>();
  const assignments = [...source.matchAll(ASSIGNMENT)];
  for (const [, declaration, name, value] of assignments) {
    const literals = literalsOf(value);
    if (declaration && literals) constants.set(name, literals);
  }
  const found: KnownSecret[] = [];
  for (const [, declaration, name, value] of assignments) {
    if (!(declaration ? SECRET_CONSTANT : SECRET_KEY).test(name)) continue;
    for (const secret of resolve(value, constants)) {
      if (secret.length >= MIN_LENGTH) found.push({ value: secret, source: `${name} in ${file}` });
    }
  }
  return found;
}

/** The strings of a literal or an array of literals; undefined for anything computed. */
function literalsOf(value: string): string[] | undefined {
  const parts = value.startsWith('[') ? [...value.slice(1, -1).matchAll(PART)].map((m) => m[0]) : [value];
  if (parts.some((part) => !/^['"`]/.test(part) || part.includes('${'))) return undefined;
  return parts.map((part) => part.slice(1, -1));
}

/** A value's secrets: its literals, and the constants it names (`SECRET`, `${NEW},${OLD}`, `[KEY]`, `KEYS.join(',')`). */
function resolve(value: string, constants: Map<string, string[]>): string[] {
  const literals = literalsOf(value);
  if (literals) return literals;
  const names = value.startsWith('`') ? [...value.matchAll(/\$\{\s*([A-Za-z_$][\w$]*)\s*\}/g)].map((m) => m[1]) : [...value.matchAll(PART)].map((m) => m[0]);
  return names.flatMap((name) => (/^['"]/.test(name) ? [name.slice(1, -1)] : (constants.get(name) ?? [])));
}
