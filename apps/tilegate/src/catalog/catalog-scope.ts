import type { CatalogScope } from '@app/config';

/** Placeholder until the configuration's own matcher lands (same branch of work). */
export function inCatalogScope(_scope: CatalogScope, _schema: string, _id: string): boolean {
  return true;
}
