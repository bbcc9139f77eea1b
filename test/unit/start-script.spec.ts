import { execFileSync } from 'node:child_process';
import { chmodSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const ROOT = join(__dirname, '..', '..');
const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8'));

/** scripts/start.sh (`npm start`) with a stand-in `node` that prints what it was started with. */
describe('npm start (scripts/start.sh)', () => {
  let bin: string;
  beforeAll(() => {
    bin = mkdtempSync(join(tmpdir(), 'tilegate-start-'));
    writeFileSync(join(bin, 'node'), '#!/bin/sh\necho "arenas=${MALLOC_ARENA_MAX-unset} mmap=${MALLOC_MMAP_THRESHOLD_-unset} argv=$*"\n');
    chmodSync(join(bin, 'node'), 0o755);
  });
  afterAll(() => rmSync(bin, { recursive: true, force: true }));

  const start = (env: Record<string, string>, args: string[] = []): string =>
    execFileSync('sh', [join(ROOT, 'scripts', 'start.sh'), ...args], {
      cwd: ROOT,
      env: { PATH: `${bin}:/usr/bin:/bin`, npm_package_config_nodeFlags: pkg.config.nodeFlags, npm_package_config_mallocEnv: pkg.config.mallocEnv, ...env },
      encoding: 'utf8',
    }).trim();

  it("starts the built server with package.json's node flags and malloc settings, passing arguments on", () => {
    expect(start({}, ['--config', 'x.toml'])).toBe(
      `arenas=2 mmap=131072 argv=${pkg.config.nodeFlags} dist/apps/tilegate/apps/tilegate/src/main.js --config x.toml`,
    );
  });

  it('leaves a MALLOC_* value the caller set as it is', () => {
    expect(start({ MALLOC_ARENA_MAX: '8' })).toMatch(/^arenas=8 mmap=131072 /);
    expect(start({ MALLOC_MMAP_THRESHOLD_: '' })).toMatch(/^arenas=2 mmap= /);
  });

  it('refuses to run outside npm, where the flags would be missing', () => {
    expect(() => execFileSync('sh', [join(ROOT, 'scripts', 'start.sh')], { env: { PATH: `${bin}:/usr/bin:/bin` }, stdio: 'pipe' })).toThrow(/run this through npm start/);
  });
});
