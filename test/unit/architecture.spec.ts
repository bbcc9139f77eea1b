import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';

const ROOT = join(__dirname, '..', '..');

function sources(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return sources(path);
    return path.endsWith('.ts') && !path.endsWith('.spec.ts') ? [path] : [];
  });
}

/**
 * Features reach the database only through the request's RoleTransaction. This fails if any
 * code outside libs/database imports the driver, the ORM, or the pool, or runs SET ROLE itself.
 */
describe('architecture', () => {
  const appFiles = sources(join(ROOT, 'apps')).concat(sources(join(ROOT, 'libs')).filter((f) => !f.includes(join('libs', 'database'))));

  it('keeps pg, typeorm and the pool inside libs/database', () => {
    const offenders = appFiles.filter((file) => /from '(pg|typeorm)'|require\('(pg|typeorm)'\)|connection-pool/.test(readFileSync(file, 'utf8')));
    expect(offenders.map((f) => relative(ROOT, f))).toEqual([]);
  });

  it('never switches roles at session level', () => {
    const offenders = sources(ROOT === '' ? '.' : join(ROOT, 'apps'))
      .concat(sources(join(ROOT, 'libs')))
      .filter((file) => /SET\s+(SESSION\s+)?ROLE/i.test(readFileSync(file, 'utf8')));
    expect(offenders.map((f) => relative(ROOT, f))).toEqual([]);
  });

  it('imports libraries by alias, never by deep path', () => {
    const offenders = sources(join(ROOT, 'apps')).filter((file) => /from '(\.\.\/)+libs\//.test(readFileSync(file, 'utf8')));
    expect(offenders.map((f) => relative(ROOT, f))).toEqual([]);
  });
});
