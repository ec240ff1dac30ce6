/** An error that knows its HTTP status; services throw it, route handlers serialize it. */
export class HttpError extends Error {
  /** extra.headers: sent with the answer (Retry-After); extra.body: fields added beside `error` (an exec's partial output). */
  constructor(readonly status: number, message: string, readonly extra: { headers?: Record<string, string>; body?: Record<string, unknown> } = {}) {
    super(message);
    this.name = 'HttpError';
  }
}
