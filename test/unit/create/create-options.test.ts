import { describe, expect, it } from 'vitest'
import {
  type CreateFlagValues,
  type CreateOptions,
  completeCreateOptions,
  validateCreateOptions,
} from '../../../src/create/create-options.js'
import { UsageError } from '../../../src/errors/cli-error.js'
import { thrown } from '../../helpers/errors.js'

const complete = (flags: CreateFlagValues, name = 'db') => completeCreateOptions(name, flags)

describe('completeCreateOptions: values on the command line are refused', () => {
  it('--from-literal is refused, and neither message nor hint contains the value', () => {
    const err = thrown<UsageError>(() => complete({ 'from-literal': ['password=Hunter2-Sekret'] }))
    expect(err).toBeInstanceOf(UsageError)
    expect(err.message).toMatch(/^--from-literal is refused on purpose: /)
    expect(err.message).toMatch(/shell history/)
    expect(err.hint).toMatch(/--from-prompt=KEY/)
    for (const part of ['Hunter2-Sekret', 'Hunter2', 'password=']) {
      expect(err.message).not.toContain(part)
      expect(err.hint).not.toContain(part)
    }
  })

  it('--from-literal is refused even alongside valid sources', () => {
    expect(() => complete({ 'from-literal': ['a=b'], 'from-prompt': ['x'] })).toThrow(
      /--from-literal is refused/,
    )
  })

  it('an empty --from-literal list is not a use of it', () => {
    expect(() => complete({ 'from-literal': [], 'from-prompt': ['x'] })).not.toThrow()
  })

  it('--docker-password is refused, and neither message nor hint contains the value', () => {
    const err = thrown<UsageError>(() =>
      complete({ 'docker-registry': true, 'docker-username': 'u', 'docker-password': 'RegistryPa55word' }),
    )
    expect(err.message).toMatch(/^--docker-password is refused on purpose: /)
    expect(err.message).not.toContain('RegistryPa55word')
    expect(err.hint).not.toContain('RegistryPa55word')
    expect(err.hint).toMatch(/under the key "password"/)
  })

  it('--docker-password is refused even when empty', () => {
    expect(() => complete({ 'docker-password': '' })).toThrow(/--docker-password is refused/)
  })
})

describe('completeCreateOptions: defaults', () => {
  it('fills defaults and keeps the sources', () => {
    const opts = complete({ 'from-prompt': ['password'] })
    expect(opts).toMatchObject({
      name: 'db',
      sources: [{ kind: 'prompt', key: 'password' }],
      kind: { kind: 'generic', type: 'Opaque', explicitType: false },
      labels: {},
      annotations: {},
      immutable: false,
      dryRun: 'none',
      fieldManager: 'kubectl-safe-secret',
      appendHash: false,
      overwrite: false,
      keepTrailingNewline: false,
      confirm: false,
    })
    expect(opts.output).toBeUndefined()
    expect(opts.expiry).toBeUndefined()
  })

  it('passes the flags through', () => {
    const opts = complete({
      'from-stdin': ['t'],
      type: 'example.com/x',
      immutable: true,
      'dry-run': 'server',
      output: 'yaml',
      'field-manager': 'me',
      'append-hash': true,
      'keep-trailing-newline': true,
      confirm: true,
      namespace: 'prod',
    })
    expect(opts).toMatchObject({
      kind: { kind: 'generic', type: 'example.com/x', explicitType: true },
      immutable: true,
      dryRun: 'server',
      output: 'yaml',
      fieldManager: 'me',
      appendHash: true,
      keepTrailingNewline: true,
      confirm: true,
    })
    expect(opts.connection.namespace).toBe('prod')
  })

  it('source flag errors surface', () => {
    expect(() => complete({ 'from-stdin': ['a', 'b'] })).toThrow(/stdin can feed only one source/)
  })
})

