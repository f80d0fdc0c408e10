/**
 * A real, local Kubernetes control plane for tests, demos and benchmarks: etcd,
 * kube-apiserver and kube-controller-manager built from the Go module proxy
 * (build-control-plane.sh) and started on loopback. The project's equivalent
 * of controller-runtime's envtest, with no Docker and no downloaded binaries.
 */
import { execFileSync, spawn } from 'node:child_process'
import { generateKeyPairSync, randomBytes } from 'node:crypto'
import {
  closeSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  openSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs'
import http from 'node:http'
import https from 'node:https'
import net from 'node:net'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { fileURLToPath } from 'node:url'

const here = path.dirname(fileURLToPath(import.meta.url))

export const TEAM_NAMESPACE = 'team-a'

export interface ControlPlaneOptions {
  /** Start the apiserver with an EncryptionConfiguration (aescbc) for Secrets. */
  encryptionAtRest?: boolean
  /** Extra kube-controller-manager controllers, beyond the defaults below. */
  extraControllers?: string[]
  /**
   * Serve etcd over TLS only, as kubeadm does: https client and peer URLs with
   * a certificate from an etcd CA, client and peer certificates required, and
   * the apiserver reading through https with its own client certificate.
   * Without it etcd serves plain http on loopback, unauthenticated.
   */
  etcdTls?: boolean
}

/** The etcd CA, and the client certificate the apiserver presents to etcd (and tests reuse). */
export interface EtcdClientCert {
  caFile: string
  certFile: string
  keyFile: string
}

/** Everything a test needs to reach the control plane; serialised as state.json. */
export interface ControlPlaneState {
  dir: string
  binDir: string
  server: string
  /** https:// with etcdTls, else http://. */
  etcdUrl: string
  etcdTls: boolean
  /** With etcdTls: what a client needs to reach etcd (the apiserver's --etcd-cafile/certfile/keyfile). */
  etcdClient?: EtcdClientCert
  caFile: string
  kubeconfig: string
  tokens: { admin: string; limited: string; outsider: string }
  clientCert: { user: string; group: string; certFile: string; keyFile: string }
  encryptionAtRest: boolean
  pids: { etcd: number; apiserver: number; controllerManager: number }
  controllerManagerArgs: string[]
  /** The apiserver's arguments, for restartApiserver. */
  apiserverArgs?: string[]
  /** etcd's arguments as started (without the binary, which is binDir/etcd). */
  etcdArgs?: string[]
  logs: { etcd: string; apiserver: string; controllerManager: string }
}

export const DEFAULT_CONTROLLERS = [
  'garbage-collector-controller',
  'job-controller',
  'ttl-after-finished-controller',
  'namespace-controller',
  'cronjob-controller',
]

/** Builds the binaries when the cache misses, and returns the cache directory. */
export function ensureBinaries(): string {
  const out = execFileSync('bash', [path.join(here, 'build-control-plane.sh')], {
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'inherit'],
    maxBuffer: 1 << 20,
  })
  const dir = out.trim().split('\n').pop() ?? ''
  for (const bin of ['etcd', 'kube-apiserver', 'kube-controller-manager', 'kubectl']) {
    if (!existsSync(path.join(dir, bin)))
      throw new Error(`control plane build did not produce ${bin} in ${dir}`)
  }
  return dir
}

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer()
    server.unref()
    server.on('error', reject)
    server.listen(0, '127.0.0.1', () => {
      const address = server.address()
      server.close(() => resolve(typeof address === 'object' && address ? address.port : 0))
    })
  })
}

function token(): string {
  return randomBytes(24).toString('hex')
}

function openssl(args: string[], cwd: string): void {
  execFileSync('openssl', args, { cwd, stdio: ['ignore', 'ignore', 'pipe'] })
}

