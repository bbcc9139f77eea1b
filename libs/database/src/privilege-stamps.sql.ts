/**
 * What decides a role's reading of one relation `c`, as catalog row versions (see below): the
 * relation, its schema, its columns, its policies, and what its policies read (the relations,
 * their columns, and the functions a policy names: pg_depend records them).
 */
const RELATION_STAMP = `pg_catalog.concat_ws('.', c.oid, c.xmin,
    (SELECT n.xmin FROM pg_catalog.pg_namespace n WHERE n.oid OPERATOR(pg_catalog.=) c.relnamespace),
    (SELECT pg_catalog.sum(a.xmin::pg_catalog.text::pg_catalog.int8) FROM pg_catalog.pg_attribute a WHERE a.attrelid OPERATOR(pg_catalog.=) c.oid),
    (SELECT pg_catalog.count(*) OPERATOR(pg_catalog.||) '/' OPERATOR(pg_catalog.||) pg_catalog.sum(p.xmin::pg_catalog.text::pg_catalog.int8) FROM pg_catalog.pg_policy p WHERE p.polrelid OPERATOR(pg_catalog.=) c.oid),
    (SELECT pg_catalog.string_agg(pg_catalog.concat_ws('/', d.refobjid, rc.xmin,
        (SELECT pg_catalog.sum(ra.xmin::pg_catalog.text::pg_catalog.int8) FROM pg_catalog.pg_attribute ra WHERE ra.attrelid OPERATOR(pg_catalog.=) rc.oid),
        (SELECT rn.xmin FROM pg_catalog.pg_namespace rn WHERE rn.oid OPERATOR(pg_catalog.=) rc.relnamespace), rp.xmin), ',' ORDER BY d.refobjid)
      FROM pg_catalog.pg_policy p
      JOIN pg_catalog.pg_depend d ON d.classid OPERATOR(pg_catalog.=) 'pg_catalog.pg_policy'::pg_catalog.regclass AND d.objid OPERATOR(pg_catalog.=) p.oid AND d.refobjid OPERATOR(pg_catalog.<>) c.oid
      LEFT JOIN pg_catalog.pg_class rc ON d.refclassid OPERATOR(pg_catalog.=) 'pg_catalog.pg_class'::pg_catalog.regclass AND rc.oid OPERATOR(pg_catalog.=) d.refobjid
      LEFT JOIN pg_catalog.pg_proc rp ON d.refclassid OPERATOR(pg_catalog.=) 'pg_catalog.pg_proc'::pg_catalog.regclass AND rp.oid OPERATOR(pg_catalog.=) d.refobjid
      WHERE p.polrelid OPERATOR(pg_catalog.=) c.oid))`;

/** The functions a relation's rewrite rules (a view's query) call, with their row versions. */
const RULE_FUNCTIONS = `(SELECT pg_catalog.string_agg(rp.oid OPERATOR(pg_catalog.||) '/' OPERATOR(pg_catalog.||) rp.xmin::pg_catalog.text, ',' ORDER BY rp.oid)
      FROM pg_catalog.pg_rewrite w
      JOIN pg_catalog.pg_depend d ON d.classid OPERATOR(pg_catalog.=) 'pg_catalog.pg_rewrite'::pg_catalog.regclass AND d.objid OPERATOR(pg_catalog.=) w.oid AND d.refclassid OPERATOR(pg_catalog.=) 'pg_catalog.pg_proc'::pg_catalog.regclass
      JOIN pg_catalog.pg_proc rp ON rp.oid OPERATOR(pg_catalog.=) d.refobjid
      WHERE w.ev_class OPERATOR(pg_catalog.=) c.oid)`;

/** Tables: their own stamp. */
const TABLES = (param: string) => `
SELECT c.oid::pg_catalog.int8 AS oid, ${RELATION_STAMP} AS stamp, c.relrowsecurity AS row_security
FROM pg_catalog.pg_class c WHERE c.oid OPERATOR(pg_catalog.=) ANY (ARRAY[${param}])`;

