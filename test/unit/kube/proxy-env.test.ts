import { describe, expect, it } from 'vitest'
import { proxyFromEnvironment } from '../../../src/kube/proxy-env.js'

const PROXY = 'http://proxy.corp:3128'

describe("proxyFromEnvironment, as Go's ProxyFromEnvironment", () => {
  it('HTTPS_PROXY wins over https_proxy; an empty upper-case value falls through', () => {
    expect(
      proxyFromEnvironment('https://k.example:6443', { HTTPS_PROXY: PROXY, https_proxy: 'http://other:1' }),
    ).toBe(PROXY)
    expect(
      proxyFromEnvironment('https://k.example:6443', { HTTPS_PROXY: '', https_proxy: 'http://other:1' }),
    ).toBe('http://other:1')
  })

  it('HTTP_PROXY is not used for an https server; it is for http, except under CGI', () => {
    expect(proxyFromEnvironment('https://k.example', { HTTP_PROXY: PROXY })).toBeUndefined()
    expect(proxyFromEnvironment('http://k.example', { HTTP_PROXY: PROXY })).toBe(PROXY)
    expect(
      proxyFromEnvironment('http://k.example', { HTTP_PROXY: PROXY, REQUEST_METHOD: 'GET' }),
    ).toBeUndefined()
  })

  it('a value without a scheme means http://', () => {
    expect(proxyFromEnvironment('https://k.example', { HTTPS_PROXY: 'proxy.corp:3128' })).toBe(PROXY)
  })

  it('localhost and loopback addresses are never proxied', () => {
    for (const server of [
      'https://localhost:6443',
      'https://127.0.0.1:6443',
      'https://127.9.9.9',
      'https://[::1]:6443',
    ])
      expect(proxyFromEnvironment(server, { HTTPS_PROXY: PROXY }), server).toBeUndefined()
  })

  it.each([
    ['*', 'https://k.example', true],
    ['example', 'https://k.example', true],
    ['k.example', 'https://k.example', true],
    ['example', 'https://example', true],
    ['.example', 'https://k.example', true],
    ['.example', 'https://example', false],
    ['*.example', 'https://a.b.example:6443', true],
    ['*.example', 'https://example', false],
    ['k.example:6443', 'https://k.example:6443', true],
    ['k.example:6443', 'https://k.example', false],
    ['k.example:443', 'https://k.example', true],
    ['10.0.0.0/8', 'https://10.1.2.3:6443', true],
    ['10.0.0.0/8', 'https://11.1.2.3:6443', false],
    ['10.1.2.3', 'https://10.1.2.3:6443', true],
    ['10.1.2.3:6443', 'https://10.1.2.3:6443', true],
    ['10.1.2.3:443', 'https://10.1.2.3:6443', false],
    ['fd00::/8', 'https://[fd00::1]:6443', true],
    ['[fd00::1]:6443', 'https://[fd00::1]:6443', true],
    ['10.0.0.0/8', 'https://k.example', false],
    // A domain entry never matches an IP address, as in Go.
    ['1.2.3.4.example', 'https://4.example', false],
    [' other.example , K.EXAMPLE ', 'https://k.example', true],
  ])('NO_PROXY=%s for %s: bypass %s', (noProxy, server, bypass) => {
    const got = proxyFromEnvironment(server, { HTTPS_PROXY: PROXY, NO_PROXY: noProxy })
    expect(got).toBe(bypass ? undefined : PROXY)
  })

  it('no_proxy is read when NO_PROXY is unset', () => {
    expect(
      proxyFromEnvironment('https://k.example', { https_proxy: PROXY, no_proxy: 'example' }),
    ).toBeUndefined()
  })
})
