import { Module } from '@nestjs/common';
import { CatalogModule } from '../catalog/catalog.module';
import { SharedTiles } from './shared-tiles';
import { TileCache } from './tile-cache.service';
import { WatchedLayers } from './watched-layers';

/** The tile cache: memory, the shared Redis level and the invalidation listener (docs/scaling.md). */
@Module({
  imports: [CatalogModule],
  providers: [TileCache, SharedTiles, WatchedLayers],
  exports: [TileCache],
})
export class CacheModule {}
