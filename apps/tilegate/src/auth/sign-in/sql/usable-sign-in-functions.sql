-- Of the sign-in functions ($1: their oids), those the CURRENT role may EXECUTE, in schemas it
-- may use: answered as the request's role, per request. Everything is named by its schema.
SELECT coalesce(pg_catalog.array_agg(f.oid::pg_catalog.int8), '{}') AS oids
FROM pg_catalog.unnest($1::pg_catalog.oid[]) AS f(oid)
JOIN pg_catalog.pg_proc p ON p.oid OPERATOR(pg_catalog.=) f.oid
WHERE pg_catalog.has_function_privilege(f.oid, 'EXECUTE')
  AND pg_catalog.has_schema_privilege(p.pronamespace, 'USAGE')
