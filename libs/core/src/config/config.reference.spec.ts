import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { CONFIG_KEYS } from './config.keys';
import { loadConfig } from './config.loader';
import { renderConfigExample, renderConfigReference } from './config.reference';
import { configWarnings } from './config.warnings';

describe('configuration reference', () => {
  const readme = readFileSync(join(__dirname, '../../../../README.md'), 'utf8');

  it('is embedded in the README exactly as `hydrant config reference` prints it', () => {
    expect(readme).toContain(renderConfigReference());
  });

  it('lists every key once, with its default', () => {
    const table = renderConfigReference();
    for (const def of CONFIG_KEYS) {
      expect(table.match(new RegExp(`\\| \`${def.key}\` \\|`, 'g'))).toHaveLength(1);
      if ('default' in def && def.default) expect(table).toContain(`| \`${def.key}\` | \`${def.default}\` |`);
    }
  });

  describe('the example file (hydrant.example.yaml)', () => {
    const path = join(__dirname, '../../../../hydrant.example.yaml');

    it('is exactly what `hydrant config example` prints, so it names every key', () => {
      expect(readFileSync(path, 'utf8')).toBe(renderConfigExample());
      for (const def of CONFIG_KEYS) expect(renderConfigExample()).toContain(def.key.slice(def.key.indexOf('_') + 1).toLowerCase());
    });

    it('loads to the defaults, with no warning', () => {
      const env = { SECRETS_SYSTEM: 'example-file-secret-0123456789' };
      expect(loadConfig({ env, file: path })).toEqual(loadConfig({ env }));
      expect(configWarnings({ env: {}, file: path })).toEqual([]);
    });
  });
});
