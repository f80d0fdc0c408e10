import http from 'node:http'
import https from 'node:https'
import tls from 'node:tls'
import { type ApiStatus, ApiStatusError, ConnectionError } from '../errors/cli-error.js'
import { fileErrorReason, quotePath } from '../errors/user-text.js'
import type { Connection } from './kubeconfig.js'
import { klogHeader, LOG_REQUEST_HEADERS, LOG_REQUESTS, requestLine, responseLine } from './request-log.js'
import { ServerClock } from './server-clock.js'
import { stderrAllowsColor, WarningPrinter } from './warnings.js'

export interface KubeRequest {
  method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE'
  path: string
  query?: Record<string, string | number | boolean | undefined>
  /** A JSON-serialisable object, or a Buffer that is sent as is and zeroed afterwards. */
  body?: unknown
  contentType?: string
  accept?: string
  /** What the request does, for error messages: verb, resource and namespace. */
  describe: { verb: string; resource: string; namespace?: string }
}

const TLS_CODES = new Set([
  'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
  'UNABLE_TO_GET_ISSUER_CERT_LOCALLY',
  'DEPTH_ZERO_SELF_SIGNED_CERT',
  'SELF_SIGNED_CERT_IN_CHAIN',
  'CERT_HAS_EXPIRED',
  'CERT_NOT_YET_VALID',
  'ERR_TLS_CERT_ALTNAME_INVALID',
  'ERR_SSL_WRONG_VERSION_NUMBER',
  'EPROTO',
])

/**
 * A small Kubernetes REST client on Node's https, with auth from client-node's
 * KubeConfig (client certificates, bearer tokens, exec plugins). It exists so
 * that we control the bytes on the wire (request bodies holding secret data are
 * Buffers, zeroed once sent) and turn every failure into a one-line error.
 */
export class KubeClient {
  private agentOptions?: https.RequestOptions
  /** The API server's clock, read from the Date header of every response. */
  readonly serverClock = new ServerClock()

  constructor(readonly connection: Connection) {}

  get namespace(): string {
    return this.connection.namespace
  }

  async request<T = unknown>(req: KubeRequest): Promise<T> {
    const { status, body } = await this.raw(req)
    if (status >= 200 && status < 300) {
      return (body.length === 0 ? undefined : JSON.parse(body.toString('utf8'))) as T
    }
    throw new ApiStatusError(parseStatus(status, body), req.describe)
  }

  /**
   * The API server's time now (see ServerClock). Asks `/version`, which every
   * authenticated user may read, when no response has told it yet.
   */
  async serverNow(): Promise<Date> {
    const known = this.serverClock.now()
    if (known) return known
    await this.raw({ method: 'GET', path: '/version', describe: { verb: 'get', resource: 'version' } })
    const now = this.serverClock.now()
    if (!now) throw new ConnectionError('other', 'the API server did not send its time (no Date header)')
    return now
  }

