import { Controller, Get, Param, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { PageResponse, PreviewPages } from './preview-pages';

/** `/`, `/index.html` and the pages' assets. (`/{layer}.html` shares its route with `/{layer}.json`.) */
@ApiExcludeController()
@Controller()
export class PreviewController {
  constructor(private readonly pages: PreviewPages) {}

  @Get()
  root(@Res() reply: FastifyReply): Promise<void> {
    return send(reply, this.pages.page('index'));
  }

  @Get('index.html')
  index(@Res() reply: FastifyReply): Promise<void> {
    return send(reply, this.pages.page('index'));
  }

  @Get('assets/:file')
  asset(@Param('file') file: string, @Res() reply: FastifyReply): Promise<void> {
    return send(reply, this.pages.asset(file));
  }
}

export async function send(reply: FastifyReply, page: PageResponse): Promise<void> {
  await reply.headers(page.headers).send(page.body);
}
