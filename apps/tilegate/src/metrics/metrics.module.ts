import { Module } from '@nestjs/common';
import { HttpMetrics } from './http-metrics';
import { MetricsController } from './metrics.controller';
import { CacheMetrics } from './cache-metrics';
import { CacheModule } from '../cache/cache.module';

/** Imported only when EnableMetrics is on: off, there is no /metrics route at all. */
@Module({ imports: [CacheModule], controllers: [MetricsController], providers: [HttpMetrics, CacheMetrics], exports: [HttpMetrics] })
export class MetricsModule {}
