import { readFileSync } from 'node:fs';
import wasm from '@prisma/prisma-schema-wasm';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../support/database.js';

// prisma/schema.prisma drives Prisma Client; the SQL migrations (dbmate) drive the database.
// Nothing else keeps them in step, so this file compares the migrated database with the schema.

interface DmmfField {
  name: string;
  dbName?: string | null;
  kind: 'scalar' | 'enum' | 'object' | 'unsupported';
  type: string;
  isList: boolean;
  isRequired: boolean;
  isId: boolean;
  isUnique: boolean;
  hasDefaultValue: boolean;
  default?: unknown;
  nativeType?: [string, string[]] | null;
  relationFromFields?: string[];
  relationToFields?: string[];
  relationOnDelete?: string;
}

interface DmmfModel {
  name: string;
  dbName: string | null;
  fields: DmmfField[];
  primaryKey: { name: string | null; fields: string[] } | null;
  uniqueFields: string[][];
  uniqueIndexes: { name: string | null; fields: string[] }[];
}

interface DmmfEnum {
  name: string;
  dbName: string | null;
  values: { name: string; dbName: string | null }[];
}

interface DmmfIndex {
  model: string;
  type: 'id' | 'unique' | 'normal' | 'fulltext';
  fields: { name: string }[];
}

interface Dmmf {
  datamodel: { models: DmmfModel[]; enums: DmmfEnum[]; indexes: DmmfIndex[] };
}

const schemaText = readFileSync(new URL('../../prisma/schema.prisma', import.meta.url), 'utf8');
const dmmf = JSON.parse(wasm.get_dmmf(JSON.stringify({ prismaSchema: schemaText }))) as Dmmf;
const { models, enums, indexes: schemaIndexes } = dmmf.datamodel;

/** Tables the migration tool keeps for itself. */
const TOOL_TABLES = new Set(['schema_migrations']);

const tableOf = (model: DmmfModel) => model.dbName ?? model.name;
const columnOf = (field: DmmfField) => field.dbName ?? field.name;
const enumDbName = (name: string) => {
  const e = enums.find((candidate) => candidate.name === name);
  return e ? (e.dbName ?? e.name) : name;
};

interface Column {
  dataType: string;
  udtName: string;
  nullable: boolean;
  datetimePrecision: number | null;
  maxLength: number | null;
  default: string | null;
  identity: boolean;
}

interface Index {
  table: string;
  name: string;
  unique: boolean;
  primary: boolean;
  partial: boolean;
  expression: boolean;
  columns: string[];
}

interface ForeignKey {
  table: string;
  name: string;
  columns: string[];
  refTable: string;
  refColumns: string[];
  onDelete: string;
}

interface Snapshot {
  columns: Map<string, Map<string, Column>>;
  indexes: Index[];
  foreignKeys: ForeignKey[];
  enums: Map<string, string[]>;
}

