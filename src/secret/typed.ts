import { createPrivateKey, X509Certificate } from 'node:crypto'
import { UsageError } from '../errors/cli-error.js'
import type { SecretEntry } from './manifest.js'

/** What kind of Secret to build, chosen by --type, --tls, --docker-registry, --basic-auth or --ssh-auth. */
export type SecretKind =
  /** explicitType: --type was given. kubectl leaves the type empty otherwise, which matters for --append-hash. */
  | { kind: 'generic'; type: string; explicitType: boolean }
  | { kind: 'tls' }
  | { kind: 'docker-registry'; server: string; username: string; email?: string }
  | { kind: 'basic-auth' }
  | { kind: 'ssh-auth' }

export interface ShapedSecret {
  type: string
  /** The type kubectl would hash for --append-hash: empty for a generic Secret without --type. */
  typeForHash: string
  entries: SecretEntry[]
  warnings: string[]
}

export const DEFAULT_DOCKER_SERVER = 'https://index.docker.io/v1/'
/** The source key that carries the registry password for --docker-registry. */
export const DOCKER_PASSWORD_KEY = 'password'

/**
 * Checks and shapes the entries for the chosen Secret type, before anything is
 * sent: each type's required keys, a TLS key that matches its certificate,
 * kubectl's .dockerconfigjson. Errors name keys, never values.
 */
export function shapeSecret(kind: SecretKind, entries: SecretEntry[], now = new Date()): ShapedSecret {
  switch (kind.kind) {
    case 'generic':
      return { type: kind.type, typeForHash: kind.explicitType ? kind.type : '', entries, warnings: [] }
    case 'tls':
      return {
        type: 'kubernetes.io/tls',
        typeForHash: 'kubernetes.io/tls',
        entries,
        warnings: checkTls(entries, now),
      }
    case 'docker-registry':
      return {
        type: 'kubernetes.io/dockerconfigjson',
        typeForHash: 'kubernetes.io/dockerconfigjson',
        entries: [dockerConfigEntry(kind, entries)],
        warnings: [],
      }
    case 'basic-auth':
      requireSome(entries, ['username', 'password'], 'kubernetes.io/basic-auth')
      return {
        type: 'kubernetes.io/basic-auth',
        typeForHash: 'kubernetes.io/basic-auth',
        entries,
        warnings: [],
      }
    case 'ssh-auth':
      requireSome(entries, ['ssh-privatekey'], 'kubernetes.io/ssh-auth')
      return { type: 'kubernetes.io/ssh-auth', typeForHash: 'kubernetes.io/ssh-auth', entries, warnings: [] }
  }
}

function requireSome(entries: SecretEntry[], keys: string[], type: string): void {
  if (!entries.some((e) => keys.includes(e.key))) {
    const list = keys.map((k) => `"${k}"`).join(' or ')
    throw new UsageError(`a ${type} Secret needs the key ${list}`, {
      hint: `give it from a source, e.g. --from-prompt=${keys[keys.length - 1]}`,
    })
  }
}

function entry(entries: SecretEntry[], key: string): SecretEntry {
  const found = entries.find((e) => e.key === key)
  if (!found) {
    throw new UsageError(`a kubernetes.io/tls Secret needs the key "${key}"`, {
      hint: '--cert and --key read them from files; or give tls.crt / tls.key from a source such as --from-keychain',
    })
  }
  return found
}

function checkTls(entries: SecretEntry[], now: Date): string[] {
  const certEntry = entry(entries, 'tls.crt')
  const keyEntry = entry(entries, 'tls.key')
  let cert: X509Certificate
  try {
    cert = new X509Certificate(certEntry.value)
  } catch {
    throw new UsageError(`tls.crt (from ${certEntry.origin}) is not a PEM or DER certificate`)
  }
  let key: ReturnType<typeof createPrivateKey>
  try {
    key = createPrivateKey(keyEntry.value)
  } catch {
    throw new UsageError(
      `tls.key (from ${keyEntry.origin}) is not a private key Node can read (PEM PKCS#1, PKCS#8 or SEC1)`,
    )
  }
  if (!cert.checkPrivateKey(key)) {
    throw new UsageError(
      `tls.key (from ${keyEntry.origin}) does not match the certificate in tls.crt (from ${certEntry.origin})`,
    )
  }
  const warnings: string[] = []
  const validTo = new Date(cert.validTo)
  if (validTo.getTime() < now.getTime()) {
    warnings.push(
      `the certificate in tls.crt expired on ${validTo.toISOString()} (subject ${cert.subject.replace(/\n/g, ', ')})`,
    )
  } else if (new Date(cert.validFrom).getTime() > now.getTime()) {
    warnings.push(`the certificate in tls.crt is not valid before ${new Date(cert.validFrom).toISOString()}`)
  }
  return warnings
}

function dockerConfigEntry(
  kind: Extract<SecretKind, { kind: 'docker-registry' }>,
  entries: SecretEntry[],
): SecretEntry {
  const password = entries.find((e) => e.key === DOCKER_PASSWORD_KEY)
  if (!password) {
    throw new UsageError(
      `--docker-registry needs the registry password from a source, under the key "${DOCKER_PASSWORD_KEY}"`,
      {
        hint: `for example --from-prompt=${DOCKER_PASSWORD_KEY} or --from-stdin=${DOCKER_PASSWORD_KEY}`,
      },
    )
  }
  const others = entries.filter((e) => e !== password).map((e) => e.key)
  if (others.length > 0) {
    throw new UsageError(
      `--docker-registry takes only the key "${DOCKER_PASSWORD_KEY}" from sources; unexpected: ${others.join(', ')}`,
    )
  }
  const value = dockerConfigJson(kind.server, kind.username, password.value, kind.email ?? '')
  password.value.fill(0)
  return { key: '.dockerconfigjson', value, origin: password.origin }
}

/**
 * The .dockerconfigjson exactly as kubectl builds it: Go's encoding/json of
 * {"auths":{SERVER:{"username","password","email","auth"}}} with omitempty
 * fields and Go's HTML-safe escaping of <, > and &.
 */
export function dockerConfigJson(
  server: string,
  username: string,
  passwordValue: Buffer | string,
  email: string,
): Buffer {
  const password = typeof passwordValue === 'string' ? Buffer.from(passwordValue, 'utf8') : passwordValue
  const fields: string[] = []
  if (username) fields.push(`"username":${goJsonString(username)}`)
  // Go's encoder replaces invalid UTF-8 with U+FFFD in the JSON string, as toString does;
  // the auth field is base64 of the raw bytes.
  if (password.length > 0) fields.push(`"password":${goJsonString(password.toString('utf8'))}`)
  if (email) fields.push(`"email":${goJsonString(email)}`)
  const userAndPassword = dockerAuthValue(username, password)
  const auth = userAndPassword.toString('base64')
  userAndPassword.fill(0)
  fields.push(`"auth":${goJsonString(auth)}`)
  return Buffer.from(`{"auths":{${goJsonString(server)}:{${fields.join(',')}}}}`, 'utf8')
}

/** What the `auth` field of a .dockerconfigjson holds, before base64: `USERNAME:PASSWORD`. */
export function dockerAuthValue(username: string, password: Buffer): Buffer {
  return Buffer.concat([Buffer.from(`${username}:`, 'utf8'), password])
}

/** A JSON string as Go's json.Marshal writes it (HTML-safe escaping). */
export function goJsonString(s: string): string {
  return JSON.stringify(s).replace(
    /[<>&\u2028\u2029]/g,
    (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`,
  )
}
