import { describe, expect, it } from 'vitest'
import { podSecretRefs } from '../../../src/secret/pod-secret-refs.js'

describe('podSecretRefs: every place a pod spec names a Secret', () => {
  it('finds env, envFrom, secret and projected volumes and imagePullSecrets, in every kind of container', () => {
    const refs = podSecretRefs({
      initContainers: [{ name: 'init', envFrom: [{ secretRef: { name: 'a' }, prefix: 'A_' }] }],
      containers: [
        { name: 'app', env: [{ name: 'TOKEN', valueFrom: { secretKeyRef: { name: 'b', key: 'k' } } }] },
      ],
      ephemeralContainers: [
        { name: 'debug', env: [{ name: 'X', valueFrom: { secretKeyRef: { name: 'c', key: 'x' } } }] },
      ],
      volumes: [{ secret: { secretName: 'd' } }, { projected: { sources: [{}, { secret: { name: 'e' } }] } }],
      imagePullSecrets: [{ name: 'f' }],
    })
    expect(refs).toEqual([
      { via: 'envFrom', secret: 'a', container: 'init', prefix: 'A_' },
      { via: 'env', secret: 'b', container: 'app', variable: 'TOKEN', key: 'k' },
      { via: 'env', secret: 'c', container: 'debug', variable: 'X', key: 'x' },
      { via: 'volume', secret: 'd' },
      { via: 'volume', secret: 'e' },
      { via: 'imagePullSecrets', secret: 'f' },
    ])
  })

  it('finds nothing in an empty or missing spec, and ignores env that is not from a Secret', () => {
    expect(podSecretRefs(undefined)).toEqual([])
    expect(podSecretRefs({ containers: [{ name: 'a', env: [{ name: 'PLAIN' }], envFrom: [{}] }] })).toEqual(
      [],
    )
  })
})
