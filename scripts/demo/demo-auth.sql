-- Sign-in for the demo (JwtTypeIdentifier = auth.jwt_token): users with bcrypt password hashes,
-- and a function that turns a right email and password into the claims of a token. Run after
-- demo-grants.sql; load-demo-data.js inserts the users with their passwords as parameters.
CREATE EXTENSION IF NOT EXISTS pgcrypto;
CREATE SCHEMA auth;

-- Not readable by the anonymous role (nor by any token's role): only auth.authenticate reads it.
CREATE TABLE auth.users (
  email text PRIMARY KEY,
  password_hash text NOT NULL,
  role name NOT NULL,
  sub text NOT NULL UNIQUE,
  -- Read by public.assigned_cities's policy as a JSON array of codes; never NULL, which the
  -- policy's json_array_elements_text would refuse.
  countries text[] NOT NULL DEFAULT '{}'
);
COMMENT ON TABLE auth.users IS 'Demo users; passwords as bcrypt hashes (pgcrypto)';

-- The claims of the demo's tokens: role, sub, and the countries claim the RLS policy reads.
CREATE TYPE auth.jwt_token AS (role text, sub text, countries text[], exp bigint);

-- SECURITY DEFINER to read auth.users for a caller who may not; hence a fixed search_path and
-- qualified names, and NULL (one 401) for an unknown email and a wrong password alike. An unknown
-- email is checked against a dummy hash of the same cost, so the time taken does not tell which
-- emails are users.
CREATE FUNCTION auth.authenticate(email text, password text) RETURNS auth.jwt_token
LANGUAGE sql STABLE STRICT SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
  -- In the select list, not in WHERE: there the planner would drop the outer join, and the hash
  -- with it, for an email that matches no row.
  SELECT CASE WHEN public.crypt(authenticate.password, coalesce(u.password_hash, '$2a$06$3q5k4B/cUB4XAcVy9Rq3r.zn60D5cWqsTgsjeweqSX5qxAfX17lv6')) = u.password_hash
              THEN ROW(u.role, u.sub, u.countries, NULL)::auth.jwt_token END
  FROM (SELECT 1) AS one
  LEFT JOIN auth.users u ON u.email = pg_catalog.lower(authenticate.email)
$$;
COMMENT ON FUNCTION auth.authenticate(text, text) IS 'Sign in with the email and password the demo printed';

REVOKE ALL ON TABLE auth.users FROM PUBLIC;
REVOKE EXECUTE ON FUNCTION auth.authenticate(text, text) FROM PUBLIC;
-- Only the anonymous role signs in; a signed-in role has no sign-in function to call.
GRANT USAGE ON SCHEMA auth TO :anon;
GRANT EXECUTE ON FUNCTION auth.authenticate(text, text) TO :anon;