/** What the database holds, read from its catalogs. */
async function introspect(client: pg.ClientBase): Promise<Snapshot> {
  const columns = new Map<string, Map<string, Column>>();
  const tables = await client.query<{ table_name: string }>(
    `SELECT table_name FROM information_schema.tables WHERE table_schema = 'public' AND table_type = 'BASE TABLE'`,
  );
  for (const { table_name } of tables.rows) columns.set(table_name, new Map());
  const cols = await client.query<{
    table_name: string;
    column_name: string;
    data_type: string;
    udt_name: string;
    is_nullable: 'YES' | 'NO';
    datetime_precision: number | null;
    character_maximum_length: number | null;
    column_default: string | null;
    is_identity: 'YES' | 'NO';
  }>(
    `SELECT table_name, column_name, data_type, udt_name, is_nullable, datetime_precision,
            character_maximum_length, column_default, is_identity
     FROM information_schema.columns WHERE table_schema = 'public'`,
  );
  for (const c of cols.rows) {
    columns.get(c.table_name)?.set(c.column_name, {
      dataType: c.data_type,
      udtName: c.udt_name,
      nullable: c.is_nullable === 'YES',
      datetimePrecision: c.datetime_precision,
      maxLength: c.character_maximum_length,
      default: c.column_default,
      identity: c.is_identity === 'YES',
    });
  }

  const indexes = await client.query<Index>(
    `SELECT t.relname AS "table", i.relname AS name, ix.indisunique AS "unique", ix.indisprimary AS "primary",
            ix.indpred IS NOT NULL AS partial, ix.indexprs IS NOT NULL AS expression,
            ARRAY(SELECT a.attname::text
                  FROM unnest(ix.indkey::int2[]) WITH ORDINALITY AS k(attnum, ord)
                  JOIN pg_attribute a ON a.attrelid = t.oid AND a.attnum = k.attnum
                  WHERE k.ord <= ix.indnkeyatts ORDER BY k.ord) AS columns
     FROM pg_index ix
     JOIN pg_class i ON i.oid = ix.indexrelid
     JOIN pg_class t ON t.oid = ix.indrelid
     JOIN pg_namespace n ON n.oid = t.relnamespace
     WHERE n.nspname = 'public'`,
  );

  const foreignKeys = await client.query<ForeignKey>(
    `SELECT t.relname AS "table", c.conname AS name, r.relname AS "refTable", c.confdeltype AS "onDelete",
            ARRAY(SELECT a.attname::text FROM unnest(c.conkey) WITH ORDINALITY AS k(attnum, ord)
                  JOIN pg_attribute a ON a.attrelid = c.conrelid AND a.attnum = k.attnum ORDER BY k.ord) AS columns,
            ARRAY(SELECT a.attname::text FROM unnest(c.confkey) WITH ORDINALITY AS k(attnum, ord)
                  JOIN pg_attribute a ON a.attrelid = c.confrelid AND a.attnum = k.attnum ORDER BY k.ord) AS "refColumns"
     FROM pg_constraint c
     JOIN pg_class t ON t.oid = c.conrelid
     JOIN pg_class r ON r.oid = c.confrelid
     JOIN pg_namespace n ON n.oid = t.relnamespace
     WHERE c.contype = 'f' AND n.nspname = 'public'`,
  );

  const enumRows = await client.query<{ name: string; values: string[] }>(
    `SELECT t.typname::text AS name, ARRAY(SELECT e.enumlabel::text FROM pg_enum e WHERE e.enumtypid = t.oid ORDER BY e.enumsortorder) AS values
     FROM pg_type t JOIN pg_namespace n ON n.oid = t.typnamespace
     WHERE t.typtype = 'e' AND n.nspname = 'public'`,
  );

  return {
    columns,
    indexes: indexes.rows,
    foreignKeys: foreignKeys.rows,
    enums: new Map(enumRows.rows.map((row) => [row.name, row.values])),
  };
}

/** The Postgres type a scalar or enum field needs: information_schema's data_type (and udt_name for enums). */
function expectedType(field: DmmfField): { dataType: string; udtName?: string; precision?: number; maxLength?: number } {
  const [native, args = []] = field.nativeType ?? [undefined, []];
  if (field.kind === 'enum') return { dataType: 'USER-DEFINED', udtName: enumDbName(field.type) };
  switch (field.type) {
    case 'String':
      if (native === 'Uuid') return { dataType: 'uuid' };
      if (native === 'VarChar') return { dataType: 'character varying', ...(args[0] ? { maxLength: Number(args[0]) } : {}) };
      if (native === 'Char') return { dataType: 'character', ...(args[0] ? { maxLength: Number(args[0]) } : {}) };
      if (native === undefined || native === 'Text') return { dataType: 'text' };
      break;
    case 'Int':
      if (native === undefined || native === 'Integer') return { dataType: 'integer' };
      if (native === 'SmallInt') return { dataType: 'smallint' };
      break;
    case 'BigInt':
      return { dataType: 'bigint' };
    case 'Boolean':
      return { dataType: 'boolean' };
    case 'Float':
      return { dataType: native === 'Real' ? 'real' : 'double precision' };
    case 'Decimal':
      return { dataType: 'numeric' };
    case 'Json':
      return { dataType: native === 'Json' ? 'json' : 'jsonb' };
    case 'Bytes':
      return { dataType: 'bytea' };
    case 'DateTime': {
      // Prisma's default for DateTime on Postgres is timestamp(3) without time zone.
      const precision = args[0] !== undefined ? Number(args[0]) : 3;
      if (native === 'Timestamptz') return { dataType: 'timestamp with time zone', precision };
      if (native === undefined || native === 'Timestamp') return { dataType: 'timestamp without time zone', precision };
      if (native === 'Date') return { dataType: 'date' };
      break;
    }
  }
  return { dataType: `<no mapping for ${field.type} ${native ?? ''}>` };
}

