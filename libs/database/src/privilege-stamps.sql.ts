/**
 * One row per layer relation ($1) and function ($2), and a row for oid 0: a stamp that changes
 * whenever anything that decides what a role may read of it changes. Every catalog row UPDATE
 * gets a new xmin, so the sum of xmins moves on GRANT and REVOKE (relacl, attacl, nspacl,
 * proacl), on column changes, on ENABLE/DISABLE ROW LEVEL SECURITY and on policy changes; VACUUM
 * and ANALYZE update pg_class in place (same xmin), so they do not. A view's stamp covers every
 * relation it reads, recursively (their owner's privileges decide what the view shows). Oid 0
 * covers role membership and role attributes (SUPERUSER, INHERIT, BYPASSRLS), and carries the
 * primary's WAL insert position so read replicas can be waited for. Index lookups only; prepared once per
 * connection, it costs PostgreSQL about 35 µs.
 */
export const PRIVILEGE_STAMPS_SQL = `
WITH RECURSIVE reads(layer, rel) AS (
  SELECT l, l FROM pg_catalog.unnest($1::pg_catalog.oid[]) AS l
  UNION
  SELECT reads.layer, d.refobjid
  FROM reads
  JOIN pg_catalog.pg_rewrite w ON w.ev_class = reads.rel
  JOIN pg_catalog.pg_depend d ON d.classid = 'pg_catalog.pg_rewrite'::pg_catalog.regclass AND d.objid = w.oid
    AND d.refclassid = 'pg_catalog.pg_class'::pg_catalog.regclass AND d.refobjid OPERATOR(pg_catalog.<>) reads.rel
)
SELECT reads.layer::pg_catalog.int8 AS oid,
  pg_catalog.string_agg(pg_catalog.concat_ws('.', c.oid, c.xmin, n.xmin,
    (SELECT pg_catalog.sum(a.xmin::pg_catalog.text::pg_catalog.int8) FROM pg_catalog.pg_attribute a WHERE a.attrelid = c.oid),
    (SELECT pg_catalog.count(*) OPERATOR(pg_catalog.||) '/' OPERATOR(pg_catalog.||) pg_catalog.sum(p.xmin::pg_catalog.text::pg_catalog.int8) FROM pg_catalog.pg_policy p WHERE p.polrelid = c.oid),
    (SELECT pg_catalog.sum(w.xmin::pg_catalog.text::pg_catalog.int8) FROM pg_catalog.pg_rewrite w WHERE w.ev_class = c.oid)
  ), ';' ORDER BY c.oid) AS stamp,
  pg_catalog.bool_or(c.relrowsecurity) FILTER (WHERE c.oid = reads.layer) AS row_security
FROM reads
JOIN pg_catalog.pg_class c ON c.oid = reads.rel
JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
GROUP BY reads.layer
UNION ALL
SELECT f.oid::pg_catalog.int8, pg_catalog.concat_ws('.', f.oid, f.xmin, n.xmin), false
FROM pg_catalog.pg_proc f JOIN pg_catalog.pg_namespace n ON n.oid = f.pronamespace
WHERE f.oid OPERATOR(pg_catalog.=) ANY ($2::pg_catalog.oid[])
UNION ALL
SELECT 0, pg_catalog.concat_ws(':',
    (SELECT pg_catalog.count(*) OPERATOR(pg_catalog.||) '/' OPERATOR(pg_catalog.||) coalesce(pg_catalog.sum(m.xmin::pg_catalog.text::pg_catalog.int8), 0) FROM pg_catalog.pg_auth_members m),
    (SELECT pg_catalog.md5(pg_catalog.string_agg(pg_catalog.concat(r.oid, '/', r.rolname, r.rolsuper, r.rolinherit, r.rolbypassrls), ',' ORDER BY r.oid)) FROM pg_catalog.pg_roles r)),
  false
UNION ALL
SELECT -1, pg_catalog.pg_current_wal_insert_lsn()::pg_catalog.text, false
`;