describe('completeCreateOptions: Secret types', () => {
  it.each<[CreateFlagValues, string]>([
    [
      { tls: true, 'docker-registry': true },
      'choose one Secret type: --tls, --docker-registry cannot be combined',
    ],
    [
      { 'basic-auth': true, 'ssh-auth': true },
      'choose one Secret type: --basic-auth, --ssh-auth cannot be combined',
    ],
    [{ tls: true, type: 'Opaque' }, 'choose one Secret type: --tls, --type cannot be combined'],
    [{ 'ssh-auth': true, type: 'x' }, 'choose one Secret type: --ssh-auth, --type cannot be combined'],
  ])('refuses %j', (flags, message) => {
    expect(thrown<UsageError>(() => complete({ 'from-prompt': ['x'], ...flags })).message).toBe(message)
  })

  it('--cert and --key need --tls', () => {
    expect(() => complete({ cert: 'c.pem' })).toThrow('--cert and --key go with --tls')
    expect(() => complete({ key: 'k.pem' })).toThrow('--cert and --key go with --tls')
  })

  it('--tls with --cert and --key reads them as tls.crt and tls.key', () => {
    const opts = complete({ tls: true, cert: '/c.pem', key: '/k.pem' })
    expect(opts.kind).toEqual({ kind: 'tls' })
    expect(opts.sources).toEqual([
      { kind: 'cert-file', key: 'tls.crt', path: '/c.pem' },
      { kind: 'cert-file', key: 'tls.key', path: '/k.pem' },
    ])
  })

  it('docker flags need --docker-registry, all of them named', () => {
    expect(thrown<UsageError>(() => complete({ 'docker-server': 's' })).message).toBe(
      '--docker-server go with --docker-registry',
    )
    expect(thrown<UsageError>(() => complete({ 'docker-username': 'u', 'docker-email': 'e' })).message).toBe(
      '--docker-username, --docker-email go with --docker-registry',
    )
  })

  it('--docker-registry needs --docker-username', () => {
    expect(() => complete({ 'docker-registry': true, 'from-prompt': ['password'] })).toThrow(
      '--docker-registry needs --docker-username',
    )
  })

  it('--docker-registry defaults the server to Docker Hub', () => {
    expect(
      complete({ 'docker-registry': true, 'docker-username': 'u', 'from-prompt': ['password'] }).kind,
    ).toEqual({
      kind: 'docker-registry',
      server: 'https://index.docker.io/v1/',
      username: 'u',
      email: undefined,
    })
    expect(
      complete({
        'docker-registry': true,
        'docker-username': 'u',
        'docker-server': 'ghcr.io',
        'docker-email': 'a@b',
        'from-prompt': ['password'],
      }).kind,
    ).toEqual({ kind: 'docker-registry', server: 'ghcr.io', username: 'u', email: 'a@b' })
  })

  it('--basic-auth and --ssh-auth', () => {
    expect(complete({ 'basic-auth': true, 'from-prompt': ['password'] }).kind).toEqual({ kind: 'basic-auth' })
    expect(complete({ 'ssh-auth': true, 'from-file': ['ssh-privatekey=/k'] }).kind).toEqual({
      kind: 'ssh-auth',
    })
  })
})

