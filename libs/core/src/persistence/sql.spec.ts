import { booleanLiteral, identifier, join, list, sql } from './sql';

describe('sql', () => {
  const when = new Date(Date.UTC(2026, 11, 3));

  it('binds every value as a parameter, numbered for PostgreSQL and positional for SQLite', () => {
    const statement = sql`UPDATE "t" SET "a" = ${'x'} WHERE "id" = ${7} AND "b" = ${'y'}`;
    expect(statement.render('postgres')).toEqual({ text: 'UPDATE "t" SET "a" = $1 WHERE "id" = $2 AND "b" = $3', params: ['x', 7, 'y'] });
    expect(statement.render('sqlite')).toEqual({ text: 'UPDATE "t" SET "a" = ? WHERE "id" = ? AND "b" = ?', params: ['x', 7, 'y'] });
  });

  it('numbers the values of nested fragments and lists in the order they appear', () => {
    const where = join([sql`"a" = ${1}`, sql`"b" IN (${list(['p', 'q'])})`], ' AND ');
    const statement = sql`SELECT * FROM "t" WHERE ${where} LIMIT ${5}`;
    expect(statement.render('postgres')).toEqual({ text: 'SELECT * FROM "t" WHERE "a" = $1 AND "b" IN ($2, $3) LIMIT $4', params: [1, 'p', 'q', 5] });
    expect(statement.render('sqlite').params).toEqual([1, 'p', 'q', 5]);
  });

  it('binds one representation for both dialects: a time as milliseconds, a boolean as the driver takes it, null as NULL', () => {
    const statement = sql`INSERT INTO "t" VALUES (${when}, ${true}, ${false}, ${null})`;
    expect(statement.render('postgres').params).toEqual([when.getTime(), true, false, null]);
    expect(statement.render('sqlite').params).toEqual([when.getTime(), 1, 0, null]);
  });

  it('writes a boolean literal per dialect, for conditions a partial index must match', () => {
    const statement = sql`SELECT 1 FROM "t" WHERE "active" = ${booleanLiteral(false)}`;
    expect(statement.render('postgres')).toEqual({ text: 'SELECT 1 FROM "t" WHERE "active" = false', params: [] });
    expect(statement.render('sqlite')).toEqual({ text: 'SELECT 1 FROM "t" WHERE "active" = 0', params: [] });
  });

  it('quotes identifiers the code chose and refuses anything else', () => {
    expect(sql`SELECT ${identifier('expires_at')} FROM "t"`.render('sqlite').text).toBe('SELECT "expires_at" FROM "t"');
    expect(() => identifier('a"; DROP TABLE "t')).toThrow('not an identifier');
  });

  it('refuses an undefined value and an empty list instead of sending a statement that means something else', () => {
    expect(() => sql`SELECT ${undefined}`.render('sqlite')).toThrow('undefined');
    expect(() => list([])).toThrow('empty');
  });
});
