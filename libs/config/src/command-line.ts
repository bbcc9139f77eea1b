/** What the command line asks for, as pg_tileserv's flags spell it (main.go:109-126, pborman/getopt v2). */
export interface CommandLine {
  help: boolean;
  version: boolean;
  /** `-c FILE`: use exactly that file (no search). An empty value is no value, as in pg_tileserv. */
  configFile?: string;
  /** `-d`: Debug = true, over the file and the environment. */
  debug: boolean;
  /** `-n`: ShowPreview = false, over the file and the environment. */
  noPreview: boolean;
  /** `-e PATH`: HealthEndpoint, over the file and the environment; an empty value is ignored. */
  healthEndpoint?: string;
  /** Unknown options and options missing their value; the caller prints usage and exits 2. */
  errors: string[];
}

interface OptionSpec {
  short: string;
  long: string;
  /** The placeholder of a value-taking option, as usage shows it. */
  value?: string;
  help: string;
  set: (line: CommandLine, value: string) => void;
}

/** In usage order (getopt sorts by short name). */
const OPTIONS: OptionSpec[] = [
  { short: 'c', long: 'config', value: 'config.toml', help: 'full path to config file', set: (l, v) => void (l.configFile = v || undefined) },
  { short: 'd', long: 'debug', help: 'log debugging information', set: (l) => void (l.debug = true) },
  { short: 'e', long: 'health', value: 'value', help: 'desired path to health endpoint, e.g. "/health"', set: (l, v) => void (l.healthEndpoint = v || l.healthEndpoint) },
  { short: 'h', long: 'help', help: 'display help output', set: (l) => void (l.help = true) },
  { short: 'n', long: 'no-preview', help: 'hide web interface', set: (l) => void (l.noPreview = true) },
  { short: 'v', long: 'version', help: 'display version number', set: (l) => void (l.version = true) },
];

/**
 * Reads `-h/--help`, `-v/--version`, `-c FILE` (`-cFILE`, `--config=FILE`, `--config FILE`),
 * `-d/--debug`, `-n/--no-preview` and `-e PATH` (`--health=PATH`, `--health PATH`). Short flags
 * cluster (`-dn`). As with getopt, a value-taking option takes the next argument whatever it is,
 * `--` ends the options, and the first argument that is not an option stops parsing (the rest are
 * ignored, as pg_tileserv ignores them).
 */
export function parseCommandLine(argv: string[]): CommandLine {
  const line: CommandLine = { help: false, version: false, debug: false, noPreview: false, errors: [] };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (arg === '--') break;
    if (arg.startsWith('--')) {
      const eq = arg.indexOf('=');
      const name = eq < 0 ? arg.slice(2) : arg.slice(2, eq);
      const option = OPTIONS.find((o) => o.long === name);
      if (!option) line.errors.push(`unknown option: --${name}`);
      else if (!option.value && eq >= 0) line.errors.push(`option --${name} takes no value`);
      else if (!option.value) option.set(line, '');
      else if (eq >= 0) option.set(line, arg.slice(eq + 1));
      else if (i + 1 < argv.length) option.set(line, argv[++i]);
      else line.errors.push(`missing parameter for --${name}`);
    } else if (arg.startsWith('-') && arg.length > 1) {
      for (let at = 1; at < arg.length; at++) {
        const option = OPTIONS.find((o) => o.short === arg[at]);
        if (!option) {
          line.errors.push(`unknown option: -${arg[at]}`);
        } else if (!option.value) {
          option.set(line, '');
        } else {
          // The rest of this argument is the value (-cFILE), else the next argument (-c FILE).
          if (at + 1 < arg.length) option.set(line, arg.slice(at + 1));
          else if (i + 1 < argv.length) option.set(line, argv[++i]);
          else line.errors.push(`missing parameter for -${option.short}`);
          break;
        }
      }
    } else {
      break;
    }
  }
  return line;
}

/** Help text in the shape of pg_tileserv's (getopt's usage, help column 20). */
export function usage(program = 'tilegate'): string {
  const flags = OPTIONS.filter((o) => !o.value).map((o) => o.short).join('');
  const valued = OPTIONS.filter((o) => o.value).map((o) => `[-${o.short} ${o.value}]`).join(' ');
  const lines = [`Usage: ${program} [-${flags}] ${valued} [parameters ...]`];
  for (const o of OPTIONS) {
    const head = ` -${o.short}, --${o.long}${o.value ? `=${o.value}` : ''}`;
    lines.push(head.length < 19 ? `${head.padEnd(19)}${o.help}` : `${head}\n${' '.repeat(19)}${o.help}`);
  }
  return `${lines.join('\n')}\n`;
}