  /** Sends the request and returns status and body without interpreting them. */
  async raw(req: KubeRequest): Promise<{ status: number; body: Buffer; headers: http.IncomingHttpHeaders }> {
    const base = await this.baseOptions()
    const url = new URL(this.connection.server.replace(/\/+$/, '') + req.path)
    for (const [k, v] of Object.entries(req.query ?? {})) {
      if (v !== undefined) url.searchParams.set(k, String(v))
    }
    const payload = encodeBody(req.body)
    const headers: http.OutgoingHttpHeaders = {
      ...(base.headers as http.OutgoingHttpHeaders),
      Accept: req.accept ?? 'application/json',
      'User-Agent': 'kubectl-safe-secret',
    }
    if (payload) {
      headers['Content-Type'] = req.contentType ?? 'application/json'
      headers['Content-Length'] = payload.length
    }
    if (this.connection.impersonateUser) headers['Impersonate-User'] = this.connection.impersonateUser
    if (this.connection.impersonateGroups.length > 0)
      headers['Impersonate-Group'] = this.connection.impersonateGroups
    if (this.connection.impersonateUid) headers['Impersonate-Uid'] = this.connection.impersonateUid
    for (const [key, values] of Object.entries(this.connection.impersonateExtra ?? {})) {
      // As client-go: the key is percent-encoded into the header name.
      headers[`Impersonate-Extra-${encodeURIComponent(key)}`] = values
    }

    const transport = url.protocol === 'http:' ? http : https
    const timeoutMs = this.connection.requestTimeoutMs
    const verbosity = this.connection.verbosity
    const started = Date.now()
    const target = { verb: req.method, url: url.href }
    if (verbosity >= LOG_REQUEST_HEADERS) this.log(requestLine(req.method, url.href, headers))
    let status = ''
    try {
      return await new Promise((resolve, reject) => {
        const request = transport.request(
          url,
          { ...base, method: req.method, headers, ...(timeoutMs > 0 ? { timeout: timeoutMs } : {}) },
          (res) => {
            status = `${res.statusCode} ${res.statusMessage ?? ''}`.trim()
            if (verbosity >= LOG_REQUESTS) {
              this.log(responseLine(verbosity, target, status, Date.now() - started, res.headers))
            }
            this.serverClock.observe(res.headers.date)
            serverWarnings().handle(res.rawHeaders)
            const chunks: Buffer[] = []
            res.on('data', (c: Buffer) => chunks.push(c))
            res.on('end', () =>
              resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks), headers: res.headers }),
            )
            res.on('error', reject)
            res.on('aborted', () =>
              reject(Object.assign(new Error('response aborted'), { code: 'ECONNRESET' })),
            )
          },
        )
        request.on('timeout', () => {
          request.destroy(Object.assign(new Error('timeout'), { code: 'ETIMEDOUT' }))
        })
        request.on('error', reject)
        request.end(payload)
      })
    } catch (err) {
      // kubectl logs a request that got no answer as a response with an empty status.
      if (verbosity >= LOG_REQUESTS && status === '') {
        this.log(responseLine(verbosity, target, '', Date.now() - started, undefined))
      }
      throw toConnectionError(err, url, timeoutMs)
    } finally {
      // The body may hold secret data: do not leave it in memory longer than needed.
      payload?.fill(0)
      if (Buffer.isBuffer(req.body)) req.body.fill(0)
    }
  }

  private log(line: string): void {
    process.stderr.write(`${klogHeader(new Date(), process.pid)} ${line}\n`)
  }

  private async baseOptions(): Promise<https.RequestOptions> {
    if (!this.agentOptions) {
      const opts: https.RequestOptions = {}
      try {
        await this.connection.kubeConfig.applyToHTTPSOptions(opts)
        // client-node's agent has keep-alive off, so every request would pay a new TLS
        // handshake: a reap of 10,000 Secrets ran at ~100/s instead of ~390/s.
        // Idle keep-alive sockets are unref'd by Node, so they never hold the CLI open.
        if (opts.agent instanceof https.Agent) {
          const agent = opts.agent as https.Agent & { keepAlive: boolean; options: https.AgentOptions }
          agent.keepAlive = true
          agent.options.keepAlive = true
          // Not a proxy agent: connections are made by https.Agent itself.
          if (agent.constructor === https.Agent) shareSecureContext(opts, agent)
        }
      } catch (err) {
        throw new ConnectionError('other', `cannot authenticate: ${authFailure(err)}`, { cause: err })
      }
      this.agentOptions = opts
    }
    return { ...this.agentOptions, headers: { ...(this.agentOptions.headers ?? {}) } }
  }
}

/** The TLS options https.Agent names its connection pools by in full (as base64, for a Buffer). */
const KEY_MATERIAL = ['ca', 'cert', 'key', 'pfx', 'passphrase', 'crl'] as const

/**
 * Hands the agent and every request one TLS secure context instead of the CA,
 * certificate and key it is built from. An https.Agent finds a request's
 * connection pool by a name made of the TLS options: with a Buffer CA that name
 * held the CA in base64 (3 KiB here) and was rebuilt three times per request,
 * a fifth of all that a reap allocated (126 of 618 MB for 10,000 deletions),
 * which made V8 grow its young generation. A secure context goes into the name
 * as a short id. It is what tls.connect would build from the same options, at
 * every new connection; material it cannot use is left in place, so the
 * connection reports it as before.
 */
