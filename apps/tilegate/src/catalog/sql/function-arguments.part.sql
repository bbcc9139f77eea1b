-- The arguments of function p from argument @first@ on, as function-layers.sql and
-- sign-in-functions.sql both list them (see function-layers.sql for the fields).
  coalesce((
    SELECT json_agg(json_build_object(
             'name', p.proargnames[g.i],
             'type', pg_catalog.format_type(t.oid, NULL),
             'type_schema', tn.nspname,
             'type_name', t.typname,
             'refused', t.typtype = 'p' OR b.oid IN (
               'regclass'::regtype, 'regcollation'::regtype, 'regconfig'::regtype, 'regdictionary'::regtype,
               'regnamespace'::regtype, 'regoper'::regtype, 'regoperator'::regtype, 'regproc'::regtype,
               'regprocedure'::regtype, 'regrole'::regtype, 'regtype'::regtype),
             'default', pg_catalog.pg_get_function_arg_default(p.oid, g.i)) ORDER BY g.i)
    FROM generate_series(@first@, p.pronargs) AS g(i)
    JOIN pg_catalog.pg_type t ON t.oid = p.proargtypes[g.i - 1]
    JOIN pg_catalog.pg_namespace tn ON tn.oid = t.typnamespace
    -- A domain is refused for what it is based on, an array for its elements.
    JOIN pg_catalog.pg_type b ON b.oid = coalesce(nullif((SELECT d.typbasetype FROM pg_catalog.pg_type d WHERE d.oid = coalesce(nullif(t.typelem, 0), t.oid)), 0), nullif(t.typelem, 0), t.oid)
  ), '[]'::json) AS arguments
