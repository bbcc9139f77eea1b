import { Controller, Get, Inject, Param, Req, Res, UseGuards } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiParam, ApiTags } from '@nestjs/swagger';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { TILEGATE_CONFIG, TilegateConfig } from '@app/config';
import { getRequestRole, RoleTransactions } from '@app/database';
import { LayerNotFoundError, RouteNotFoundError } from '@app/errors';
import { RequestRoleGuard } from '../auth/request-role.guard';
import { RoleDependentRoute } from '../http/api-docs.decorators';
import { roleCacheHeaders } from '../http/cache-headers';
import { layerPath, publicBaseUrl, urlVaryHeaders } from '../http/public-url';
import { CatalogService } from './catalog.service';
import { PreviewPages, sendPage } from '../preview/preview-pages';
import { LayerDocuments } from './layer-documents';
import { RenderedDocumentCache } from './rendered-document-cache';

const LAYER_PARAM = { name: 'layer', description: 'layer id, `schema.name`', example: 'public.countries' };

/** index.json, {layer}.json and TileJSON: thin HTTP over CatalogService. */
@ApiTags('catalog')
@Controller()
@UseGuards(RequestRoleGuard)
export class CatalogController {
  /** A few entries cover the distinct role answers a deployment has; each is one index.json. */
  private readonly renderedIndexes = new RenderedDocumentCache(8);

  constructor(
    @Inject(TILEGATE_CONFIG) private readonly config: TilegateConfig,
    private readonly catalog: CatalogService,
    private readonly pages: PreviewPages,
    private readonly transactions: RoleTransactions,
  ) {}

  @Get('index.json')
  @ApiOperation({ summary: 'Layers visible to the request role', description: 'Keyed by layer id; each entry has type (table or function), id, name, schema, description and detailurl.' })
  @ApiOkResponse({ description: 'layer summaries by id', schema: { type: 'object', additionalProperties: { type: 'object' } } })
  @RoleDependentRoute()
  async index(@Req() request: FastifyRequest, @Res({ passthrough: true }) reply: FastifyReply): Promise<unknown> {
    this.catalogShown();
    const visible = await this.catalog.visibleLayers(this.transactions.forRequest(request));
    this.roleHeaders(request, reply);
    const baseUrl = publicBaseUrl(this.config, request);
    reply.type('application/json; charset=utf-8');
    return this.renderedIndexes.render(`${visible.signature}\u0000${baseUrl}`, () => new LayerDocuments(baseUrl).index(visible.layers));
  }

  @Get(':layer/tilejson.json')
  @ApiOperation({ summary: 'TileJSON 3.0.0 of a layer', description: 'For MapLibre GL and OpenLayers.' })
  @ApiParam(LAYER_PARAM)
  @ApiOkResponse({ description: 'TileJSON 3.0.0', schema: { type: 'object' } })
  @RoleDependentRoute({ status: 404, description: 'no such layer, or not visible to the role' })
  async tileJson(@Param('layer') id: string, @Req() request: FastifyRequest, @Res({ passthrough: true }) reply: FastifyReply): Promise<unknown> {
    const { layer, bounds } = await this.catalog.describe(this.transactions.forRequest(request), id);
    this.roleHeaders(request, reply);
    return this.documents(request).tileJson(layer, bounds);
  }

  @Get(':document')
  @ApiOperation({ summary: 'Detail of a layer: `/{layer}.json`', description: 'Tables: geometrytype, srid, properties, bounds, center, zooms, tileurl. Functions: arguments with types and defaults, tileurl.' })
  @ApiParam({ name: 'document', description: 'layer id followed by `.json` (or `.html`: the map preview page)', example: 'public.countries.json' })
  @ApiOkResponse({ description: 'layer detail', schema: { type: 'object' } })
  @RoleDependentRoute({ status: 404, description: 'no such layer, or not visible to the role' })
  async layer(@Param('document') document: string, @Req() request: FastifyRequest, @Res({ passthrough: true }) reply: FastifyReply): Promise<unknown> {
    // The preview page is the same static shell for every layer: its script asks for the layer as
    // the user. With AssetsPath, pg_tileserv's preview templates, for a layer the role may use.
    if (document.endsWith('.html')) return this.previewPage(document.slice(0, -'.html'.length), request, reply);
    if (!document.endsWith('.json')) throw new LayerNotFoundError(document);
    this.catalogShown();
    const { layer, bounds } = await this.catalog.describe(this.transactions.forRequest(request), document.slice(0, -'.json'.length));
    this.roleHeaders(request, reply);
    const docs = this.documents(request);
    return layer.kind === 'table' ? docs.table(layer, bounds) : docs.function(layer);
  }

  private async previewPage(id: string, request: FastifyRequest, reply: FastifyReply): Promise<void> {
    const templates = this.pages.templates;
    if (!templates) return sendPage(reply, this.pages.page('layer'));
    const { layer } = await this.catalog.describe(this.transactions.forRequest(request), id);
    const docs = this.documents(request);
    const links = { detailUrl: `${publicBaseUrl(this.config, request)}/${layerPath(layer.id)}.json`, tileUrl: docs.tileUrl(layer), minZoom: layer.settings.minZoom, maxZoom: layer.settings.maxZoom };
    const html = layer.kind === 'table' ? templates.table(layer, links) : templates.fn(layer, links);
    return sendPage(reply, this.pages.rendered(html, roleCacheHeaders(getRequestRole(request), this.config.cacheTtlSeconds)));
  }

  /** ShowPreview = false (`--no-preview`) hides index.json and {layer}.json too, as in pg_tileserv; TileJSON stays. */
  private catalogShown(): void {
    if (!this.config.showPreview) throw new RouteNotFoundError();
  }

  private documents(request: FastifyRequest): LayerDocuments {
    return new LayerDocuments(publicBaseUrl(this.config, request));
  }

  private roleHeaders(request: FastifyRequest, reply: FastifyReply): void {
    // CacheTTL applies to the catalog too (as pg_tileserv); GRANTs then show once it has expired.
    // The links come from the request's Host (and proxy headers), so caches must keep them apart by those too.
    const role = getRequestRole(request);
    const headers = roleCacheHeaders(role, this.config.cacheTtlSeconds);
    reply.headers({ ...headers, Vary: [headers.Vary, ...urlVaryHeaders(this.config)].join(', ') });
    // Tells the caller (the web pages' token box) which role answered; it is the caller's own role.
    // Percent-encoded (UTF-8): role names may be in any script, and a header holds only Latin-1.
    reply.header('Tilegate-Role', encodeURIComponent(role?.kind === 'switch' ? role.role : 'login role'));
  }
}