/** A CA for client certificates, and one client certificate signed by it. */
function makeClientPki(dir: string, user: string, group: string) {
  openssl(['ecparam', '-name', 'prime256v1', '-genkey', '-noout', '-out', 'client-ca.key'], dir)
  openssl(
    [
      'req',
      '-x509',
      '-new',
      '-key',
      'client-ca.key',
      '-subj',
      '/CN=safe-secret-test-client-ca',
      '-days',
      '2',
      '-out',
      'client-ca.crt',
    ],
    dir,
  )
  openssl(['ecparam', '-name', 'prime256v1', '-genkey', '-noout', '-out', 'client.key'], dir)
  openssl(['req', '-new', '-key', 'client.key', '-subj', `/CN=${user}/O=${group}`, '-out', 'client.csr'], dir)
  openssl(
    [
      'x509',
      '-req',
      '-in',
      'client.csr',
      '-CA',
      'client-ca.crt',
      '-CAkey',
      'client-ca.key',
      '-CAcreateserial',
      '-days',
      '2',
      '-out',
      'client.crt',
    ],
    dir,
  )
  return {
    caFile: path.join(dir, 'client-ca.crt'),
    certFile: path.join(dir, 'client.crt'),
    keyFile: path.join(dir, 'client.key'),
  }
}

/**
 * An etcd CA and, signed by it, etcd's serving certificate for 127.0.0.1 (also
 * its peer certificate: serverAuth and clientAuth, as etcd's peer TLS and its
 * JSON gateway present it as a client too) and the apiserver's etcd client
 * certificate: kubeadm's etcd/ca, etcd/server, etcd/peer and apiserver-etcd-client.
 */
function makeEtcdPki(dir: string): EtcdClientCert & { serverCert: string; serverKey: string } {
  const key = (name: string) =>
    openssl(['ecparam', '-name', 'prime256v1', '-genkey', '-noout', '-out', name], dir)
  key('etcd-ca.key')
  openssl(
    [
      'req',
      '-x509',
      '-new',
      '-key',
      'etcd-ca.key',
      '-subj',
      '/CN=safe-secret-test-etcd-ca',
      '-days',
      '2',
      '-out',
      'etcd-ca.crt',
    ],
    dir,
  )
  const sign = (name: string, cn: string, extensions: string) => {
    key(`${name}.key`)
    openssl(['req', '-new', '-key', `${name}.key`, '-subj', `/CN=${cn}`, '-out', `${name}.csr`], dir)
    writeFileSync(path.join(dir, `${name}.ext`), extensions)
    openssl(
      [
        'x509',
        '-req',
        '-in',
        `${name}.csr`,
        '-CA',
        'etcd-ca.crt',
        '-CAkey',
        'etcd-ca.key',
        '-CAcreateserial',
        '-days',
        '2',
        '-extfile',
        `${name}.ext`,
        '-out',
        `${name}.crt`,
      ],
      dir,
    )
  }
  sign(
    'etcd-server',
    'etcd-server',
    'subjectAltName=IP:127.0.0.1\nkeyUsage=critical,digitalSignature\nextendedKeyUsage=serverAuth,clientAuth\n',
  )
  sign(
    'apiserver-etcd-client',
    'kube-apiserver-etcd-client',
    'keyUsage=critical,digitalSignature\nextendedKeyUsage=clientAuth\n',
  )
  return {
    caFile: path.join(dir, 'etcd-ca.crt'),
    serverCert: path.join(dir, 'etcd-server.crt'),
    serverKey: path.join(dir, 'etcd-server.key'),
    certFile: path.join(dir, 'apiserver-etcd-client.crt'),
    keyFile: path.join(dir, 'apiserver-etcd-client.key'),
  }
}

function startProcess(bin: string, args: string[], logFile: string): number {
  const log = openSync(logFile, 'a')
  const child = spawn(bin, args, { detached: true, stdio: ['ignore', log, log] })
  closeSync(log)
  child.unref()
  if (!child.pid) throw new Error(`cannot start ${bin}`)
  return child.pid
}

export function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0)
    return true
  } catch {
    return false
  }
}

async function sleep(ms: number): Promise<void> {
  await new Promise((r) => setTimeout(r, ms))
}