const onDeleteCodes: Record<string, string> = { Cascade: 'c', Restrict: 'r', NoAction: 'a', SetNull: 'n', SetDefault: 'd' };

/** Every difference between one model and its table, as sentences. */
function modelDrift(model: DmmfModel, db: Snapshot): string[] {
  const table = tableOf(model);
  const columns = db.columns.get(table);
  if (!columns) return [`table ${table} (model ${model.name}) does not exist`];
  const problems: string[] = [];
  const fieldByName = new Map(model.fields.map((f) => [f.name, f]));
  const columnNames = (names: string[]) => names.map((n) => columnOf(fieldByName.get(n)!));

  const stored = model.fields.filter((f) => f.kind === 'scalar' || f.kind === 'enum');
  for (const field of stored) {
    const name = columnOf(field);
    const where = `${table}.${name} (${model.name}.${field.name})`;
    const column = columns.get(name);
    if (!column) {
      problems.push(`${where}: column is missing`);
      continue;
    }
    const want = expectedType(field);
    const wantList = field.isList ? 'ARRAY' : want.dataType;
    if (column.dataType !== wantList) problems.push(`${where}: type is ${column.dataType}, schema wants ${wantList}`);
    if (want.udtName !== undefined && column.udtName !== want.udtName) {
      problems.push(`${where}: enum type is ${column.udtName}, schema wants ${want.udtName}`);
    }
    if (want.precision !== undefined && column.datetimePrecision !== want.precision) {
      problems.push(`${where}: precision is ${column.datetimePrecision}, schema wants ${want.precision}`);
    }
    if (want.maxLength !== undefined && column.maxLength !== want.maxLength) {
      problems.push(`${where}: length is ${column.maxLength}, schema wants ${want.maxLength}`);
    }
    const wantNullable = !field.isRequired;
    if (column.nullable !== wantNullable) {
      problems.push(`${where}: is ${column.nullable ? 'NULL' : 'NOT NULL'}, schema wants ${wantNullable ? 'NULL' : 'NOT NULL'}`);
    }
    problems.push(...defaultDrift(where, field, column));
  }

  const known = new Set(stored.map(columnOf));
  for (const name of columns.keys()) {
    if (!known.has(name)) problems.push(`${table}.${name}: column is not in the schema (model ${model.name})`);
  }

  const tableIndexes = db.indexes.filter((i) => i.table === table);
  const same = (a: string[], b: string[]) => a.length === b.length && a.every((v, i) => v === b[i]);

  const idFields = model.primaryKey?.fields ?? model.fields.filter((f) => f.isId).map((f) => f.name);
  const pk = tableIndexes.find((i) => i.primary);
  if (idFields.length === 0) problems.push(`model ${model.name} has no @id`);
  else if (!pk) problems.push(`${table}: has no primary key, schema wants (${columnNames(idFields).join(', ')})`);
  else if (!same(pk.columns, columnNames(idFields))) {
    problems.push(`${table}: primary key is (${pk.columns.join(', ')}), schema wants (${columnNames(idFields).join(', ')})`);
  }

  // A unique index enforces uniqueness over the whole table only when it is not partial and not on expressions.
  const enforcing = tableIndexes.filter((i) => i.unique && !i.partial && !i.expression);
  const declared = schemaIndexes.filter((i) => i.model === model.name);
  const uniqueSets = declared.filter((i) => i.type === 'unique').map((i) => columnNames(i.fields.map((f) => f.name)));
  for (const wanted of uniqueSets) {
    if (!enforcing.some((i) => same(i.columns, wanted))) {
      problems.push(`${table}: no unique index on exactly (${wanted.join(', ')})`);
    }
  }
  const declaredUnique = [columnNames(idFields), ...uniqueSets];
  for (const index of enforcing) {
    if (!declaredUnique.some((cols) => same(cols, index.columns))) {
      problems.push(`${table}: unique index ${index.name} on (${index.columns.join(', ')}) is not declared in the schema`);
    }
  }
  for (const normal of declared.filter((i) => i.type === 'normal')) {
    const wanted = columnNames(normal.fields.map((f) => f.name));
    if (!tableIndexes.some((i) => !i.partial && !i.expression && same(i.columns, wanted))) {
      problems.push(`${table}: no index on (${wanted.join(', ')}) for @@index`);
    }
  }

  for (const relation of model.fields.filter((f) => f.kind === 'object' && (f.relationFromFields?.length ?? 0) > 0)) {
    const target = models.find((m) => m.name === relation.type)!;
    const fromCols = columnNames(relation.relationFromFields!);
    const toCols = relation.relationToFields!.map((n) => columnOf(target.fields.find((f) => f.name === n)!));
    const fk = db.foreignKeys.find((k) => k.table === table && same(k.columns, fromCols));
    const label = `${table}(${fromCols.join(', ')}) -> ${tableOf(target)}(${toCols.join(', ')})`;
    if (!fk) {
      problems.push(`${label}: foreign key is missing`);
      continue;
    }
    if (fk.refTable !== tableOf(target) || !same(fk.refColumns, toCols)) {
      problems.push(`${label}: foreign key ${fk.name} references ${fk.refTable}(${fk.refColumns.join(', ')})`);
    }
    // Prisma's default: Restrict for a required relation, SetNull for an optional one.
    const onDelete = relation.relationOnDelete ?? (relation.isRequired ? 'Restrict' : 'SetNull');
    if (fk.onDelete !== onDeleteCodes[onDelete]) {
      problems.push(`${label}: ON DELETE is '${fk.onDelete}', schema wants ${onDelete} ('${onDeleteCodes[onDelete]}')`);
    }
  }
  return problems;
}

