/** Bad configuration: the start stops with a message that names the key. */
export class ConfigError extends Error {
  constructor(
    readonly key: string,
    reason: string,
  ) {
    super(`${key}: ${reason}`);
    this.name = 'ConfigError';
  }
}