/**
 * Each apiserver's CA, kept once a response has been verified with it: the
 * apiserver writes the file as it starts, so a read that early may be incomplete.
 */
const verifiedCa = new Map<string, Buffer>()

/**
 * A minimal HTTPS call to the test apiserver, for setup and checks only.
 * `agent`: e.g. a keep-alive one, for many calls in a row.
 */
export function adminRequest(
  state: Pick<ControlPlaneState, 'server' | 'caFile' | 'tokens'>,
  method: string,
  urlPath: string,
  body?: unknown,
  bearer = state.tokens.admin,
  agent?: https.Agent,
): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const payload = body === undefined ? undefined : JSON.stringify(body)
    const ca = verifiedCa.get(state.caFile) ?? readFileSync(state.caFile)
    const req = https.request(
      new URL(state.server + urlPath),
      {
        method,
        ca,
        agent,
        headers: {
          Authorization: `Bearer ${bearer}`,
          'Content-Type': 'application/json',
          ...(payload ? { 'Content-Length': Buffer.byteLength(payload) } : {}),
        },
        timeout: 10_000,
      },
      (res) => {
        verifiedCa.set(state.caFile, ca)
        const chunks: Buffer[] = []
        res.on('data', (c: Buffer) => chunks.push(c))
        res.on('end', () =>
          resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8') }),
        )
      },
    )
    req.on('timeout', () => req.destroy(new Error('timeout')))
    req.on('error', reject)
    req.end(payload)
  })
}

async function waitFor(
  what: string,
  check: () => Promise<boolean>,
  timeoutMs: number,
  logFile?: string,
  pid?: number,
): Promise<void> {
  const deadline = Date.now() + timeoutMs
  while (Date.now() < deadline) {
    if (pid !== undefined && !isAlive(pid)) break
    try {
      if (await check()) return
    } catch {
      // not up yet
    }
    await sleep(200)
  }
  const tail =
    logFile && existsSync(logFile) ? readFileSync(logFile, 'utf8').split('\n').slice(-30).join('\n') : ''
  const why = pid !== undefined && !isAlive(pid) ? 'the process exited' : `timed out after ${timeoutMs} ms`
  throw new Error(`${why} waiting for ${what}\n${tail}`)
}

/** Where etcd listens, and the TLS material to reach it: none for plain http, no cert/key for a client without one. */
export interface EtcdEndpoint {
  etcdUrl: string
  etcdClient?: { caFile: string; certFile?: string; keyFile?: string }
}

/**
 * One request to etcd's HTTP side (/health, the /v3 JSON gateway): https with
 * the CA and client certificate of ENDPOINT when its URL is https://, else
 * plain http. Rejects when the connection or the TLS handshake fails.
 */
export function etcdRequest(
  endpoint: EtcdEndpoint,
  method: string,
  urlPath: string,
  body?: unknown,
): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const payload = body === undefined ? undefined : JSON.stringify(body)
    const url = new URL(endpoint.etcdUrl + urlPath)
    const tls = endpoint.etcdClient
    const options: https.RequestOptions = {
      method,
      headers: payload
        ? { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(payload) }
        : {},
      timeout: 10_000,
      ...(url.protocol === 'https:'
        ? {
            ca: tls ? readFileSync(tls.caFile) : undefined,
            cert: tls?.certFile ? readFileSync(tls.certFile) : undefined,
            key: tls?.keyFile ? readFileSync(tls.keyFile) : undefined,
          }
        : {}),
    }
    const req = (url.protocol === 'https:' ? https : http).request(url, options, (res) => {
      const chunks: Buffer[] = []
      res.on('data', (c: Buffer) => chunks.push(c))
      res.on('error', reject)
      res.on('end', () =>
        resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8') }),
      )
    })
    req.on('timeout', () => req.destroy(new Error('timeout')))
    req.on('error', reject)
    req.end(payload)
  })
}

