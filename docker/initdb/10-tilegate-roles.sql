-- Roles for tilegate, created once when the postgis container initialises its data directory.
-- Change the password (and DATABASE_URL in docker-compose.yml) before exposing anything.
CREATE EXTENSION IF NOT EXISTS postgis;
CREATE ROLE tilegate_authenticator LOGIN NOINHERIT PASSWORD 'change-me';
CREATE ROLE anonymous_user NOLOGIN;
GRANT anonymous_user TO tilegate_authenticator;
-- Publish a table to everyone:        GRANT SELECT ON my_table TO anonymous_user;
-- Add a role tokens may name:          CREATE ROLE editor NOLOGIN; GRANT editor TO tilegate_authenticator;