function shareSecureContext(
  opts: https.RequestOptions,
  agent: https.Agent & { options: https.AgentOptions },
): void {
  const options = agent.options as Record<string, unknown>
  const request = opts as Record<string, unknown>
  if (!KEY_MATERIAL.some((k) => request[k] !== undefined || options[k] !== undefined)) return
  let secureContext: tls.SecureContext
  try {
    // The agent's options win over a request's, as in https.Agent's addRequest.
    secureContext = tls.createSecureContext({ ...opts, ...agent.options } as tls.SecureContextOptions)
  } catch {
    return
  }
  for (const k of KEY_MATERIAL) {
    delete request[k]
    delete options[k]
  }
  request.secureContext = secureContext
  agent.options.secureContext = secureContext
}

/** One printer for the whole run, so that each warning text is printed once, as kubectl does. */
let warningPrinter: WarningPrinter | undefined
function serverWarnings(): WarningPrinter {
  warningPrinter ??= new WarningPrinter(
    (line) => process.stderr.write(line),
    stderrAllowsColor(process.stderr, process.env),
  )
  return warningPrinter
}

/**
 * Why the credentials could not be prepared. A file that cannot be read (a
 * --certificate-authority, --client-certificate or --client-key, or the kubeconfig's)
 * is named only when its path is plain: it was typed, and may be a misplaced value.
 */
function authFailure(err: unknown): string {
  const { code, path: file, message } = err as NodeJS.ErrnoException
  if (code && typeof file === 'string') {
    return `cannot read ${quotePath(file)}: ${fileErrorReason(code) ?? code}`
  }
  return String(message ?? err).split('\n')[0] ?? ''
}

function encodeBody(body: unknown): Buffer | undefined {
  if (body === undefined) return undefined
  if (Buffer.isBuffer(body)) return Buffer.from(body)
  return Buffer.from(JSON.stringify(body), 'utf8')
}

function parseStatus(code: number, body: Buffer): ApiStatus {
  try {
    const parsed = JSON.parse(body.toString('utf8')) as ApiStatus
    if (parsed && typeof parsed === 'object' && parsed.kind === 'Status')
      return { ...parsed, code: parsed.code ?? code }
  } catch {
    // Not JSON: a proxy or a load balancer answered. Fall through.
  }
  const text = body.toString('utf8').trim().split('\n')[0]?.slice(0, 200)
  return { code, message: text || `the server returned HTTP ${code}` }
}

function toConnectionError(err: unknown, url: URL, timeoutMs: number): ConnectionError {
  const e = err as NodeJS.ErrnoException
  const host = url.host
  const code = e.code ?? ''
  if (code === 'ECONNREFUSED') {
    return new ConnectionError(
      'refused',
      `The connection to the server ${host} was refused - did you specify the right host or port?`,
      { cause: err },
    )
  }
  if (code === 'ENOTFOUND' || code === 'EAI_AGAIN') {
    return new ConnectionError(
      'dns',
      `Unable to connect to the server: cannot resolve host ${url.hostname}`,
      { cause: err },
    )
  }
  if (code === 'ETIMEDOUT') {
    const after = timeoutMs > 0 ? ` within ${timeoutMs / 1000}s` : ''
    return new ConnectionError('timeout', `Unable to connect to the server ${host}: no answer${after}`, {
      hint: 'check the server address, or raise --request-timeout',
      cause: err,
    })
  }
  if (TLS_CODES.has(code) || /certificate|SSL|TLS/i.test(e.message ?? '')) {
    return new ConnectionError('tls', `Unable to connect to the server ${host}: TLS error: ${e.message}`, {
      hint: "check the cluster's certificate-authority in your kubeconfig",
      cause: err,
    })
  }
  if (code === 'ECONNRESET' || code === 'EPIPE') {
    return new ConnectionError(
      'reset',
      `The connection to the server ${host} was closed before the response completed`,
      {
        hint: 'the request may or may not have been applied: check before retrying',
        cause: err,
      },
    )
  }
  return new ConnectionError('other', `Unable to connect to the server ${host}: ${e.message}`, { cause: err })
}