async function etcdHealthy(endpoint: EtcdEndpoint): Promise<boolean> {
  return (await etcdRequest(endpoint, 'GET', '/health')).status === 200
}

/**
 * The keys from KEY (up to RANGE_END, exclusive; KEY alone without it) straight
 * from etcd through its JSON gateway: raw bytes, as stored.
 */
export async function readEtcdRange(
  endpoint: EtcdEndpoint,
  key: string,
  rangeEnd?: string,
): Promise<Map<string, Buffer>> {
  const res = await etcdRequest(endpoint, 'POST', '/v3/kv/range', {
    key: Buffer.from(key).toString('base64'),
    ...(rangeEnd === undefined ? {} : { range_end: Buffer.from(rangeEnd).toString('base64') }),
  })
  if (res.status !== 200) throw new Error(`etcd range ${key}: HTTP ${res.status} ${res.body}`)
  const json = JSON.parse(res.body) as { kvs?: { key: string; value: string }[] }
  return new Map(
    (json.kvs ?? []).map((kv) => [Buffer.from(kv.key, 'base64').toString(), Buffer.from(kv.value, 'base64')]),
  )
}

/** Reads a key straight from etcd through its JSON gateway: raw bytes, as stored. */
export async function readEtcdRaw(endpoint: EtcdEndpoint, key: string): Promise<Buffer | undefined> {
  return (await readEtcdRange(endpoint, key)).get(key)
}

function kubeconfigYaml(state: {
  server: string
  caFile: string
  tokens: ControlPlaneState['tokens']
}): string {
  const users = (['admin', 'limited', 'outsider'] as const)
    .map((u) => `- name: ${u}\n  user:\n    token: ${state.tokens[u]}`)
    .join('\n')
  const contexts = [
    ['admin', 'default'],
    ['limited', TEAM_NAMESPACE],
    ['outsider', 'default'],
  ]
    .map(([u, ns]) => `- name: ${u}\n  context:\n    cluster: local\n    user: ${u}\n    namespace: ${ns}`)
    .join('\n')
  return `apiVersion: v1
kind: Config
clusters:
- name: local
  cluster:
    server: ${state.server}
    certificate-authority: ${state.caFile}
users:
${users}
contexts:
${contexts}
current-context: admin
`
}

/**
 * Starts etcd, kube-apiserver and kube-controller-manager on free loopback
 * ports, waits until the apiserver is ready, creates the test users' RBAC, and
 * writes a kubeconfig with contexts admin (current), limited and outsider.
 */
