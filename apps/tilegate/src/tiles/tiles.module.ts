import { Module } from '@nestjs/common';
import { AuthModule } from '../auth/auth.module';
import { CatalogModule } from '../catalog/catalog.module';
import { CacheModule } from '../cache/cache.module';
import { TilesController } from './tiles.controller';
import { TilesService } from './tiles.service';

@Module({
  imports: [AuthModule, CatalogModule, CacheModule],
  controllers: [TilesController],
  providers: [TilesService],
})
export class TilesModule {}
