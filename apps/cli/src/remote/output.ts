export type OutputFormat = 'table' | 'json' | 'json-pretty';

/** A table cell: lists print comma separated, absent values as Hydra's `<empty>`. */
function cell(value: unknown): string {
  if (value === undefined || value === null || value === '') return '<empty>';
  if (Array.isArray(value)) return value.length ? value.join(', ') : '<empty>';
  return String(value);
}

/**
 * What a command prints on stdout, as Hydra's CLI prints it: `table` (one record as NAME/value lines, a
 * list as a header row and a row per record), `json` (exactly one JSON document) or `json-pretty`. `-q`
 * prints only the identifiers.
 */
export class Output {
  constructor(
    readonly format: OutputFormat,
    private readonly quiet: boolean,
  ) {}

  /** One record: `columns` are its table rendering, `document` its JSON. */
  row(columns: Array<[string, unknown]>, document: unknown): void {
    if (this.format !== 'table') return this.json(document);
    if (this.quiet) return this.line(cell(columns[0]?.[1]));
    const width = Math.max(...columns.map(([name]) => name.length));
    for (const [name, value] of columns) this.line(`${name.padEnd(width)}\t${cell(value)}`);
  }

  /** Several records of the same columns. */
  table(headers: string[], rows: unknown[][], document: unknown): void {
    if (this.format !== 'table') return this.json(document);
    if (this.quiet) {
      for (const row of rows) this.line(cell(row[0]));
      return;
    }
    const cells = [headers, ...rows.map((row) => row.map(cell))];
    const widths = headers.map((_, i) => Math.max(...cells.map((row) => row[i].length)));
    for (const row of cells) this.line(row.map((c, i) => (i === row.length - 1 ? c : c.padEnd(widths[i]))).join('\t'));
  }

  json(document: unknown): void {
    this.line(JSON.stringify(document, null, this.format === 'json-pretty' ? 2 : undefined));
  }

  line(text: string): void {
    process.stdout.write(`${text}\n`);
  }
}
