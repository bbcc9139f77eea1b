export * from './database.module';
export * from './role-transaction';
export * from './database-health';
export * from './request-role';
export * from './request-context';
export * from './sql-runner';
export * from './sql-escape';
export { translateDatabaseError, DataExceptionError } from './database-errors';
