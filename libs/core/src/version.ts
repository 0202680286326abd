import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';

/** Reads Hydrant's package.json, found from here upwards (works from the sources and from dist/). */
function readPackageVersion(): string {
  for (let dir = __dirname; dir !== dirname(dir); dir = dirname(dir)) {
    const file = join(dir, 'package.json');
    if (existsSync(file)) {
      const pkg = JSON.parse(readFileSync(file, 'utf8')) as { name?: string; version?: string };
      if (pkg.name === 'hydrant' && pkg.version) return pkg.version;
    }
  }
  return '0.0.0';
}

/** Hydrant's version, as `/version` and `hydrant version` report it. */
export const HYDRANT_VERSION = `v${readPackageVersion()}`;
