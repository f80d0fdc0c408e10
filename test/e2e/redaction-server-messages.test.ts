/**
 * The API server can quote a value back: here a real ValidatingAdmissionPolicy
 * whose messageExpression puts the Secret's data into its rejection message, as
 * policy engines do, and a validating admission webhook (the way Kyverno and
 * Gatekeeper plug in) that quotes the decoded value, raw and JSON-quoted. Whatever the source, the value must reach no output in
 * any form; the redaction point prints `<redacted>` in its place.
 */
import { execFileSync } from 'node:child_process'
import { readFileSync, writeFileSync } from 'node:fs'
import https from 'node:https'
import type { AddressInfo } from 'node:net'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest'
import { adminRequest } from '../cluster/control-plane.js'
import { getSecret, secretPolicy, uniqueName } from '../helpers/cluster-api.js'
import { pluginEnv, type RunResult, safeSecret } from '../helpers/plugin.js'
import { Terminal } from '../helpers/terminal.js'
import { tempDir } from '../helpers/values.js'
import { storeEntry } from '../setup/keyring.js'

const cluster = inject('cluster')
const keyring = inject('keyring')
const policy = uniqueName('quote-secret-data')
const label = 'safe-secret-e2e/quote-policy'

let ns: string
let removePolicy: (() => Promise<void>) | undefined

/** A password-like value: base64 and JSON both change it (`+`, `/`, `=`, `"`, `\`). */
function passwordMarker(): string {
  return `P@ss!${uniqueName('v').slice(2)}/w0rd+"q\\==`
}

/** Every form the value could be printed in: raw, base64, base64 without padding, URL-safe, JSON-escaped. */
function forms(value: string): string[] {
  const b64 = Buffer.from(value).toString('base64')
  return [
    value,
    b64,
    b64.replace(/=+$/, ''),
    Buffer.from(value).toString('base64url'),
    JSON.stringify(value).slice(1, -1),
  ]
}

function expectNoForm(text: string, values: string[]): void {
  for (const value of values) {
    for (const form of forms(value)) expect(text, `printed a form of the value: ${form}`).not.toContain(form)
  }
}

async function admin(method: string, urlPath: string, body: unknown): Promise<void> {
  const res = await adminRequest(cluster, method, urlPath, body)
  if (res.status >= 300) throw new Error(`${method} ${urlPath}: ${res.status} ${res.body}`)
}

beforeAll(async () => {
  ns = uniqueName('quoted')
  await admin('POST', '/api/v1/namespaces', { metadata: { name: ns, labels: { [label]: 'true' } } })
  removePolicy = await secretPolicy(cluster, {
    name: policy,
    label,
    // Each key and its value, as policy engines quote a field that failed.
    messageExpression: "'rejected: ' + object.data.map(k, k + '=' + string(object.data[k])).join(', ')",
    action: 'Deny',
  })
  // The policy takes effect once the apiserver's informer has it: wait for a first rejection.
  const deadline = Date.now() + 30_000
  for (;;) {
    const res = await adminRequest(cluster, 'POST', `/api/v1/namespaces/${ns}/secrets`, {
      metadata: { name: uniqueName('probe') },
      data: { k: Buffer.from('probe-value').toString('base64') },
    })
    if (res.status === 422 || res.status === 403 || res.status === 400) {
      // Secret data reaches CEL as the base64 strings of the API: the message quotes that form.
      expect(res.body).toContain(`k=${Buffer.from('probe-value').toString('base64')}`)
      break
    }
    if (Date.now() > deadline)
      throw new Error(`the policy never rejected a Secret: ${res.status} ${res.body}`)
    await new Promise((r) => setTimeout(r, 250))
  }
})

afterAll(async () => {
  await removePolicy?.()
})

interface Source {
  title: string
  setup: (value: string, dir: string) => { args: string[]; stdin?: string; env?: Record<string, string> }
}

