import { Output } from './output';

function printed(run: (output: Output) => void, format: 'table' | 'json' | 'json-pretty' = 'table', quiet = false): string {
  const write = jest.spyOn(process.stdout, 'write').mockImplementation(() => true);
  try {
    run(new Output(format, quiet));
    return write.mock.calls.map(([chunk]) => String(chunk)).join('');
  } finally {
    write.mockRestore();
  }
}

describe('Output (what the remote commands print, as Hydra\'s CLI prints it)', () => {
  const columns: Array<[string, unknown]> = [['CLIENT ID', 'c1'], ['GRANT TYPES', ['a', 'b']], ['SCOPE', '']];

  it('prints one record as aligned NAME<TAB>value lines, lists comma separated and absent values as <empty>', () => {
    expect(printed((o) => o.row(columns, { client_id: 'c1' }))).toBe('CLIENT ID  \tc1\nGRANT TYPES\ta, b\nSCOPE      \t<empty>\n');
  });

  it('prints exactly one JSON document with --format json, indented with json-pretty', () => {
    const document = { client_id: 'c1', grant_types: ['a'] };
    expect(JSON.parse(printed((o) => o.row(columns, document), 'json'))).toEqual(document);
    expect(printed((o) => o.row(columns, document), 'json').trim().split('\n')).toHaveLength(1);
    expect(printed((o) => o.row(columns, document), 'json-pretty')).toBe(`${JSON.stringify(document, null, 2)}\n`);
  });

  it('prints a table with a header row, and only the first column with -q', () => {
    const rows = [['c1', 'x'], ['client-2', undefined]];
    expect(printed((o) => o.table(['ID', 'NAME'], rows, []))).toBe('ID      \tNAME\nc1      \tx\nclient-2\t<empty>\n');
    expect(printed((o) => o.table(['ID', 'NAME'], rows, []), 'table', true)).toBe('c1\nclient-2\n');
    expect(printed((o) => o.row(columns, {}), 'table', true)).toBe('c1\n');
  });

  it('ignores -q for JSON: the document is the output', () => {
    expect(JSON.parse(printed((o) => o.table(['ID'], [['c1']], ['c1']), 'json', true))).toEqual(['c1']);
  });
});
