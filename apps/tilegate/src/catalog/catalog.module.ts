import { Module } from '@nestjs/common';
import { AuthModule } from '../auth/auth.module';
import { CatalogController } from './catalog.controller';
import { CatalogPagesController } from './catalog-pages.controller';
import { CatalogService } from './catalog.service';
import { LayerRegistry } from './layer-registry';
import { PreviewModule } from '../preview/preview.module';

@Module({
  imports: [AuthModule, PreviewModule],
  controllers: [CatalogController, CatalogPagesController],
  providers: [CatalogService, LayerRegistry],
  exports: [LayerRegistry, CatalogService],
})
export class CatalogModule {}