/** Defaults the database must apply itself: autoincrement, now() and literals. uuid() and friends are filled in by Prisma Client. */
function defaultDrift(where: string, field: DmmfField, column: Column): string[] {
  if (!field.hasDefaultValue) return [];
  const def = field.default;
  if (def !== null && typeof def === 'object' && 'name' in def) {
    const fn = (def as { name: string }).name;
    if (fn === 'autoincrement' && !(column.identity || /^nextval\(/.test(column.default ?? ''))) {
      return [`${where}: schema says autoincrement(), column has no sequence default`];
    }
    if (fn === 'now' && !/now\(\)|current_timestamp/i.test(column.default ?? '')) {
      return [`${where}: schema says now(), column default is ${column.default ?? 'none'}`];
    }
    if (fn === 'dbgenerated' && column.default === null) return [`${where}: schema says dbgenerated(), column has no default`];
    return [];
  }
  if (column.default === null || !column.default.includes(String(def))) {
    return [`${where}: schema default is ${JSON.stringify(def)}, column default is ${column.default ?? 'none'}`];
  }
  return [];
}

/** Enums of the schema against the enum types of the database, both ways. */
function enumDrift(db: Snapshot): string[] {
  const problems: string[] = [];
  for (const e of enums) {
    const name = e.dbName ?? e.name;
    const actual = db.enums.get(name);
    const wanted = e.values.map((v) => v.dbName ?? v.name);
    if (!actual) problems.push(`enum type ${name} (enum ${e.name}) does not exist`);
    else if (actual.join(',') !== wanted.join(',')) {
      problems.push(`enum type ${name}: values are [${actual.join(', ')}], schema wants [${wanted.join(', ')}]`);
    }
  }
  const known = new Set(enums.map((e) => e.dbName ?? e.name));
  for (const name of db.enums.keys()) if (!known.has(name)) problems.push(`enum type ${name} is not in the schema`);
  return problems;
}

function extraTables(db: Snapshot): string[] {
  const known = new Set(models.map(tableOf));
  return [...db.columns.keys()].filter((t) => !known.has(t) && !TOOL_TABLES.has(t)).map((t) => `table ${t} is not in the schema`);
}

function allDrift(db: Snapshot): string[] {
  return [...models.flatMap((m) => modelDrift(m, db)), ...enumDrift(db), ...extraTables(db)];
}

const report = (problems: string[]) => `schema.prisma and the migrated database differ:\n  ${problems.join('\n  ')}`;

describe('prisma/schema.prisma against the dbmate-migrated database', () => {
  let database: TestDatabase;
  let client: pg.Client;
  let snapshot: Snapshot;

  beforeAll(async () => {
    database = await createTestDatabase();
    client = new pg.Client({ connectionString: database.url });
    await client.connect();
    snapshot = await introspect(client);
  });

  afterAll(async () => {
    await client?.end();
    await database?.drop();
  });

  it('parses the schema into the models and enums the app uses', () => {
    expect(models.map((m) => m.name).sort()).toEqual(['CheckResult', 'Incident', 'Monitor', 'User']);
    expect(enums.map((e) => e.name)).toEqual(['MonitorStatus']);
    for (const model of models) expect(model.fields.filter((f) => f.kind === 'scalar').length).toBeGreaterThan(2);
    // The introspection sees the migrated tables, so an empty result cannot pass for "no drift".
    expect([...snapshot.columns.keys()].sort()).toEqual(['check_results', 'incidents', 'monitors', 'schema_migrations', 'users']);
  });

  it.each(models.map((m) => [m.name, m] as const))('model %s matches its table', (_name, model) => {
    const problems = modelDrift(model, snapshot);
    expect(problems, report(problems)).toEqual([]);
  });

  it('every enum exists with the same values in the same order', () => {
    const problems = enumDrift(snapshot);
    expect(problems, report(problems)).toEqual([]);
    expect(snapshot.enums.get('monitor_status')).toEqual(['PENDING', 'UP', 'DOWN']);
  });

  it('the database has no tables the schema does not know', () => {
    const problems = extraTables(snapshot);
    expect(problems, report(problems)).toEqual([]);
  });

  it('keeps the constraint Prisma cannot model: one open incident per monitor', () => {
    const partial = snapshot.indexes.find((i) => i.name === 'incidents_one_open_per_monitor');
    expect(partial).toMatchObject({ table: 'incidents', unique: true, partial: true, columns: ['monitor_id'] });
  });

  it('reports drift when the database differs (checked on an altered copy, rolled back)', async () => {
    await client.query('BEGIN');
    try {
      await client.query(`
        ALTER TABLE users ADD COLUMN nickname text;
        ALTER TABLE monitors ALTER COLUMN last_error SET NOT NULL;
        ALTER TABLE check_results ALTER COLUMN latency_ms TYPE bigint;
        ALTER TABLE incidents DROP COLUMN cause;
        ALTER TABLE monitors ALTER COLUMN next_check_at TYPE timestamp(3);
        ALTER TABLE monitors ALTER COLUMN paused DROP DEFAULT;
        DROP INDEX users_email_key;
        CREATE UNIQUE INDEX monitors_url_key ON monitors (url);
        DROP INDEX check_results_checked_at_idx;
        ALTER TABLE monitors DROP CONSTRAINT monitors_user_id_fkey;
        ALTER TYPE monitor_status ADD VALUE 'PAUSED';
        CREATE TABLE audit_log (id bigint);
      `);
      const drift = allDrift(await introspect(client));
      expect(drift.sort()).toEqual(
        [
          'users.nickname: column is not in the schema (model User)',
          'monitors.last_error (Monitor.lastError): is NOT NULL, schema wants NULL',
          'check_results.latency_ms (CheckResult.latencyMs): type is bigint, schema wants integer',
          'incidents.cause (Incident.cause): column is missing',
          'monitors.next_check_at (Monitor.nextCheckAt): type is timestamp without time zone, schema wants timestamp with time zone',
          'monitors.paused (Monitor.paused): schema default is false, column default is none',
          'users: no unique index on exactly (email)',
          'monitors: unique index monitors_url_key on (url) is not declared in the schema',
          'check_results: no index on (checked_at) for @@index',
          'monitors(user_id) -> users(id): foreign key is missing',
          'enum type monitor_status: values are [PENDING, UP, DOWN, PAUSED], schema wants [PENDING, UP, DOWN]',
          'table audit_log is not in the schema',
        ].sort(),
      );
    } finally {
      await client.query('ROLLBACK');
    }
    // The rollback restored the migrated state.
    expect(allDrift(await introspect(client))).toEqual([]);
  });
});
