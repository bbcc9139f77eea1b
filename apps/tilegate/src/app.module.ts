import { DynamicModule, Module } from '@nestjs/common';
import { ConfigModule, TilegateConfig } from '@app/config';
import { DatabaseModule } from '@app/database';
import { AuthModule } from './auth/auth.module';
import { CatalogModule } from './catalog/catalog.module';
import { TilesModule } from './tiles/tiles.module';
import { HealthModule } from './health/health.module';
import { MetricsModule } from './metrics/metrics.module';
import { SignInModule } from './auth/sign-in/sign-in.module';

@Module({})
export class AppModule {
  static forRoot(config: TilegateConfig): DynamicModule {
    return {
      module: AppModule,
      imports: [ConfigModule.forRoot(config), DatabaseModule, AuthModule, CatalogModule, TilesModule, SignInModule, HealthModule.at(config.healthEndpoint), ...(config.enableMetrics ? [MetricsModule] : [])],
    };
  }
}
