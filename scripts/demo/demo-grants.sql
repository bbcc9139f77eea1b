-- Grants of the demo deployment. Run after the data is loaded.
CREATE INDEX ON public.countries USING gist (geom);
CREATE INDEX ON public.cities USING gist (geom);
CREATE INDEX ON public.cities (name text_pattern_ops);
CREATE INDEX ON public.assigned_cities USING gist (geom);
ANALYZE;

GRANT SELECT ON public.countries, public.cities TO :anon, :analyst, :field_user;
GRANT SELECT ON public.assigned_cities TO :anon, :analyst, :field_user;
GRANT USAGE ON SCHEMA internal TO :analyst;
GRANT SELECT ON internal.cities_with_regions TO :analyst;
-- The view reads these as its owner; the analyst needs nothing more.
