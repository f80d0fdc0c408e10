import { describe, expect, it } from 'vitest'
import { matchSecretCommand } from '../../../src/audit/local/history-rules.js'
import { kubectlAliasesOf, parseAliasDefinitions } from '../../../src/audit/local/kubectl-aliases.js'

describe('kubectl aliases', () => {
  it('reads bash/zsh and fish definitions, and keeps those that lead to kubectl', () => {
    const defs = parseAliasDefinitions(
      [
        "alias kp='kubectl -n prod' ll='ls -l'",
        'alias kk=kp',
        'alias g=git',
        '# alias commented=kubectl',
        'alias kf kubectl',
        'abbr -a kb /usr/local/bin/kubectl',
      ].join('\n'),
    )
    const aliases = kubectlAliasesOf(defs)
    expect([...aliases.keys()].sort()).toEqual(['k', 'kb', 'kf', 'kk', 'kp'])
    expect(aliases.get('kp')).toEqual(['kubectl', '-n', 'prod'])
  })

  it('`k` is kubectl unless the rc files make it something else', () => {
    expect(kubectlAliasesOf(new Map()).has('k')).toBe(true)
    expect(kubectlAliasesOf(parseAliasDefinitions('alias k=kill')).has('k')).toBe(false)
  })

  it('history entries typed with an alias are found; other commands named like one are not', () => {
    const aliases = kubectlAliasesOf(parseAliasDefinitions("alias kp='kubectl -n prod'\nalias kk=kp"))
    expect(matchSecretCommand('k create secret generic x --from-literal=pw=hunter2', aliases)).toEqual([
      { flag: '--from-literal', keys: ['pw'] },
    ])
    expect(matchSecretCommand('kk create secret generic x --from-literal=a=b', aliases)).toHaveLength(1)
    expect(matchSecretCommand('echo c2VjcmV0 | base64 | kp apply -f -', aliases)).toEqual([
      { flag: 'echo | base64', keys: [] },
    ])
    expect(matchSecretCommand('kx create secret generic x --from-literal=a=b', aliases)).toEqual([])
    expect(matchSecretCommand('echo k create --from-literal=a=b', aliases)).toEqual([])
  })
})
