/** How log lines are written: one JSON object per line, or human-readable lines. */
export type LogFormat = 'json' | 'text';

/** The LogFormat setting: `auto` picks text for a terminal and JSON for anything else (a file, a pipe, a collector). */
export type LogFormatSetting = LogFormat | 'auto';

export function resolveLogFormat(setting: LogFormatSetting, stdoutIsTTY: boolean): LogFormat {
  if (setting === 'auto') return stdoutIsTTY ? 'text' : 'json';
  return setting;
}