/** Views (and anything else with rewrite rules): the stamps of every relation they read, recursively, of their rules and of the functions those call. */
const VIEWS = (param: string) => `
SELECT reads.layer::pg_catalog.int8 AS oid, pg_catalog.string_agg(${RELATION_STAMP} OPERATOR(pg_catalog.||) '.' OPERATOR(pg_catalog.||)
    coalesce((SELECT pg_catalog.sum(w.xmin::pg_catalog.text::pg_catalog.int8) FROM pg_catalog.pg_rewrite w WHERE w.ev_class OPERATOR(pg_catalog.=) c.oid)::pg_catalog.text, '')
    OPERATOR(pg_catalog.||) '.' OPERATOR(pg_catalog.||) coalesce(${RULE_FUNCTIONS}, ''), ';' ORDER BY c.oid) AS stamp,
  pg_catalog.bool_or(c.relrowsecurity) FILTER (WHERE c.oid OPERATOR(pg_catalog.=) reads.layer) AS row_security
FROM (WITH RECURSIVE reads(layer, rel) AS (
    SELECT l, l FROM (VALUES ${param}) AS asked(l)
    UNION
    SELECT reads.layer, d.refobjid
    FROM reads, pg_catalog.pg_rewrite w, pg_catalog.pg_depend d
    WHERE w.ev_class OPERATOR(pg_catalog.=) reads.rel AND d.classid OPERATOR(pg_catalog.=) 'pg_catalog.pg_rewrite'::pg_catalog.regclass AND d.objid OPERATOR(pg_catalog.=) w.oid
      AND d.refclassid OPERATOR(pg_catalog.=) 'pg_catalog.pg_class'::pg_catalog.regclass AND d.refobjid OPERATOR(pg_catalog.<>) reads.rel
  ) SELECT * FROM reads) AS reads
, LATERAL (SELECT c.oid, c.xmin, c.relnamespace, c.relrowsecurity FROM pg_catalog.pg_class c WHERE c.oid OPERATOR(pg_catalog.=) reads.rel OFFSET 0) AS c
GROUP BY reads.layer`;

/** Functions: their own row and their schema's. */
const FUNCTIONS = (param: string) => `
SELECT f.oid::pg_catalog.int8 AS oid, pg_catalog.concat_ws('.', f.oid, f.xmin, (SELECT n.xmin FROM pg_catalog.pg_namespace n WHERE n.oid OPERATOR(pg_catalog.=) f.pronamespace)) AS stamp, false AS row_security
FROM pg_catalog.pg_proc f WHERE f.oid OPERATOR(pg_catalog.=) ANY (ARRAY[${param}])`;

/**
 * The login role, every role membership (each row and its version) and every role's name and the
 * attributes that decide reading (superuser, inherit, bypass RLS); and the primary's WAL insert
 * position. Exact lists, hashed: sums of oids let two changes cancel out (BYPASSRLS moved from
 * two roles to two others whose oids sum the same), and a key holds the role's name, which
 * PostgreSQL resolves to an oid per request, so a rename (two roles swapping names) must move the
 * stamp too. pg_roles has no xmin (it is a view). Measured with 2,015 roles: 2.0 ms a read
 * against 0.7 for the sums; with tens of roles, nothing to see. Every part names its columns: a
 * UNION takes them from its first part, which may be any of these.
 */
const ROLES_AND_LSN = `
SELECT 0 AS oid, pg_catalog.concat_ws(':',
    -- Who is asking: two deployments with other login roles on one database and one Redis must
    -- never share a tile (the roles each may switch to, and what each may read itself, differ).
    session_user,
    (SELECT pg_catalog.md5(coalesce(pg_catalog.string_agg(pg_catalog.concat_ws('/', m.roleid, m.member, m.grantor, m.xmin), ',' ORDER BY m.roleid, m.member, m.grantor), ''))
      FROM pg_catalog.pg_auth_members m),
    (SELECT pg_catalog.md5(pg_catalog.string_agg(pg_catalog.concat_ws('/', r.oid, pg_catalog.quote_ident(r.rolname), r.rolsuper, r.rolinherit, r.rolbypassrls), ',' ORDER BY r.oid))
      FROM pg_catalog.pg_roles r)) AS stamp,
  false AS row_security
UNION ALL
SELECT -1 AS oid, pg_catalog.pg_current_wal_insert_lsn()::pg_catalog.text AS stamp, false AS row_security`;


/**
 * The read's snapshot, and the server session it was taken in: the postmaster's start, the
 * backend's pid and its start. A snapshot compares only with one of the same session's. Another
 * server's xids (a promoted standby that lost the old primary's last commits, behind a pooler
 * whose client connection survived the failover) or the same server's after a crash restart
 * (which may have lost unflushed commits) can repeat a text whose commits were different.
 */
const SESSION_SNAPSHOT = `pg_catalog.concat_ws('/', pg_catalog.pg_current_snapshot(), pg_catalog.pg_postmaster_start_time(), pg_catalog.pg_backend_pid(),
    (SELECT a.backend_start FROM pg_catalog.pg_stat_get_activity(pg_catalog.pg_backend_pid()) a))`;

/**
 * The read's session snapshot alone (see SESSION_SNAPSHOT), and whether the server is a standby.
 * When it equals a full read's of the same session, nothing has committed since that read, so
 * its stamps are still PostgreSQL's answer. Without the full read's plan around it, PostgreSQL
 * sets up one tiny plan instead of every part of the stamp statement, skipped or not (see
 * privilegeStampsStatement). Measured (2026-12-07, two tables, a round trip, alternating rounds):
 * 144-299 µs against 327-475 for the stamp statement that finds nothing changed; warm hits with
 * a token, four alternating rounds: about half the PostgreSQL CPU per hit, and 1.07-1.54 times
 * the tiles/s at concurrency 8.
 */
