import { Controller, Get, Inject, Req, Res, UseGuards } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { TILEGATE_CONFIG, TilegateConfig } from '@app/config';
import { getRequestRole, RoleTransactions } from '@app/database';
import { RequestRoleGuard } from '../auth/request-role.guard';
import { roleCacheHeaders } from '../http/cache-headers';
import { layerPath, publicBaseUrl } from '../http/public-url';
import { PreviewPages, sendPage } from '../preview/preview-pages';
import { CatalogService } from './catalog.service';

/**
 * `/` and `/index.html`: tilegate's layer list page (a static shell whose script asks for
 * index.json as the user), or, with AssetsPath, pg_tileserv's index.html template rendered with
 * the layers the request's role may use.
 */
@ApiExcludeController()
@Controller()
@UseGuards(RequestRoleGuard)
export class CatalogPagesController {
  constructor(
    @Inject(TILEGATE_CONFIG) private readonly config: TilegateConfig,
    private readonly catalog: CatalogService,
    private readonly pages: PreviewPages,
    private readonly transactions: RoleTransactions,
  ) {}

  @Get()
  root(@Req() request: FastifyRequest, @Res() reply: FastifyReply): Promise<void> {
    return this.index(request, reply);
  }

  @Get('index.html')
  async index(@Req() request: FastifyRequest, @Res() reply: FastifyReply): Promise<void> {
    const templates = this.pages.templates;
    if (!templates) return sendPage(reply, this.pages.page('index'));
    const base = publicBaseUrl(this.config, request);
    const { layers } = await this.catalog.visibleLayers(this.transactions.forRequest(request));
    const html = templates.index(layers.map((layer) => ({ layer, detailUrl: `${base}/${layerPath(layer.id)}.json` })));
    return sendPage(reply, this.pages.rendered(html, roleCacheHeaders(getRequestRole(request), this.config.cacheTtlSeconds)));
  }
}
