import { Module } from '@nestjs/common';
import { AuthModule } from '../auth/auth.module';
import { CatalogModule } from '../catalog/catalog.module';
import { TilesController } from './tiles.controller';
import { TilesService } from './tiles.service';

@Module({
  imports: [AuthModule, CatalogModule],
  controllers: [TilesController],
  providers: [TilesService],
})
export class TilesModule {}