const sources: Source[] = [
  { title: '--from-stdin', setup: (v) => ({ args: ['--from-stdin=k'], stdin: v }) },
  {
    title: '--from-file',
    setup: (v, d) => {
      writeFileSync(path.join(d, 'value'), v)
      return { args: [`--from-file=k=${path.join(d, 'value')}`] }
    },
  },
  {
    title: '--from-env-file',
    setup: (v, d) => {
      writeFileSync(path.join(d, 'env'), `k=${v}\n`)
      return { args: [`--from-env-file=${path.join(d, 'env')}`] }
    },
  },
  { title: '--from-env', setup: (v) => ({ args: ['--from-env=k=CI_SECRET'], env: { CI_SECRET: v } }) },
  {
    title: '--from-keychain',
    setup: (v) => {
      const service = uniqueName('quoted-svc')
      storeEntry(keyring, { service, account: 'ci', value: v })
      return { args: [`--from-keychain=k=${service}/ci`], env: keyring.env }
    },
  },
  {
    title: '--stdin-format=json',
    setup: (v) => ({ args: ['--stdin-format=json'], stdin: JSON.stringify({ k: v, other: `${v}-2` }) }),
  },
  {
    // dotenv reads quotes and backslashes itself: a value without them.
    title: '--stdin-format=env',
    setup: (v) => ({ args: ['--stdin-format=env'], stdin: `k=${v.replace(/["\\]/g, '')}\n` }),
  },
  {
    title: '--docker-registry (the auth field is base64 of USER:PASSWORD)',
    setup: (v) => ({
      args: ['--docker-registry', '--docker-username=robot', '--from-stdin=password'],
      stdin: v,
    }),
  },
]

