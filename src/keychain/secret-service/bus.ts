/**
 * A D-Bus session bus connection with promises and deadlines. dbus-native does
 * the wire protocol; this file adds what it lacks for a CLI: a clear error for
 * each way the bus can be missing, and a timeout on every call so that nothing
 * hangs (an activatable provider that never starts would otherwise block).
 */
import net from 'node:net'
import { KeychainError, noSessionBus } from '../errors.js'
import type { BusEndpoint } from './bus-address.js'
import { findSessionBus } from './bus-address.js'

/** A D-Bus error reply: `name` is the D-Bus error name, e.g. org.freedesktop.DBus.Error.ServiceUnknown. */
export class DBusCallError extends Error {
  readonly dbusName: string
  constructor(dbusName: string, message: string) {
    super(`${dbusName}: ${message}`)
    this.name = 'DBusCallError'
    this.dbusName = dbusName
  }
}

export interface MethodCall {
  destination: string
  path: string
  interface: string
  member: string
  signature?: string
  body?: unknown[]
}

interface NativeBus {
  name?: string | null
  connection: { on(event: string, cb: (arg?: unknown) => void): void; end(): void }
  invoke(
    msg: MethodCall,
    cb: (err: { name?: string; message?: string } | null, ...body: unknown[]) => void,
  ): void
}

export interface BusOptions {
  env?: NodeJS.ProcessEnv
  /** Deadline for connecting and authenticating. */
  connectTimeoutMs?: number
  /** Default deadline for each call. */
  callTimeoutMs?: number
}

export class SessionBus {
  private closed = false
  private failure: Error | undefined

  private constructor(
    private readonly native: NativeBus,
    private readonly socket: net.Socket,
    private readonly callTimeoutMs: number,
  ) {
    native.connection.on('error', (err) => {
      this.failure = err instanceof Error ? err : new Error(String(err))
    })
  }

  static async connect(options: BusOptions = {}): Promise<SessionBus> {
    const lookup = findSessionBus(options.env ?? process.env)
    if (!lookup.ok) throw noSessionBus(lookup.detail)
    const connectTimeoutMs = options.connectTimeoutMs ?? 1500
    const socket = await openSocket(lookup.endpoint, connectTimeoutMs, lookup.address)
    const dbus = (await import('@homebridge/dbus-native')).default as unknown as {
      createClient(opts: { stream: net.Socket }): NativeBus
    }
    const native = dbus.createClient({ stream: socket })
    const bus = new SessionBus(native, socket, options.callTimeoutMs ?? 5000)
    try {
      // Hello is the first call on every connection; answering it proves the peer is a bus.
      await bus.call(
        {
          destination: 'org.freedesktop.DBus',
          path: '/org/freedesktop/DBus',
          interface: 'org.freedesktop.DBus',
          member: 'GetId',
        },
        connectTimeoutMs,
      )
    } catch (err) {
      bus.close()
      if (err instanceof KeychainError) {
        throw noSessionBus(`the bus at ${lookup.address} did not answer within ${connectTimeoutMs} ms`)
      }
      throw noSessionBus(
        `the bus at ${lookup.address} refused us: ${err instanceof Error ? err.message : String(err)}`,
      )
    }
    return bus
  }

  /** One method call; resolves with the reply body, rejects with DBusCallError or a timeout KeychainError. */
  call(msg: MethodCall, timeoutMs = this.callTimeoutMs): Promise<unknown[]> {
    if (this.closed) return Promise.reject(new Error('the D-Bus connection is closed'))
    if (this.failure) return Promise.reject(this.failure)
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        reject(
          new KeychainError(
            'timeout',
            `the keychain did not answer within ${timeoutMs} ms (${msg.interface}.${msg.member} on ${msg.destination})`,
            {
              hint: 'check that your Secret Service provider (gnome-keyring, KeePassXC) is running and responsive',
            },
          ),
        )
      }, timeoutMs)
      const onClose = () => {
        clearTimeout(timer)
        reject(this.failure ?? new Error('the D-Bus connection closed'))
      }
      this.socket.once('close', onClose)
      this.native.invoke(msg, (err, ...body) => {
        clearTimeout(timer)
        this.socket.off('close', onClose)
        if (err) reject(new DBusCallError(err.name ?? 'org.freedesktop.DBus.Error.Failed', err.message ?? ''))
        else resolve(body)
      })
    })
  }

  close(): void {
    if (this.closed) return
    this.closed = true
    this.socket.destroy()
  }
}

function openSocket(endpoint: BusEndpoint, timeoutMs: number, address: string): Promise<net.Socket> {
  return new Promise((resolve, reject) => {
    const socket =
      endpoint.kind === 'path'
        ? net.createConnection(endpoint.path)
        : endpoint.kind === 'abstract'
          ? net.createConnection(`\0${endpoint.name}`)
          : net.createConnection(endpoint.port, endpoint.host)
    const timer = setTimeout(() => {
      socket.destroy()
      reject(noSessionBus(`connecting to ${address} took longer than ${timeoutMs} ms`))
    }, timeoutMs)
    socket.once('connect', () => {
      clearTimeout(timer)
      socket.removeAllListeners('error')
      // Later socket errors surface through the bus connection.
      socket.on('error', () => {})
      resolve(socket)
    })
    socket.once('error', (err: NodeJS.ErrnoException) => {
      clearTimeout(timer)
      socket.destroy()
      const why =
        endpoint.kind === 'abstract'
          ? `${err.code ?? err.message}; abstract sockets are out of reach for Node.js 20: use a bus on a socket file`
          : err.code === 'ECONNREFUSED'
            ? 'nothing is listening there'
            : err.code === 'ENOENT'
              ? 'the socket does not exist'
              : err.message
      reject(noSessionBus(`cannot connect to ${address}: ${why}`))
    })
  })
}

/** The value inside a D-Bus variant as dbus-native returns it: [[signature], [value]]. */
export function variantValue<T>(variant: unknown): T {
  const v = variant as [unknown, unknown[]]
  return v[1]?.[0] as T
}

/** a{ss} as dbus-native returns it ([[k, v], ...]) to a plain object. */
export function dictFromPairs(pairs: unknown): Record<string, string> {
  const out: Record<string, string> = {}
  for (const pair of (pairs as [string, string][]) ?? []) out[pair[0]] = pair[1]
  return out
}
