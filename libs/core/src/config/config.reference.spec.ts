import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { CONFIG_KEYS } from './config.keys';
import { renderConfigReference } from './config.reference';

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
});
