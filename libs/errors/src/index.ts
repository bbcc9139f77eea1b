export * from './tilegate-error';
export * from './domain-errors';
