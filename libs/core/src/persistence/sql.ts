/** The two databases Hydrant stores in. */
export type Dialect = 'sqlite' | 'postgres';

/** Values inlined as a list of placeholders: `IN (${list(ids)})`. */
class SqlList {
  constructor(readonly values: readonly unknown[]) {}
}

/** Text put into the statement as it is: only for identifiers and SQL the code itself wrote, never input. */
class SqlText {
  constructor(readonly text: string) {}
}

/**
 * One statement, written once for both dialects: `sql\`SELECT … WHERE "id" = ${id}\``. Every value is
 * bound as a parameter, in the dialect's placeholder syntax (`?` for SQLite, `$1…` for PostgreSQL), so no
 * placeholder is ever numbered by hand. A nested `sql` fragment joins the statement with its values. Values
 * are bound in one representation for both dialects: a boolean as SQLite's 0/1, a Date as milliseconds
 * since the epoch (every time column is a bigint of those).
 */
export class Sql {
  constructor(
    private readonly strings: readonly string[],
    private readonly values: readonly unknown[],
  ) {}

  /** The statement's text and its parameters in `dialect`. */
  render(dialect: Dialect): { text: string; params: unknown[] } {
    const params: unknown[] = [];
    const text = this.renderInto(dialect, params);
    return { text, params };
  }

  private renderInto(dialect: Dialect, params: unknown[]): string {
    const bind = (value: unknown): string => {
      params.push(bound(dialect, value));
      return dialect === 'postgres' ? `$${params.length}` : '?';
    };
    let text = this.strings[0];
    this.values.forEach((value, i) => {
      if (value instanceof Sql) text += value.renderInto(dialect, params);
      else if (value instanceof SqlText) text += value.text;
      else if (value instanceof BooleanLiteral) text += dialect === 'postgres' ? String(value.value) : String(Number(value.value));
      else if (value instanceof SqlList) text += value.values.map(bind).join(', ');
      else text += bind(value);
      text += this.strings[i + 1];
    });
    return text;
  }
}

function bound(dialect: Dialect, value: unknown): unknown {
  if (value === undefined) throw new Error('an SQL parameter is undefined');
  if (typeof value === 'boolean') return dialect === 'postgres' ? value : Number(value);
  if (value instanceof Date) return value.getTime();
  return value;
}

/** A statement; see Sql. */
export function sql(strings: TemplateStringsArray, ...values: unknown[]): Sql {
  return new Sql(strings, values);
}

/** Values as a comma-separated list of parameters, for `IN (…)` and multi-row `VALUES`. */
export function list(values: readonly unknown[]): SqlList {
  if (values.length === 0) throw new Error('an SQL list is empty');
  return new SqlList(values);
}

/** A quoted identifier (a table or column name the code chose). */
export function identifier(name: string): SqlText {
  if (!/^[a-z_][a-z0-9_]*$/.test(name)) throw new Error(`not an identifier: ${name}`);
  return new SqlText(`"${name}"`);
}

/** Fragments joined by `separator` (`, ` or ` AND `). */
export function join(fragments: readonly Sql[], separator: string): Sql {
  if (fragments.length === 0) throw new Error('nothing to join');
  const strings = ['', ...fragments.slice(1).map(() => separator), ''];
  return new Sql(strings, fragments);
}

/** A boolean written into the text, for a condition the planner must see to use a partial index. */
export function booleanLiteral(value: boolean): BooleanLiteral {
  return new BooleanLiteral(value);
}

/** Spelled per dialect: PostgreSQL refuses `boolean = 1`, SQLite's partial indexes are written with 0/1. */
class BooleanLiteral {
  constructor(readonly value: boolean) {}
}
