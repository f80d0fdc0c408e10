import { describe, expect, it } from 'vitest'
import { EXEC_INFO_ENV, withExecInfo } from '../../../src/kube/exec-info.js'

const cluster = {
  name: 'c',
  server: 'https://k:6443',
  caData: Buffer.from('CA').toString('base64'),
  skipTLSVerify: false,
}

function info(exec: Record<string, unknown>, extension?: unknown) {
  const user = withExecInfo({ name: 'u', exec }, cluster, extension)
  const env = (user.exec as { env: { name: string; value: string }[] }).env
  return JSON.parse(env.find((e) => e.name === EXEC_INFO_ENV)?.value ?? 'null')
}

describe('KUBERNETES_EXEC_INFO', () => {
  it('without provideClusterInfo: kind, apiVersion, interactive only', () => {
    expect(info({ command: 'p', apiVersion: 'client.authentication.k8s.io/v1' })).toEqual({
      kind: 'ExecCredential',
      apiVersion: 'client.authentication.k8s.io/v1',
      spec: { interactive: false },
    })
  })
  it('with provideClusterInfo: the cluster, CA bytes and the exec extension as config', () => {
    const got = info(
      { command: 'p', apiVersion: 'client.authentication.k8s.io/v1beta1', provideClusterInfo: true },
      { audience: 'x' },
    )
    expect(got.spec.cluster).toEqual({
      server: 'https://k:6443',
      'certificate-authority-data': Buffer.from('CA').toString('base64'),
      config: { audience: 'x' },
    })
  })
  it("replaces a value the kubeconfig's env list sets, keeping the others", () => {
    const user = withExecInfo(
      {
        name: 'u',
        exec: {
          command: 'p',
          apiVersion: 'v',
          env: [
            { name: EXEC_INFO_ENV, value: 'x' },
            { name: 'A', value: '1' },
          ],
        },
      },
      cluster,
      undefined,
    )
    const env = (user.exec as { env: { name: string; value: string }[] }).env
    expect(env.map((e) => e.name)).toEqual(['A', EXEC_INFO_ENV])
  })
  it('a user without exec is unchanged', () => {
    const user = { name: 'u', token: 't' }
    expect(withExecInfo(user, cluster, undefined)).toBe(user)
  })
})
