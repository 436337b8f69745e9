/** An error a client may see: a stable code, an HTTP status and a plain-language message. */
export class AppError extends Error {
  constructor(
    readonly code: string,
    readonly status: number,
    message: string,
    readonly details?: unknown,
  ) {
    super(message);
    this.name = new.target.name;
  }
}

export class ValidationError extends AppError {
  constructor(message: string, details?: unknown) {
    super('VALIDATION_FAILED', 400, message, details);
  }
}

/** Also used for objects outside the caller's scope, so that their existence is not revealed. */
export class NotFoundError extends AppError {
  constructor(what = 'The item') {
    super('NOT_FOUND', 404, `${what} was not found.`);
  }
}

export class UnauthenticatedError extends AppError {
  constructor(message = 'Sign in to continue.') {
    super('UNAUTHENTICATED', 401, message);
  }
}

export class ForbiddenError extends AppError {
  constructor(message = 'You do not have access to do this.') {
    super('FORBIDDEN', 403, message);
  }
}

export class ConflictError extends AppError {
  constructor(code: string, message: string, details?: unknown) {
    super(code, 409, message, details);
  }
}

export class UnprocessableError extends AppError {
  constructor(code: string, message: string, details?: unknown) {
    super(code, 422, message, details);
  }
}

export class TooManyRequestsError extends AppError {
  constructor(readonly retryAfterSeconds: number) {
    super('RATE_LIMITED', 429, `Too many attempts. Try again in ${retryAfterSeconds} seconds.`);
  }
}

/** The server is at capacity (image processing, upload memory); the client should retry later. */
export class ServiceBusyError extends AppError {
  constructor(readonly retryAfterSeconds = 10) {
    super('BUSY', 503, 'Samtykke is busy processing other photos. Try again in a moment.');
  }
}
