import type { Cluster, User } from '@kubernetes/client-node'
import { describe, expect, it } from 'vitest'
import { overrideCluster, overrideUser } from '../../../src/kube/overrides.js'

const cluster: Cluster = {
  name: 'c',
  server: 'https://a.example:6443',
  caData: 'Q0E=',
  skipTLSVerify: false,
  tlsServerName: 'a.internal',
}

describe("overrideCluster, as client-go's getCluster", () => {
  it('--server keeps the kubeconfig CA and clears its tls-server-name', () => {
    expect(overrideCluster(cluster, { server: 'https://b.example' })).toEqual({
      name: 'c',
      server: 'https://b.example',
      caData: 'Q0E=',
      skipTLSVerify: false,
    })
  })
  it('--server with --tls-server-name keeps the flag', () => {
    expect(overrideCluster(cluster, { server: 'https://b', tlsServerName: 'n' }).tlsServerName).toBe('n')
  })
  it('--insecure-skip-tls-verify clears the CA', () => {
    const c = overrideCluster(cluster, { insecureSkipTlsVerify: true })
    expect(c).toMatchObject({ skipTLSVerify: true, tlsServerName: 'a.internal' })
    expect(c.caData).toBeUndefined()
    expect(c.caFile).toBeUndefined()
  })
  it('--certificate-authority replaces CA data and turns skip-verify off', () => {
    const c = overrideCluster({ ...cluster, skipTLSVerify: true }, { certificateAuthority: '/ca.crt' })
    expect(c).toMatchObject({ caFile: '/ca.crt', skipTLSVerify: false })
    expect(c.caData).toBeUndefined()
  })
  it('--proxy-url replaces the kubeconfig proxy-url', () => {
    expect(overrideCluster({ ...cluster, proxyUrl: 'http://a:1' }, { proxyUrl: 'http://b:2' }).proxyUrl).toBe(
      'http://b:2',
    )
  })
  it('no flags, no change', () => {
    expect(overrideCluster(cluster, {})).toEqual(cluster)
  })
})

describe("overrideUser, as client-go's getAuthInfo and exec authenticator", () => {
  const execUser: User = {
    name: 'u',
    exec: { command: 'plugin', apiVersion: 'client.authentication.k8s.io/v1' },
  }
  it('--token replaces the token and skips the exec plugin', () => {
    expect(overrideUser(execUser, { token: 't' })).toEqual({ name: 'u', token: 't' })
  })
  it('--client-certificate and --client-key replace file and inline data', () => {
    const u = overrideUser(
      { name: 'u', certData: 'Y2VydA==', keyData: 'a2V5' },
      { clientCertificate: '/c.crt', clientKey: '/c.key' },
    )
    expect(u).toEqual({ name: 'u', certFile: '/c.crt', keyFile: '/c.key' })
  })
  it('a certificate without a key leaves the exec plugin in place', () => {
    expect(overrideUser(execUser, { clientCertificate: '/c.crt' }).exec).toBeDefined()
  })
})
