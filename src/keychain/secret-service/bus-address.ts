/**
 * Where the D-Bus session bus is, from DBUS_SESSION_BUS_ADDRESS, without
 * connecting: so that "no bus" gets its own message before any socket work.
 */
import { existsSync } from 'node:fs'

export type BusEndpoint =
  | { kind: 'path'; path: string }
  | { kind: 'abstract'; name: string }
  | { kind: 'tcp'; host: string; port: number }

export type BusLookup = { ok: true; endpoint: BusEndpoint; address: string } | { ok: false; detail: string }

/** Parses a D-Bus server address list (`unix:path=/run/user/1000/bus;tcp:...`), values %-escaped. */
export function parseBusAddress(address: string): BusEndpoint[] {
  const endpoints: BusEndpoint[] = []
  for (const entry of address.split(';')) {
    const colon = entry.indexOf(':')
    if (colon < 0) continue
    const transport = entry.slice(0, colon)
    const params = new Map<string, string>()
    for (const pair of entry.slice(colon + 1).split(',')) {
      const eq = pair.indexOf('=')
      if (eq < 0) continue
      try {
        params.set(pair.slice(0, eq), decodeURIComponent(pair.slice(eq + 1)))
      } catch {
        // a malformed escape: skip this parameter
      }
    }
    if (transport === 'unix') {
      const path = params.get('path')
      const abstract = params.get('abstract')
      if (path) endpoints.push({ kind: 'path', path })
      else if (abstract) endpoints.push({ kind: 'abstract', name: abstract })
    } else if (transport === 'tcp') {
      const port = Number(params.get('port'))
      if (Number.isInteger(port) && port > 0)
        endpoints.push({ kind: 'tcp', host: params.get('host') ?? 'localhost', port })
    }
  }
  return endpoints
}

/** Finds the session bus endpoint to use, or says in words why there is none. */
export function findSessionBus(env: NodeJS.ProcessEnv): BusLookup {
  const address = env.DBUS_SESSION_BUS_ADDRESS
  if (!address) {
    // The well-known per-user socket that systemd and dbus-broker create.
    const runtime = env.XDG_RUNTIME_DIR
    if (runtime && existsSync(`${runtime}/bus`)) {
      return {
        ok: true,
        endpoint: { kind: 'path', path: `${runtime}/bus` },
        address: `unix:path=${runtime}/bus`,
      }
    }
    return { ok: false, detail: 'DBUS_SESSION_BUS_ADDRESS is not set' }
  }
  const endpoints = parseBusAddress(address)
  if (endpoints.length === 0) {
    return { ok: false, detail: `DBUS_SESSION_BUS_ADDRESS has no usable address: ${address}` }
  }
  // Socket files first: Node.js 20 cannot connect to Linux abstract sockets.
  const byPreference = [...endpoints].sort(
    (a, b) => Number(a.kind === 'abstract') - Number(b.kind === 'abstract'),
  )
  for (const endpoint of byPreference) {
    if (endpoint.kind === 'path' && !existsSync(endpoint.path)) continue
    return { ok: true, endpoint, address }
  }
  const first = endpoints[0]
  const where = first?.kind === 'path' ? first.path : address
  return { ok: false, detail: `DBUS_SESSION_BUS_ADDRESS points at ${where}, which does not exist` }
}