export const SNAPSHOT_CHECK: StampStatement = {
  name: 'tilegate_stamps_snapshot_v1',
  text: `SELECT ${SESSION_SNAPSHOT} AS snapshot, pg_catalog.pg_is_in_recovery() AS recovering`,
  values: [],
};

export interface StampStatement {
  /** A prepared statement's name: one per shape (how many tables, views, functions). */
  name: string;
  text: string;
  /** The oids asked about; then the snapshot of the read remembered for them, or null (see below). */
  values: Array<number | string | null>;
}

/** The row that carries the read's own snapshot (pg_current_snapshot), in every answer. */
export const SNAPSHOT_ROW_OID = -2;

/**
 * The statement that reads privilege stamps for these tables, views and functions: one row each,
 * and rows 0 and -1 (roles, WAL position), unless nothing changed (below). A stamp changes
 * whenever anything that decides what a role may read of the layer changes: every catalog row
 * UPDATE gets a new xmin, so the xmins move
 * on GRANT and REVOKE (relacl, attacl, nspacl, proacl), on column changes, on ENABLE/DISABLE ROW
 * LEVEL SECURITY and on policy changes; VACUUM and ANALYZE update pg_class in place (same xmin),
 * so they do not. A view's stamp covers every relation it reads (their owner's privileges decide
 * what it shows).
 * Measured (µs a round trip, one table): a prepared statement with one scalar parameter per oid
 * 111, with an oid[] parameter 180-228 (its generic plan), unprepared 193-360 (planning the role
 * part alone costs 170). So: prepared, one parameter per oid, and only the parts asked for
 * (PostgreSQL sets up every part of a plan, even one with no rows, and the view part costs about
 * 200 µs); a statement per shape.
 *
 * Every answer also has the read's snapshot (row -2, pg_current_snapshot: xmin, xmax and the
 * transactions in progress, with the session it was taken in). Two snapshots of one server with
 * the same text see exactly the same committed transactions: a transaction that commits after
 * the first was either in progress then (and leaves the list) or began later (and moves xmax past
 * its id). So when the snapshot equals `rememberedSnapshot`, the snapshot of an earlier read of
 * the same oids in the same session, every catalog row is as that read saw it, and the statement
 * answers with the snapshot row alone (PostgreSQL skips the rest as a one-time filter). Any commit
 * anywhere in the cluster, a GRANT or not, means a full read; so does a hot standby, whose
 * pg_current_snapshot lists no transactions in progress (and where the full read refuses to run:
 * no WAL insert position). Measured (2026-12-06, two tables, a round trip): 185-192 µs unchanged
 * against 233-317 for the full read.
 */
export function privilegeStampsStatement(asked: { tables: number[]; views: number[]; functions: number[] }, rememberedSnapshot: string | null = null): StampStatement {
  const values: Array<number | string | null> = [];
  const params = (oids: number[], wrap: (p: string) => string) =>
    oids
      .map((oid) => {
        values.push(oid);
        return wrap(`$${values.length}::pg_catalog.oid`);
      })
      .join(', ');
  const parts: string[] = [];
  if (asked.tables.length > 0) parts.push(TABLES(params(asked.tables, (p) => p)));
  if (asked.views.length > 0) parts.push(VIEWS(params(asked.views, (p) => `(${p})`)));
  if (asked.functions.length > 0) parts.push(FUNCTIONS(params(asked.functions, (p) => p)));
  parts.push(ROLES_AND_LSN);
  values.push(rememberedSnapshot);
  // texteq, not IS DISTINCT FROM: that resolves `=` through the login role's search_path. Null
  // (nothing remembered) is not TRUE: a full read.
  const text = `
WITH snapshot AS MATERIALIZED (SELECT ${SESSION_SNAPSHOT} AS s, pg_catalog.pg_is_in_recovery() AS recovering)
SELECT (${SNAPSHOT_ROW_OID})::pg_catalog.int8 AS oid, (SELECT s FROM snapshot) AS stamp, false AS row_security
UNION ALL
SELECT stamps.oid, stamps.stamp, stamps.row_security FROM (${parts.join('\nUNION ALL')}) AS stamps
WHERE pg_catalog.texteq((SELECT s FROM snapshot), $${values.length}::pg_catalog.text) IS NOT TRUE OR (SELECT recovering FROM snapshot)`;
  // The version moves with the text: behind a transaction pooler, a server connection may hold
  // another tilegate version's statement by this name, which would run in place of this one.
  return { name: `tilegate_stamps_v3_${asked.tables.length}_${asked.views.length}_${asked.functions.length}`, text, values };
}