export async function startControlPlane(
  options: ControlPlaneOptions = {},
  kubeconfigPath?: string,
): Promise<ControlPlaneState> {
  const binDir = ensureBinaries()
  const dir = mkdtempSync(path.join(tmpdir(), 'safe-secret-cp-'))
  const certDir = path.join(dir, 'certs')
  mkdirSync(certDir, { recursive: true })
  const [etcdPort, peerPort, apiPort] = [await freePort(), await freePort(), await freePort()]
  const etcdTls = options.etcdTls ?? false
  const etcdUrl = `${etcdTls ? 'https' : 'http'}://127.0.0.1:${etcdPort}`
  const peerUrl = `${etcdTls ? 'https' : 'http'}://127.0.0.1:${peerPort}`
  const server = `https://127.0.0.1:${apiPort}`
  const logs = {
    etcd: path.join(dir, 'etcd.log'),
    apiserver: path.join(dir, 'kube-apiserver.log'),
    controllerManager: path.join(dir, 'kube-controller-manager.log'),
  }
  const pids = { etcd: 0, apiserver: 0, controllerManager: 0 }
  const stateFile = path.join(dir, 'state.json')

  try {
    const etcdPki = etcdTls ? makeEtcdPki(certDir) : undefined
    const etcdClient: EtcdClientCert | undefined = etcdPki && {
      caFile: etcdPki.caFile,
      certFile: etcdPki.certFile,
      keyFile: etcdPki.keyFile,
    }
    const etcdArgs = [
      '--name=test',
      `--data-dir=${path.join(dir, 'etcd')}`,
      `--listen-client-urls=${etcdUrl}`,
      `--advertise-client-urls=${etcdUrl}`,
      `--listen-peer-urls=${peerUrl}`,
      `--initial-advertise-peer-urls=${peerUrl}`,
      `--initial-cluster=test=${peerUrl}`,
      ...(etcdPki
        ? [
            `--cert-file=${etcdPki.serverCert}`,
            `--key-file=${etcdPki.serverKey}`,
            '--client-cert-auth=true',
            `--trusted-ca-file=${etcdPki.caFile}`,
            `--peer-cert-file=${etcdPki.serverCert}`,
            `--peer-key-file=${etcdPki.serverKey}`,
            '--peer-client-cert-auth=true',
            `--peer-trusted-ca-file=${etcdPki.caFile}`,
          ]
        : []),
      '--unsafe-no-fsync',
      '--log-level=warn',
    ]
    pids.etcd = await startEtcd(binDir, etcdArgs, logs.etcd, { etcdUrl, etcdClient })

    const tokens = { admin: token(), limited: token(), outsider: token() }
    writeFileSync(
      path.join(dir, 'tokens.csv'),
      `${tokens.admin},admin,uid-admin,"system:masters"\n${tokens.limited},limited,uid-limited\n${tokens.outsider},outsider,uid-outsider\n`,
      { mode: 0o600 },
    )
    const { privateKey } = generateKeyPairSync('ec', { namedCurve: 'prime256v1' })
    const saKey = path.join(dir, 'service-account.key')
    writeFileSync(saKey, privateKey.export({ type: 'sec1', format: 'pem' }), { mode: 0o600 })
    const clientUser = 'cert-user'
    const clientGroup = 'cert-group'
    const pki = makeClientPki(dir, clientUser, clientGroup)

    const apiserverArgs = [
      `--etcd-servers=${etcdUrl}`,
      ...(etcdClient
        ? [
            `--etcd-cafile=${etcdClient.caFile}`,
            `--etcd-certfile=${etcdClient.certFile}`,
            `--etcd-keyfile=${etcdClient.keyFile}`,
          ]
        : []),
      '--bind-address=127.0.0.1',
      '--advertise-address=127.0.0.1',
      // A loopback advertise address is refused by the endpoint reconciler; tests need no kubernetes Endpoints.
      '--endpoint-reconciler-type=none',
      `--secure-port=${apiPort}`,
      `--cert-dir=${certDir}`,
      '--service-account-issuer=https://kubernetes.default.svc.cluster.local',
      `--service-account-key-file=${saKey}`,
      `--service-account-signing-key-file=${saKey}`,
      '--service-cluster-ip-range=10.0.0.0/24',
      '--authorization-mode=RBAC',
      `--token-auth-file=${path.join(dir, 'tokens.csv')}`,
      `--client-ca-file=${pki.caFile}`,
      // Pods are created in tests without the service-account controllers.
      '--disable-admission-plugins=ServiceAccount',
      '--allow-privileged=true',
    ]
    if (options.encryptionAtRest) apiserverArgs.push(`--encryption-provider-config=${encryptionConfig(dir)}`)
    pids.apiserver = startProcess(path.join(binDir, 'kube-apiserver'), apiserverArgs, logs.apiserver)
    // --cert-dir makes the apiserver self-sign apiserver.crt (with its CA in the same file).
    const caFile = path.join(certDir, 'apiserver.crt')
    const partial = { server, caFile, tokens }
    await waitForApiserver(partial, logs.apiserver, pids.apiserver)
    await waitFor(
      'namespace default',
      async () => (await adminRequest(partial, 'GET', '/api/v1/namespaces/default')).status === 200,
      30_000,
      logs.apiserver,
    )

    const kubeconfig = kubeconfigPath ?? path.join(dir, 'kubeconfig')
    mkdirSync(path.dirname(kubeconfig), { recursive: true })
    writeFileSync(kubeconfig, kubeconfigYaml(partial), { mode: 0o600 })
    const cmKubeconfig = path.join(dir, 'controller-manager.kubeconfig')
    writeFileSync(cmKubeconfig, kubeconfigYaml(partial), { mode: 0o600 })

    const controllerManagerArgs = [
      `--kubeconfig=${cmKubeconfig}`,
      '--leader-elect=false',
      '--use-service-account-credentials=false',
      '--secure-port=0',
      `--controllers=${[...DEFAULT_CONTROLLERS, ...(options.extraControllers ?? [])].join(',')}`,
      `--service-account-private-key-file=${saKey}`,
      `--root-ca-file=${caFile}`,
    ]
    pids.controllerManager = startProcess(
      path.join(binDir, 'kube-controller-manager'),
      controllerManagerArgs,
      logs.controllerManager,
    )

    await bootstrapTestRbac(partial)

    const state: ControlPlaneState = {
      dir,
      binDir,
      server,
      etcdUrl,
      etcdTls,
      ...(etcdClient ? { etcdClient } : {}),
      caFile,
      kubeconfig,
      tokens,
      clientCert: { user: clientUser, group: clientGroup, certFile: pki.certFile, keyFile: pki.keyFile },
      encryptionAtRest: options.encryptionAtRest ?? false,
      pids,
      controllerManagerArgs,
      apiserverArgs,
      etcdArgs,
      logs,
    }
    writeFileSync(stateFile, JSON.stringify(state, null, 2))
    return state
  } catch (err) {
    await stopProcesses(pids)
    rmSync(dir, { recursive: true, force: true })
    throw err
  }
}