describe('completeCreateOptions: labels and annotations', () => {
  it('parses key=value pairs, the value after the first =', () => {
    const opts = complete({
      'from-prompt': ['x'],
      label: ['app=api', 'app.kubernetes.io/part-of=shop', 'empty='],
      annotation: ['example.com/note=a=b c', 'owner=team <x@y>'],
    })
    expect(opts.labels).toEqual({ app: 'api', 'app.kubernetes.io/part-of': 'shop', empty: '' })
    expect(opts.annotations).toEqual({ 'example.com/note': 'a=b c', owner: 'team <x@y>' })
  })

  it.each(['app', '=v'])('refuses a label without key=value: %j', (pair) => {
    expect(thrown<UsageError>(() => complete({ label: [pair] })).message).toBe(
      '--label takes key=value (what was given is not shown)',
    )
  })

  it('refuses an invalid label key', () => {
    expect(thrown<UsageError>(() => complete({ label: ['a/b/c=v'] })).message).toBe(
      '--label key "a/b/c" is invalid: it may contain at most one /',
    )
  })

  it('refuses an invalid label value, but accepts any annotation value', () => {
    expect(thrown<UsageError>(() => complete({ label: ['app=not valid'] })).message).toMatch(
      /^--label app: a label value may/,
    )
    expect(thrown<UsageError>(() => complete({ label: [`app=${'v'.repeat(64)}`] })).message).toBe(
      '--label app: a label value may be at most 63 characters long',
    )
    expect(complete({ 'from-prompt': ['x'], annotation: ['a=not valid as a label!'] }).annotations).toEqual({
      a: 'not valid as a label!',
    })
  })

  it('refuses an invalid annotation key', () => {
    expect(thrown<UsageError>(() => complete({ annotation: ['-bad=v'] })).message).toMatch(
      /^--annotation key \(not shown, in case it is a value\) is invalid/,
    )
  })

  // Regression (found by these tests, fixed in 26f7afa): duplicates were detected with `key in out`,
  // which also sees Object.prototype members, so "constructor" given once was refused as given twice.
  it('accepts keys named like Object.prototype members, given once', () => {
    expect(complete({ 'from-prompt': ['x'], label: ['constructor=v'] }).labels).toEqual({ constructor: 'v' })
    expect(complete({ 'from-prompt': ['x'], annotation: ['toString=x'] }).annotations).toEqual({
      toString: 'x',
    })
  })

  it('refuses a key given twice', () => {
    expect(thrown<UsageError>(() => complete({ label: ['a=1', 'a=2'] })).message).toBe(
      '--label a is given twice',
    )
    expect(thrown<UsageError>(() => complete({ annotation: ['a=1', 'a=1'] })).message).toBe(
      '--annotation a is given twice',
    )
  })
})

describe('validateCreateOptions', () => {
  const valid = (over: Partial<CreateOptions> = {}): CreateOptions => ({
    ...complete({ 'from-prompt': ['password'] }),
    ...over,
  })

  it('accepts a complete set', () => {
    expect(() => validateCreateOptions(valid())).not.toThrow()
  })

  it('refuses an invalid name', () => {
    expect(thrown<UsageError>(() => validateCreateOptions(valid({ name: 'My_Secret' }))).message).toMatch(
      /^invalid Secret name "My_Secret": the name must be a DNS subdomain/,
    )
    expect(thrown<UsageError>(() => validateCreateOptions(valid({ name: '' }))).message).toBe(
      'invalid Secret name "": the name is empty',
    )
  })

  it('refuses no source at all', () => {
    const err = thrown<UsageError>(() => validateCreateOptions(complete({})))
    expect(err.message).toBe('a value must come from somewhere: no source was given')
    expect(err.hint).toMatch(/--from-prompt=KEY/)
  })

  it('--tls with --cert and --key counts as a source', () => {
    expect(() => validateCreateOptions(complete({ tls: true, cert: '/c', key: '/k' }))).not.toThrow()
  })

  it('refuses --overwrite with an expiry', () => {
    const expiry: CreateOptions['expiry'] = {
      deadline: { kind: 'ttl', ms: 3_600_000, maxMs: 31_536_000_000 },
      mode: 'job',
      compat: [],
    }
    const err = thrown<UsageError>(() => validateCreateOptions(valid({ overwrite: true, expiry })))
    expect(err.message).toMatch(/^--overwrite replaces the data of an existing Secret and keeps its expiry/)
    expect(err.hint).toMatch(/safe-secret extend/)
    expect(() => validateCreateOptions(valid({ overwrite: false, expiry }))).not.toThrow()
    expect(() => validateCreateOptions(valid({ overwrite: true }))).not.toThrow()
  })

  it('refuses --overwrite with --append-hash', () => {
    expect(() => validateCreateOptions(valid({ overwrite: true, appendHash: true }))).toThrow(
      /--append-hash names a new Secret after its content: it cannot be combined with --overwrite/,
    )
  })

  it('parses --owned-by at Complete, and refuses it with --overwrite', () => {
    const opts = complete({ 'from-stdin': ['k'], 'owned-by': 'deploy/web' })
    expect(opts.ownedBy).toMatchObject({ group: 'apps', kind: 'Deployment', name: 'web' })
    expect(() => validateCreateOptions({ ...opts, overwrite: true })).toThrow(
      /--owned-by binds a new Secret to its consumer: it cannot be combined with --overwrite/,
    )
    expect(() => complete({ 'from-stdin': ['k'], 'owned-by': 'widget/x' })).toThrow(/unknown kind/)
  })
})
