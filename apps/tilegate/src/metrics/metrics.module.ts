import { Module } from '@nestjs/common';
import { HttpMetrics } from './http-metrics';
import { MetricsController } from './metrics.controller';

/** Imported only when EnableMetrics is on: off, there is no /metrics route at all. */
@Module({ controllers: [MetricsController], providers: [HttpMetrics], exports: [HttpMetrics] })
export class MetricsModule {}
