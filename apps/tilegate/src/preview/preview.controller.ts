import { Controller, Get, Param, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { PreviewPages, sendPage } from './preview-pages';

/** `/`, `/index.html` and the pages' assets. (`/{layer}.html` shares its route with `/{layer}.json`.) */
@ApiExcludeController()
@Controller()
export class PreviewController {
  constructor(private readonly pages: PreviewPages) {}

  @Get()
  root(@Res() reply: FastifyReply): Promise<void> {
    return sendPage(reply, this.pages.page('index'));
  }

  @Get('index.html')
  index(@Res() reply: FastifyReply): Promise<void> {
    return sendPage(reply, this.pages.page('index'));
  }

  @Get('assets/:file')
  asset(@Param('file') file: string, @Res() reply: FastifyReply): Promise<void> {
    return sendPage(reply, this.pages.asset(file));
  }
}
