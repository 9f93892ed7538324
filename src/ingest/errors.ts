// A client error with the HTTP status it maps to; the handler turns it into `{ "error": message }`.
export class HttpError extends Error {
  constructor(
    readonly status: 400 | 401 | 403 | 408 | 413 | 415 | 429,
    message: string,
  ) {
    super(message);
  }
}
