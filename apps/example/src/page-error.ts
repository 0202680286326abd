/** A failure shown to the user as a page with this status, title and explanation. */
export class PageError extends Error {
  constructor(
    readonly status: number,
    readonly title: string,
    readonly explanation: string,
  ) {
    super(explanation);
  }
}
