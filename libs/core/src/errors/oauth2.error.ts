/**
 * The one error family of Hydrant. Every protocol or API failure is an OAuth2Error carrying an RFC 6749 §5.2
 * error code, the HTTP status it maps to, a description that is safe for any caller, an optional hint
 * (also safe) and an optional debug text that reaches callers only when debug output is enabled.
 *
 * No framework imports: the apps' exception filters render it as RFC 6749 JSON (public port) or as
 * `{error, error_description, status_code}` (admin port).
 */
export class OAuth2Error extends Error {
  readonly hint?: string;
  readonly debug?: string;

  constructor(
    readonly error: string,
    readonly description: string,
    readonly statusCode: number,
    options: { hint?: string; debug?: string } = {},
  ) {
    super(options.hint ? `${description} ${options.hint}` : description);
    this.name = 'OAuth2Error';
    this.hint = options.hint;
    this.debug = options.debug;
  }

  /** A copy with a hint that tells the caller what exactly was wrong. */
  withHint(hint: string): OAuth2Error {
    return new OAuth2Error(this.error, this.description, this.statusCode, { hint, debug: this.debug });
  }

  /** A copy with internal detail, shown only when debug output is enabled. */
  withDebug(debug: string): OAuth2Error {
    return new OAuth2Error(this.error, this.description, this.statusCode, { hint: this.hint, debug });
  }

  /** The description a caller sees: the generic text followed by the hint. */
  get fullDescription(): string {
    return this.hint ? `${this.description} ${this.hint}` : this.description;
  }
}
