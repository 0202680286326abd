/**
 * A failure the command line reports as one line on stderr, with a non-zero exit and no stack trace: a
 * bad argument, an unreadable file, an unreachable endpoint or an error answer of the API.
 */
export class CliError extends Error {
  constructor(
    message: string,
    readonly exitCode = 1,
  ) {
    super(message);
    this.name = 'CliError';
  }
}
