// Typed domain errors. Services throw these; server/http/error-handler.ts maps them to HTTP.

export interface Issue {
  path: string
  message: string
}

export class DomainError extends Error {
  readonly statusCode: number
  readonly data: Record<string, unknown> | undefined
  readonly headers: Record<string, string>

  constructor(statusCode: number, message: string, data?: Record<string, unknown>, headers: Record<string, string> = {}) {
    super(message)
    this.name = new.target.name
    this.statusCode = statusCode
    this.data = data
    this.headers = headers
  }
}

export class InvalidInput extends DomainError {
  constructor(issues: Issue[], message = describeIssues(issues), extra: Record<string, unknown> = {}) {
    super(400, message, { issues, ...extra })
  }
}

export class Unauthorized extends DomainError {
  constructor(message = 'Authentication required') {
    super(401, message)
  }
}

export class Forbidden extends DomainError {
  constructor(message = 'Not allowed') {
    super(403, message)
  }
}

export class NotFound extends DomainError {
  constructor(what = 'Resource') {
    super(404, `${what} not found`)
  }
}

export class Conflict extends DomainError {
  constructor(message: string, data?: Record<string, unknown>) {
    super(409, message, data)
  }
}

export class RateLimited extends DomainError {
  constructor(retryAfterSeconds: number, message = 'Too many requests, try again later') {
    const seconds = Math.max(1, Math.ceil(retryAfterSeconds))
    super(429, message, { retry_after: seconds }, { 'Retry-After': String(seconds) })
  }
}

export class PayloadTooLarge extends DomainError {
  constructor(maxBytes: number) {
    super(413, `Request body too large (at most ${maxBytes} bytes)`, { max_bytes: maxBytes })
  }
}

export class MethodNotAllowed extends DomainError {
  constructor(method: string, allowed: string[]) {
    super(405, `Method ${method} is not allowed here (allowed: ${allowed.join(', ')})`, { allowed }, { Allow: allowed.join(', ') })
  }
}

export class Unavailable extends DomainError {
  constructor(message: string) {
    super(503, message)
  }
}

function describeIssues(issues: Issue[]): string {
  const first = issues[0]
  if (!first) return 'Invalid request'
  const where = first.path ? `${first.path}: ` : ''
  const more = issues.length > 1 ? ` (and ${issues.length - 1} more)` : ''
  return `Invalid request: ${where}${first.message}${more}`
}

export function isDomainError(error: unknown): error is DomainError {
  return error instanceof DomainError
}