/**
 * Starts binDir/etcd with ARGS, logging to LOG_FILE, and waits until ENDPOINT
 * answers /health. Returns its pid (stop it with stopProcess).
 */
export async function startEtcd(
  binDir: string,
  args: string[],
  logFile: string,
  endpoint: EtcdEndpoint,
): Promise<number> {
  const pid = startProcess(path.join(binDir, 'etcd'), args, logFile)
  try {
    await waitFor('etcd', () => etcdHealthy(endpoint), 30_000, logFile, pid)
  } catch (err) {
    await stopProcess(pid)
    throw err
  }
  return pid
}

/** Stops one process started here: SIGTERM, then SIGKILL after 10 s. */
export async function stopProcess(pid: number): Promise<void> {
  await stopProcesses({ etcd: pid })
}

/** An aescbc-first EncryptionConfiguration for Secrets in DIR, written once: restarts keep its key. */
function encryptionConfig(dir: string): string {
  const config = path.join(dir, 'encryption.yaml')
  if (!existsSync(config)) {
    writeFileSync(
      config,
      `apiVersion: apiserver.config.k8s.io/v1
kind: EncryptionConfiguration
resources:
- resources: [secrets]
  providers:
  - aescbc:
      keys:
      - name: key1
        secret: ${randomBytes(32).toString('base64')}
  - identity: {}
`,
      { mode: 0o600 },
    )
  }
  return config
}

async function waitForApiserver(
  partial: Pick<ControlPlaneState, 'server' | 'caFile' | 'tokens'>,
  logFile: string,
  pid: number,
): Promise<void> {
  await waitFor('kube-apiserver certificate', async () => existsSync(partial.caFile), 60_000, logFile, pid)
  await waitFor(
    'kube-apiserver /readyz',
    async () => (await adminRequest(partial, 'GET', '/readyz')).status === 200,
    120_000,
    logFile,
    pid,
  )
}

/**
 * Restarts kube-apiserver over the same etcd data, with or without the
 * aescbc EncryptionConfiguration (for the encryption-at-rest audit tests:
 * encryption turned on over a plain data directory).
 */
