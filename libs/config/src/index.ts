export * from './config-error';
export * from './config-keys';
export type { ConfigValue } from './config-values';
export * from './tilegate-config';
export * from './load-config';
export * from './config.module';
export * from './claim-path';
export * from './jwt-keys';