/** What the server could quote back for this source's value: the value, and the derived ones. */
function quotedValues(source: Source, value: string): string[] {
  if (source.title.startsWith('--stdin-format=env')) return [value.replace(/["\\]/g, '')]
  if (source.title.startsWith('--stdin-format=json')) return [value, `${value}-2`]
  if (source.title.startsWith('--docker-registry')) return [value, `robot:${value}`]
  return [value]
}

function expectRedactedRejection(result: RunResult, values: string[], reason: string): void {
  const output = result.stdout + result.stderr
  expectNoForm(output, values)
  expect(result.code).toBe(1)
  // The server did quote the value, and the redaction point blanked it.
  expect(result.stderr).toMatch(new RegExp(`^Error from server \\(${reason}\\): .*rejected: .*<redacted>`))
}

/** One test per source and extra flags: create in the namespace the server refuses, then check the output. */
function eachSource(namespace: () => string, extras: string[][], reason: string): void {
  for (const source of sources) {
    for (const extra of extras) {
      it(`${source.title} ${extra.join(' ')}`.trim(), async () => {
        const value = passwordMarker()
        const { args, stdin, env } = source.setup(value, tempDir('quoted'))
        const name = uniqueName('quoted')
        const result = await safeSecret(cluster, ['create', name, '-n', namespace(), ...args, ...extra], {
          stdin,
          env,
        })
        expectRedactedRejection(result, quotedValues(source, value), reason)
        if (extra.includes('--debug')) expect(result.stderr).toContain('    at ')
        expect(await getSecret(cluster, namespace(), name)).toBeUndefined()
      })
    }
  }
}

describe('a server message that quotes the value', () => {
  eachSource(
    () => ns,
    [[], ['--debug'], ['-o', 'json'], ['--debug', '-o', 'json', '--dry-run=server']],
    'Invalid',
  )

  it('--from-prompt in a real terminal, with --debug', async () => {
    const terminal = new Terminal({ ...pluginEnv(cluster), TERM: 'xterm-256color' } as Record<string, string>)
    try {
      const value = passwordMarker()
      const name = uniqueName('quoted')
      terminal.start(`kubectl safe-secret create ${name} -n ${ns} --from-prompt=k --debug`)
      await terminal.waitFor(/Value for k \(input hidden\):/)
      terminal.type(value)
      terminal.press('Enter')
      expect(await terminal.exitCode()).toBe(1)
      // Long lines wrap at the pane's width: read the screen as one line.
      const screen = terminal.screen().replace(/\n/g, '')
      expectNoForm(screen, [value])
      expect(screen).toContain('<redacted>')
      expect(await getSecret(cluster, ns, name)).toBeUndefined()
    } finally {
      terminal.close()
    }
  })
})

/**
 * An admission webhook served by this test process on loopback, with its own
 * self-signed certificate: it refuses every Secret in its namespace and quotes
 * each value decoded, as is and as a JSON string.
 */
describe('a webhook message that quotes the decoded value', () => {
  const webhookLabel = 'safe-secret-e2e/quote-webhook'
  const webhook = uniqueName('quote-webhook')
  let webhookNs: string
  let server: https.Server

  beforeAll(async () => {
    const dir = tempDir('webhook')
    execFileSync(
      'openssl',
      [
        'req',
        '-x509',
        '-newkey',
        'rsa:2048',
        '-nodes',
        '-days',
        '1',
        '-keyout',
        path.join(dir, 'key.pem'),
        '-out',
        path.join(dir, 'cert.pem'),
        '-subj',
        '/CN=127.0.0.1',
        '-addext',
        'subjectAltName=IP:127.0.0.1',
      ],
      { stdio: 'ignore' },
    )
    const cert = readFileSync(path.join(dir, 'cert.pem'))
    server = https.createServer({ key: readFileSync(path.join(dir, 'key.pem')), cert }, (req, res) => {
      const chunks: Buffer[] = []
      req.on('data', (c: Buffer) => chunks.push(c))
      req.on('end', () => {
        const review = JSON.parse(Buffer.concat(chunks).toString('utf8'))
        const data: Record<string, string> = review.request.object?.data ?? {}
        const quoted = Object.entries(data).map(([k, v]) => {
          const raw = Buffer.from(v, 'base64').toString('utf8')
          return `${k}: raw=${raw} json=${JSON.stringify(raw)}`
        })
        res.setHeader('Content-Type', 'application/json')
        res.end(
          JSON.stringify({
            apiVersion: 'admission.k8s.io/v1',
            kind: 'AdmissionReview',
            response: {
              uid: review.request.uid,
              allowed: false,
              status: { code: 403, reason: 'Forbidden', message: `rejected: ${quoted.join('; ')}` },
            },
          }),
        )
      })
    })
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
    const port = (server.address() as AddressInfo).port
    webhookNs = uniqueName('webhooked')
    await admin('POST', '/api/v1/namespaces', {
      metadata: { name: webhookNs, labels: { [webhookLabel]: 'true' } },
    })
    await admin('POST', '/apis/admissionregistration.k8s.io/v1/validatingwebhookconfigurations', {
      metadata: { name: webhook },
      webhooks: [
        {
          name: 'quote.safe-secret.test',
          clientConfig: { url: `https://127.0.0.1:${port}/validate`, caBundle: cert.toString('base64') },
          rules: [
            {
              apiGroups: [''],
              apiVersions: ['v1'],
              operations: ['CREATE', 'UPDATE'],
              resources: ['secrets'],
            },
          ],
          namespaceSelector: { matchLabels: { [webhookLabel]: 'true' } },
          sideEffects: 'None',
          admissionReviewVersions: ['v1'],
          failurePolicy: 'Fail',
          timeoutSeconds: 10,
        },
      ],
    })
    // The apiserver calls the webhook once its informer has the configuration.
    const deadline = Date.now() + 30_000
    for (;;) {
      const res = await adminRequest(cluster, 'POST', `/api/v1/namespaces/${webhookNs}/secrets`, {
        metadata: { name: uniqueName('probe') },
        data: { k: Buffer.from('probe"value').toString('base64') },
      })
      if (res.status === 403) {
        const message = (JSON.parse(res.body) as { message: string }).message
        expect(message).toContain('k: raw=probe"value json="probe\\"value"')
        break
      }
      if (Date.now() > deadline)
        throw new Error(`the webhook never rejected a Secret: ${res.status} ${res.body}`)
      await new Promise((r) => setTimeout(r, 250))
    }
  })

  afterAll(async () => {
    await adminRequest(
      cluster,
      'DELETE',
      `/apis/admissionregistration.k8s.io/v1/validatingwebhookconfigurations/${webhook}`,
    )
    server?.close()
  })

  eachSource(() => webhookNs, [[], ['--debug', '-o', 'json']], 'Forbidden')
})
