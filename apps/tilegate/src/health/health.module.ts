import { DynamicModule, Module } from '@nestjs/common';
import { healthControllerAt } from './health.controller';

@Module({})
export class HealthModule {
  static at(path: string): DynamicModule {
    return { module: HealthModule, controllers: [healthControllerAt(path)] };
  }
}