export async function restartApiserver(
  state: ControlPlaneState,
  options: { encryptionAtRest: boolean },
): Promise<void> {
  if (!state.apiserverArgs) throw new Error('this control plane did not record its apiserver arguments')
  await stopProcesses({ apiserver: state.pids.apiserver })
  const args = state.apiserverArgs.filter((a) => !a.startsWith('--encryption-provider-config='))
  if (options.encryptionAtRest) args.push(`--encryption-provider-config=${encryptionConfig(state.dir)}`)
  state.apiserverArgs = args
  state.encryptionAtRest = options.encryptionAtRest
  state.pids.apiserver = startProcess(path.join(state.binDir, 'kube-apiserver'), args, state.logs.apiserver)
  await waitForApiserver(state, state.logs.apiserver, state.pids.apiserver)
  writeFileSync(path.join(state.dir, 'state.json'), JSON.stringify(state, null, 2))
}

async function apply(
  state: Parameters<typeof adminRequest>[0],
  collection: string,
  body: { metadata: { name: string } },
) {
  const res = await adminRequest(state, 'POST', collection, body)
  if (res.status !== 201 && res.status !== 409) {
    throw new Error(`bootstrap ${collection}/${body.metadata.name}: HTTP ${res.status} ${res.body}`)
  }
}

/** `limited` may create/get/list/update/delete Secrets in team-a and nothing else; `outsider` may do nothing. */
async function bootstrapTestRbac(state: Parameters<typeof adminRequest>[0]): Promise<void> {
  await apply(state, '/api/v1/namespaces', { metadata: { name: TEAM_NAMESPACE } })
  await apply(state, `/apis/rbac.authorization.k8s.io/v1/namespaces/${TEAM_NAMESPACE}/roles`, {
    metadata: { name: 'secret-editor' },
    // @ts-expect-error extra fields of a Role
    rules: [
      { apiGroups: [''], resources: ['secrets'], verbs: ['create', 'get', 'list', 'update', 'delete'] },
    ],
  })
  await apply(state, `/apis/rbac.authorization.k8s.io/v1/namespaces/${TEAM_NAMESPACE}/rolebindings`, {
    metadata: { name: 'limited-secret-editor' },
    // @ts-expect-error extra fields of a RoleBinding
    roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name: 'secret-editor' },
    subjects: [{ apiGroup: 'rbac.authorization.k8s.io', kind: 'User', name: 'limited' }],
  })
}

async function stopProcesses(pids: Partial<ControlPlaneState['pids']>): Promise<void> {
  // Reverse start order: the controller manager first, etcd last.
  for (const pid of [pids.controllerManager, pids.apiserver, pids.etcd]) {
    if (!pid || !isAlive(pid)) continue
    try {
      process.kill(pid, 'SIGTERM')
    } catch {
      continue
    }
    const deadline = Date.now() + 10_000
    while (isAlive(pid) && Date.now() < deadline) await sleep(50)
    if (isAlive(pid)) process.kill(pid, 'SIGKILL')
  }
}

export async function stopControlPlane(state: ControlPlaneState): Promise<void> {
  await stopProcesses(state.pids)
  rmSync(state.dir, { recursive: true, force: true })
}

/** Restarts kube-controller-manager with the same arguments (for the expiry restart test). */
export async function restartControllerManager(state: ControlPlaneState, downForMs = 0): Promise<void> {
  await stopProcesses({ controllerManager: state.pids.controllerManager })
  if (downForMs > 0) await sleep(downForMs)
  state.pids.controllerManager = startProcess(
    path.join(state.binDir, 'kube-controller-manager'),
    state.controllerManagerArgs,
    state.logs.controllerManager,
  )
  writeFileSync(path.join(state.dir, 'state.json'), JSON.stringify(state, null, 2))
}

/** The state a control plane recorded in FILE (its state.json), or undefined when there is none. */
export function readControlPlaneState(file: string): ControlPlaneState | undefined {
  if (!existsSync(file)) return undefined
  return JSON.parse(readFileSync(file, 'utf8')) as ControlPlaneState
}

export function isControlPlaneAlive(state: ControlPlaneState): boolean {
  return Object.values(state.pids).every((pid) => isAlive(pid))
}
