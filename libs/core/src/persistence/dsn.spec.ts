import { parseDsn, redactDsn } from './dsn';

describe('parseDsn', () => {
  it('takes "memory" for SQLite in memory', () => {
    expect(parseDsn('memory')).toEqual({ dialect: 'sqlite', path: ':memory:', inMemory: true });
  });

  it('takes sqlite://:memory: for SQLite in memory', () => {
    expect(parseDsn('sqlite://:memory:')).toEqual({ dialect: 'sqlite', path: ':memory:', inMemory: true });
  });

  it('reads a relative SQLite path', () => {
    expect(parseDsn('sqlite://./data/hydrant.sqlite')).toEqual({ dialect: 'sqlite', path: './data/hydrant.sqlite', inMemory: false });
  });

  it('reads an absolute SQLite path', () => {
    expect(parseDsn('sqlite:///var/lib/hydrant/db.sqlite')).toEqual({
      dialect: 'sqlite',
      path: '/var/lib/hydrant/db.sqlite',
      inMemory: false,
    });
  });

  it('drops the query of a Hydra-style SQLite DSN', () => {
    expect(parseDsn('sqlite:///var/lib/hydra/db.sqlite?_fk=true&mode=rwc')).toEqual({
      dialect: 'sqlite',
      path: '/var/lib/hydra/db.sqlite',
      inMemory: false,
    });
    expect(parseDsn('sqlite://./x.sqlite?_fk=true')).toMatchObject({ path: './x.sqlite' });
  });

  it.each(['sqlite://', 'sqlite://?_fk=true'])('refuses an SQLite DSN without a path (%s)', (dsn) => {
    // An empty path would open a temporary database that vanishes on close.
    expect(() => parseDsn(dsn)).toThrow(/path/);
  });

  it.each(['postgres://hydrant:secret@db.example.com:5432/hydrant?sslmode=require', 'postgresql://hydrant@localhost/hydrant'])(
    'keeps a PostgreSQL URL whole (%s)',
    (dsn) => expect(parseDsn(dsn)).toEqual({ dialect: 'postgres', url: dsn }),
  );

  it.each(['mysql://root:hunter2-secret@db/hydra', 'cockroach://root:hunter2-secret@db/hydra', 'mysql://:hunter2-secret@db/hydra', ''])(
    'refuses an unsupported DSN without leaking its password (%p)',
    (dsn) => {
      let message = '';
      try {
        parseDsn(dsn);
      } catch (e) {
        message = (e as Error).message;
      }
      expect(message).toMatch(/^unsupported DSN/);
      if (dsn.includes('@')) expect(message).toContain('***');
      expect(message).not.toContain('hunter2');
    },
  );
});

describe('redactDsn', () => {
  it.each([
    ['postgres://hydrant:secret@db:5432/hydrant', 'postgres://hydrant:***@db:5432/hydrant'],
    ['postgresql://u:p%40ss%3Aword@db/h?sslmode=disable', 'postgresql://u:***@db/h?sslmode=disable'],
    ['mysql://root:pw@tcp(db:3306)/hydra', 'mysql://root:***@tcp(db:3306)/hydra'],
    // WHATWG URLs (and so node-postgres) split the user info at its last "@" before the host.
    ['postgres://u:p@ss@db/h', 'postgres://u:***@db/h'],
    // An empty user name still has a password.
    ['postgres://:secret@db/h', 'postgres://:***@db/h'],
    // node-postgres also reads the password from the query.
    ['postgres://u@db/h?password=secret&sslmode=require', 'postgres://u@db/h?password=***&sslmode=require'],
  ])('redacts %s', (dsn, redacted) => {
    expect(redactDsn(dsn)).toBe(redacted);
  });

  it.each(['postgres://hydrant@db:5432/hydrant', 'sqlite:///var/lib/x.sqlite', 'memory', 'postgres://db/h?sslmode=require'])(
    'leaves %s without a password alone',
    (dsn) => expect(redactDsn(dsn)).toBe(dsn),
  );
});
