import { Controller, Get, Param, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { PreviewPages, sendPage } from './preview-pages';

/**
 * The pages' assets. (`/` and `/index.html` are CatalogPagesController's, `/{layer}.html` shares
 * its route with `/{layer}.json`: with AssetsPath templates they show what the request's role sees.)
 */
@ApiExcludeController()
@Controller()
export class PreviewController {
  constructor(private readonly pages: PreviewPages) {}

  @Get('assets/:file')
  asset(@Param('file') file: string, @Res() reply: FastifyReply): Promise<void> {
    return sendPage(reply, this.pages.asset(file));
  }
}
