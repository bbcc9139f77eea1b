import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { CONFIG_KEYS } from '../../libs/config/src';

/** The configuration reference in the README lists every key, with the default the code uses. */
describe('README configuration reference', () => {
  const readme = readFileSync(join(__dirname, '..', '..', 'README.md'), 'utf8');
  const rows = new Map(
    [...readme.matchAll(/^\| `(\w+)` \|\s*([^|]*?)\s*\|/gm)].map((m) => [m[1], m[2].trim()]),
  );

  it.each(Object.keys(CONFIG_KEYS))('documents %s', (key) => {
    expect(rows.has(key)).toBe(true);
  });

  it.each(Object.entries(CONFIG_KEYS).filter(([, spec]) => typeof spec.default === 'number'))('gives the default of %s', (key, spec) => {
    expect(rows.get(key)).toBe(String(spec.default));
  });

  it('starts with the demo and test commands', () => {
    const [demo, test] = readme.split('```sh\n')[1].split('\n');
    expect(demo).toMatch(/^npm ci && npm run demo/);
    expect(test).toMatch(/^npm ci && npm test/);
  });
});
