import { DynamicModule, Global, Module } from '@nestjs/common';
import { TilegateConfig } from './tilegate-config';

/** Injection token for the validated configuration. */
export const TILEGATE_CONFIG = Symbol('TILEGATE_CONFIG');

/** Makes the configuration loaded at start injectable everywhere (`@Inject(TILEGATE_CONFIG)`). */
@Global()
@Module({})
export class ConfigModule {
  static forRoot(config: TilegateConfig): DynamicModule {
    return { module: ConfigModule, providers: [{ provide: TILEGATE_CONFIG, useValue: config }], exports: [TILEGATE_CONFIG] };
  }
}
