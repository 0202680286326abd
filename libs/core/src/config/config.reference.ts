import { CONFIG_KEYS } from './config.keys';

/** The configuration reference as a Markdown table, generated from config.keys.ts (the README embeds it). */
export function renderConfigReference(): string {
  const cell = (text: string) => text.replace(/\|/g, '\\|');
  const shown = (value: string | undefined) => (value === undefined ? '*(unset)*' : value === '' ? '*(empty)*' : `\`${value}\``);
  const rows = CONFIG_KEYS.map((k) => `| \`${k.key}\` | ${shown('default' in k ? k.default : undefined)} | ${cell(k.description)} |`);
  return ['| key | default | meaning |', '| --- | --- | --- |', ...rows].join('\n');
}
