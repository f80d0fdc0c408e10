/**
 * The proxy for a request URL from the environment, as Go resolves it
 * (net/http.ProxyFromEnvironment, golang.org/x/net/http/httpproxy), which is
 * what kubectl uses when the kubeconfig has no proxy-url. Pure.
 *
 * - HTTPS_PROXY, then https_proxy, for https URLs; HTTP_PROXY, then http_proxy,
 *   for http URLs (ignored, as in Go, when REQUEST_METHOD says this is CGI).
 *   A value without a scheme means http://.
 * - NO_PROXY, then no_proxy: comma-separated `*`, IPs (`10.0.0.1`, `[::1]:443`),
 *   CIDRs (`10.0.0.0/8`), and domains (`example.com` matches it and its
 *   subdomains, `.example.com` and `*.example.com` only the subdomains), each
 *   with an optional `:port`.
 * - localhost and loopback addresses are never proxied.
 */
import net from 'node:net'

type Matcher = (host: string, port: string, ip: string | undefined) => boolean

export function proxyFromEnvironment(target: string, env: NodeJS.ProcessEnv): string | undefined {
  const url = new URL(target)
  const scheme = url.protocol.replace(/:$/, '')
  let proxy: string | undefined
  if (scheme === 'https') proxy = envAny(env, 'HTTPS_PROXY', 'https_proxy')
  else if (scheme === 'http' && !env.REQUEST_METHOD) proxy = envAny(env, 'HTTP_PROXY', 'http_proxy')
  const parsed = proxy ? parseProxy(proxy) : undefined
  if (!parsed) return undefined
  const host = url.hostname.replace(/^\[(.*)\]$/, '$1').toLowerCase()
  const port = url.port || (scheme === 'https' ? '443' : '80')
  return useProxy(host, port, envAny(env, 'NO_PROXY', 'no_proxy') ?? '') ? parsed : undefined
}

function envAny(env: NodeJS.ProcessEnv, ...names: string[]): string | undefined {
  for (const name of names) {
    const value = env[name]
    if (value) return value
  }
  return undefined
}

function parseProxy(value: string): string | undefined {
  for (const candidate of [value, `http://${value}`]) {
    try {
      const url = new URL(candidate)
      if (url.host) return url.href.replace(/\/$/, '')
    } catch {
      // Go tries again with http:// in front; so do we.
    }
  }
  return undefined
}

function useProxy(host: string, port: string, noProxy: string): boolean {
  if (host === 'localhost') return false
  const ip = net.isIP(host) ? host : undefined
  if (ip && isLoopback(ip)) return false
  const matchers = noProxyMatchers(noProxy)
  return !matchers.some((m) => m(host, port, ip))
}

function isLoopback(ip: string): boolean {
  return net.isIPv4(ip) ? ip.startsWith('127.') : ip === '::1' || /^::ffff:127\./i.test(ip)
}

export function noProxyMatchers(noProxy: string): Matcher[] {
  const matchers: Matcher[] = []
  for (const raw of noProxy.split(',')) {
    const p = raw.trim().toLowerCase()
    if (p === '') continue
    if (p === '*') return [() => true]
    const cidr = parseCidr(p)
    if (cidr) {
      matchers.push((_h, _p, ip) => ip !== undefined && cidr.check(ip, net.isIPv4(ip) ? 'ipv4' : 'ipv6'))
      continue
    }
    let [entryHost, entryPort] = splitHostPort(p) ?? [p, '']
    if (entryHost === '') continue
    entryHost = entryHost.replace(/^\[(.*)\]$/, '$1')
    if (net.isIP(entryHost)) {
      const wanted = entryHost
      matchers.push(
        (_h, port, ip) => ip !== undefined && sameIp(ip, wanted) && (entryPort === '' || entryPort === port),
      )
      continue
    }
    if (entryHost.startsWith('*.')) entryHost = entryHost.slice(1)
    const matchHost = !entryHost.startsWith('.')
    const suffix = matchHost ? `.${entryHost}` : entryHost
    matchers.push(
      (host, port, ip) =>
        ip === undefined &&
        (host.endsWith(suffix) || (matchHost && host === suffix.slice(1))) &&
        (entryPort === '' || entryPort === port),
    )
  }
  return matchers
}

/** Go's net.SplitHostPort for a NO_PROXY entry: `host:port` or `[v6]:port`; undefined without a port. */
function splitHostPort(p: string): [string, string] | undefined {
  const bracketed = /^(\[[^\]]*\]):(\d*)$/.exec(p)
  if (bracketed) return [bracketed[1] as string, bracketed[2] as string]
  const colon = p.lastIndexOf(':')
  if (colon === -1 || p.indexOf(':') !== colon) return undefined
  return [p.slice(0, colon), p.slice(colon + 1)]
}

function parseCidr(p: string): net.BlockList | undefined {
  const match = /^([^/]+)\/(\d{1,3})$/.exec(p)
  if (!match) return undefined
  const [, address, bits] = match as unknown as [string, string, string]
  const family = net.isIP(address)
  const prefix = Number(bits)
  if (family === 0 || prefix > (family === 4 ? 32 : 128)) return undefined
  const list = new net.BlockList()
  list.addSubnet(address, prefix, family === 4 ? 'ipv4' : 'ipv6')
  return list
}

function sameIp(a: string, b: string): boolean {
  if (a === b) return true
  const list = new net.BlockList()
  list.addAddress(b, net.isIPv4(b) ? 'ipv4' : 'ipv6')
  return list.check(a, net.isIPv4(a) ? 'ipv4' : 'ipv6')
}
