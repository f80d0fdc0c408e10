/**
 * Errors the CLI knows how to present: each carries a one-line message for the
 * user, an optional hint, and the process exit code. Messages must never carry
 * a secret value: build them from names, keys, sizes and paths only.
 */
export class CliError extends Error {
  readonly exitCode: number
  readonly hint?: string

  constructor(message: string, options: { exitCode?: number; hint?: string; cause?: unknown } = {}) {
    super(message, { cause: options.cause })
    this.name = 'CliError'
    this.exitCode = options.exitCode ?? 1
    this.hint = options.hint
  }
}

/** Bad input from the user: flags, names, keys, files, sizes. */
export class UsageError extends CliError {
  constructor(message: string, options: { hint?: string; cause?: unknown } = {}) {
    super(message, { ...options, exitCode: 1 })
    this.name = 'UsageError'
  }
}

/** The user pressed Ctrl-C: exit like a shell does for SIGINT. */
export class InterruptedError extends CliError {
  constructor() {
    super('interrupted', { exitCode: 130 })
    this.name = 'InterruptedError'
  }
}

/** A kubeconfig problem: missing context, cluster or user, unreadable file. */
export class KubeconfigError extends CliError {
  constructor(message: string, options: { hint?: string; cause?: unknown } = {}) {
    super(message, options)
    this.name = 'KubeconfigError'
  }
}

/** The request never got an HTTP answer: refused, unreachable, TLS, timeout. */
export class ConnectionError extends CliError {
  readonly kind: 'refused' | 'dns' | 'tls' | 'timeout' | 'reset' | 'other'

  constructor(
    kind: ConnectionError['kind'],
    message: string,
    options: { hint?: string; cause?: unknown } = {},
  ) {
    super(message, options)
    this.name = 'ConnectionError'
    this.kind = kind
  }
}

export interface StatusCause {
  reason?: string
  message?: string
  field?: string
}

/** The shape of a metav1.Status the API server returns with a failed request. */
export interface ApiStatus {
  kind?: string
  status?: string
  message?: string
  reason?: string
  code?: number
  details?: { name?: string; group?: string; kind?: string; causes?: StatusCause[] }
}

/** A non-2xx answer from the API server, carrying its metav1.Status. */
export class ApiStatusError extends CliError {
  readonly code: number
  readonly reason: string
  readonly status: ApiStatus
  readonly verb: string
  readonly resource: string
  readonly namespace?: string

  constructor(
    status: ApiStatus,
    request: { verb: string; resource: string; namespace?: string },
    options: { hint?: string } = {},
  ) {
    const code = status.code ?? 0
    const reason = status.reason || reasonForCode(code)
    super(`Error from server (${reason}): ${status.message ?? `HTTP ${code}`}`, { hint: options.hint })
    this.name = 'ApiStatusError'
    this.code = code
    this.reason = reason
    this.status = status
    this.verb = request.verb
    this.resource = request.resource
    this.namespace = request.namespace
  }
}

function reasonForCode(code: number): string {
  switch (code) {
    case 400:
      return 'BadRequest'
    case 401:
      return 'Unauthorized'
    case 403:
      return 'Forbidden'
    case 404:
      return 'NotFound'
    case 409:
      return 'Conflict'
    case 410:
      return 'Expired'
    case 422:
      return 'Invalid'
    case 429:
      return 'TooManyRequests'
    case 500:
      return 'InternalError'
    case 503:
      return 'ServiceUnavailable'
    case 504:
      return 'Timeout'
    default:
      return `HTTP ${code}`
  }
}

export function isApiStatus(err: unknown, code: number): err is ApiStatusError {
  return err instanceof ApiStatusError && err.code === code
}
