import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { FunctionLayer, TableLayer } from '../../catalog/layer.types';
import { BUILTINS, GoTemplate, withSprig } from './go-template';
import { functionData, IndexEntry, indexData, PreviewLinks, tableData } from './pg-tileserv-data';

export type { IndexEntry, PreviewLinks } from './pg-tileserv-data';

/** The files pg_tileserv reads from its AssetsPath folder. */
export const TEMPLATE_FILES = { index: 'index.html', table: 'preview-table.html', fn: 'preview-function.html' } as const;

/**
 * pg_tileserv's three HTML pages, from the templates in an AssetsPath folder, rendered with the
 * data pg_tileserv gives them (see pg-tileserv-data.ts). As there, index.html has the sprig
 * functions and the previews only Go's built-ins.
 *
 * `load` reads and parses the three files once and renders each with a sample layer, so a
 * missing file, a syntax error, an unknown function, an action where it cannot be escaped, or
 * a field pg_tileserv does not have is an error naming the file (and line) at start-up.
 */
export class PgTileservTemplates {
  private constructor(
    private readonly indexPage: GoTemplate,
    private readonly tablePage: GoTemplate,
    private readonly functionPage: GoTemplate,
  ) {}

  static load(folder: string): PgTileservTemplates {
    const read = (file: string, sprig: boolean) => {
      const path = join(folder, file);
      let text: string;
      try {
        text = readFileSync(path, 'utf8');
      } catch (e) {
        const code = (e as NodeJS.ErrnoException).code;
        if (code === 'ENOENT') throw new Error(`${path} is missing: AssetsPath must hold ${Object.values(TEMPLATE_FILES).join(', ')}`);
        throw new Error(`${path} cannot be read (${code ?? (e as Error).message})`);
      }
      return GoTemplate.parse(text, path, sprig ? withSprig() : BUILTINS);
    };
    const pages = new PgTileservTemplates(read(TEMPLATE_FILES.index, true), read(TEMPLATE_FILES.table, false), read(TEMPLATE_FILES.fn, false));
    pages.check();
    return pages;
  }

  /** The layer list: every layer the caller lists, whatever its order (pages sort by ID). */
  index(layers: readonly IndexEntry[]): string {
    return this.indexPage.execute(indexData(layers));
  }

  table(layer: TableLayer, links: PreviewLinks): string {
    return this.tablePage.execute(tableData(layer, links));
  }

  fn(layer: FunctionLayer, links: PreviewLinks): string {
    return this.functionPage.execute(functionData(layer, links));
  }

  /** Renders each page once with sample layers: fields are only looked up when a page runs. */
  private check(): void {
    const links: PreviewLinks = { detailUrl: 'http://localhost/public.sample.json', tileUrl: 'http://localhost/public.sample/{z}/{x}/{y}.pbf', minZoom: 0, maxZoom: 22 };
    const attempt = (render: () => string) => {
      try {
        render();
      } catch (e) {
        throw new Error(`${(e as Error).message} (found rendering a sample layer at start-up)`);
      }
    };
    attempt(() => this.index([{ layer: SAMPLE_TABLE, detailUrl: links.detailUrl }, { layer: SAMPLE_FUNCTION, detailUrl: links.detailUrl }]));
    attempt(() => this.table(SAMPLE_TABLE, links));
    attempt(() => this.fn(SAMPLE_FUNCTION, links));
  }
}

const SAMPLE_TABLE: TableLayer = {
  kind: 'table',
  id: 'public.sample',
  oid: 0,
  schema: 'public',
  name: 'sample',
  relkind: 'r',
  description: 'A sample table',
  geometryColumn: 'geom',
  geometryAttnum: 3,
  geometryKind: 'geometry',
  geometryType: 'Point',
  srid: 4326,
  idColumn: 'id',
  properties: [
    { name: 'id', type: 'int4', description: '', attnum: 1 },
    { name: 'name', type: 'text', description: 'A name', attnum: 2 },
  ],
  columnsFingerprint: '',
  settings: { minZoom: 0, maxZoom: 22 },
};

const SAMPLE_FUNCTION: FunctionLayer = {
  kind: 'function',
  id: 'public.sample_fn',
  oid: 0,
  schema: 'public',
  name: 'sample_fn',
  description: 'A sample function',
  arguments: [{ name: 'n', type: 'integer', cast: '"pg_catalog"."int4"', default: '10' }],
  overloads: [{ oid: 0, arguments: [{ name: 'n', type: 'integer', cast: '"pg_catalog"."int4"', default: '10' }] }],
  settings: { minZoom: 0, maxZoom: 22 },
};
