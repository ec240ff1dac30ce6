/** An error that knows its HTTP status; services throw it, route handlers serialize it. */
export class HttpError extends Error {
  constructor(readonly status: number, message: string) {
    super(message);
    this.name = 'HttpError';
  }
}
