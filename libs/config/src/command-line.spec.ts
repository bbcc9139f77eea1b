import { parseCommandLine, usage } from './command-line';

const none = { help: false, version: false, debug: false, noPreview: false, errors: [] };

describe('parseCommandLine', () => {
  it.each([
    [[], {}],
    [['-h'], { help: true }],
    [['--help'], { help: true }],
    [['-v'], { version: true }],
    [['--version'], { version: true }],
    [['-d'], { debug: true }],
    [['--debug'], { debug: true }],
    [['-n'], { noPreview: true }],
    [['--no-preview'], { noPreview: true }],
    [['-dn'], { debug: true, noPreview: true }],
    [['-c', 'a.toml'], { configFile: 'a.toml' }],
    [['-ca.toml'], { configFile: 'a.toml' }],
    [['-dc', 'a.toml'], { debug: true, configFile: 'a.toml' }],
    [['--config=a.toml'], { configFile: 'a.toml' }],
    [['--config', 'a.toml'], { configFile: 'a.toml' }],
    [['--config='], {}],
    [['-e', '/ping'], { healthEndpoint: '/ping' }],
    [['--health=/ping'], { healthEndpoint: '/ping' }],
    [['--health', '/ping'], { healthEndpoint: '/ping' }],
    [['--health='], {}],
    // getopt: an option's value is the next argument, whatever it looks like.
    [['-c', '-d'], { configFile: '-d' }],
    // The first non-option stops parsing; the rest is ignored, as pg_tileserv ignores it.
    [['serve', '--nope'], {}],
    [['--', '-x'], {}],
  ])('%p', (argv, expected) => {
    expect(parseCommandLine(argv)).toEqual({ ...none, ...expected });
  });

  it.each([
    [['--foo'], 'unknown option: --foo'],
    [['-x'], 'unknown option: -x'],
    [['-c'], 'missing parameter for -c'],
    [['--config'], 'missing parameter for --config'],
    [['-e'], 'missing parameter for -e'],
    [['--health'], 'missing parameter for --health'],
    [['--debug=false'], 'option --debug takes no value'],
  ])('reports %p', (argv, error) => {
    expect(parseCommandLine(argv).errors).toEqual([error]);
  });
});

describe('usage', () => {
  it("has pg_tileserv's help text, with the program's name", () => {
    expect(usage('pg_tileserv')).toBe(
      [
        'Usage: pg_tileserv [-dhnv] [-c config.toml] [-e value] [parameters ...]',
        ' -c, --config=config.toml',
        '                   full path to config file',
        ' -d, --debug       log debugging information',
        ' -e, --health=value',
        '                   desired path to health endpoint, e.g. "/health"',
        ' -h, --help        display help output',
        ' -n, --no-preview  hide web interface',
        ' -v, --version     display version number',
        '',
      ].join('\n'),
    );
    expect(usage()).toMatch(/^Usage: tilegate \[-dhnv\]/);
  });
});
