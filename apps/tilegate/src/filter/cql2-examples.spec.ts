import { CQL2_EXAMPLES, CQL2_REFUSED, cql2ExampleTarget } from './cql2-examples';
import { parseFilter } from './cql-parser';
import { InvalidFilterError } from './filter-error';
import { filterSql } from './filter-sql';
import { WGS84 } from './filter-test-target';

const compile = (name: string, text: string) => filterSql(parseFilter(text), cql2ExampleTarget(name, text, 3857), WGS84);

describe("the CQL2 standard's examples", () => {
  const covered = CQL2_EXAMPLES.filter(([name]) => !(name in CQL2_REFUSED));
  const refused = CQL2_EXAMPLES.filter(([name]) => name in CQL2_REFUSED);

  it('are all here', () => {
    expect(CQL2_EXAMPLES).toHaveLength(120);
    expect(refused).toHaveLength(Object.keys(CQL2_REFUSED).length);
  });

  it.each(covered)('%s, in an implemented class, compiles: %s', (name, text) => {
    expect(compile(name, text)).toMatchSnapshot();
  });

  it.each(refused)('%s, outside them, is a clear 400: %s', (name, text) => {
    let error: unknown;
    try {
      compile(name, text);
    } catch (err) {
      error = err;
    }
    expect(error).toBeInstanceOf(InvalidFilterError);
    expect((error as InvalidFilterError).status).toBe(400);
    expect((error as InvalidFilterError).message.startsWith(CQL2_REFUSED[name])).toBe(true);
  });

  it('give the same SQL as their alternative spellings', () => {
    const sqlOf = (name: string) => compile(name, CQL2_EXAMPLES.find(([n]) => n === name)![1]);
    expect(sqlOf('example46-alt01')).toBe(sqlOf('example46')); // whitespace
    expect(sqlOf('example49-alt01')).toBe(sqlOf('example49')); // POLYGON Z: Z dropped either way
  });
});
