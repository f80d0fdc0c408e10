/**
 * kubectl parity at a real terminal (tmux): shell completion of live names
 * through kubectl's own bash and zsh completion scripts, and the one line a
 * silent stdin pipe gets on a terminal's stderr.
 */
import { afterEach, beforeAll, describe, expect, inject, it } from 'vitest'
import { adminRequest } from '../cluster/control-plane.js'
import { createNamespace, getSecret, uniqueName } from '../helpers/cluster-api.js'
import { pluginEnv, safeSecret } from '../helpers/plugin.js'
import { Terminal } from '../helpers/terminal.js'

const cluster = inject('cluster')

let terminal: Terminal | undefined
afterEach(() => {
  terminal?.close()
  terminal = undefined
})

function open(): Terminal {
  // 7 test suites share 2 cores here: a live lookup takes seconds, so give it time (the default is 4 s).
  const env = { ...pluginEnv(cluster), TERM: 'xterm-256color', KUBECTL_SAFE_SECRET_COMPLETION_TIMEOUT: '20' }
  terminal = new Terminal(env as Record<string, string>)
  return terminal
}

const SHELLS = {
  // bash needs the bash-completion package for kubectl's completion script.
  bash: {
    start: 'bash --norc --noprofile',
    setup:
      "PS1='READY$ '; source /usr/share/bash-completion/bash_completion && source <(kubectl completion bash) && echo SOURCED",
    list: ['Tab', 'Tab'],
  },
  zsh: {
    start: 'zsh -f',
    setup:
      "PS1='READY$ '; autoload -U compinit && compinit -u && source <(kubectl completion zsh) && echo SOURCED",
    list: ['Tab'],
  },
} as const

describe.each(Object.keys(SHELLS) as (keyof typeof SHELLS)[])(
  'completion in %s, through kubectl',
  (shell) => {
    let ns: string
    beforeAll(async () => {
      ns = await createNamespace(cluster, `comp-${shell}`)
      for (const name of ['app-one', 'app-two']) {
        const res = await safeSecret(cluster, ['create', name, '--from-stdin=k', '-n', ns], { stdin: 'v' })
        expect(res.code, res.stderr).toBe(0)
      }
      // Not managed: extend cannot act on it, so it is not offered.
      const res = await adminRequest(cluster, 'POST', `/api/v1/namespaces/${ns}/secrets`, {
        metadata: { name: 'app-unmanaged' },
      })
      expect(res.status).toBe(201)
    })

    /** Types `line`, asks the shell to complete it, and waits until the screen shows `expected`. */
    async function completeLine(line: string, expected: RegExp): Promise<string> {
      const term = open()
      const sh = SHELLS[shell]
      term.start(sh.start)
      term.type(`${sh.setup}\n`)
      await term.waitFor(/^SOURCED$/m, 30_000)
      term.type('clear\n')
      await term.waitFor(/^READY\$\s*$/m)
      term.type(line)
      // The shell reads the keys in turn: a second Tab waits for the first completion.
      for (const key of sh.list) term.press(key)
      // kubectl, then the plugin's completion with its live lookup: seconds on a loaded machine.
      return term.waitFor(expected, 30_000)
    }

    it('-n offers the namespaces of the cluster', async () => {
      const screen = await completeLine(`kubectl safe-secret list -n comp-${shell}`, new RegExp(ns))
      expect(screen).not.toMatch(/package\.json|README/)
    })

    it('--context offers the contexts of the kubeconfig', async () => {
      await completeLine('kubectl safe-secret list --context ', /admin[\s\S]*limited[\s\S]*outsider/)
    })

    it('extend offers the managed Secrets of the namespace, and only those', async () => {
      const screen = await completeLine(`kubectl safe-secret extend -n ${ns} app-`, /app-one[\s\S]*app-two/)
      expect(screen).not.toContain('app-unmanaged')
    })

    it('topics carry the description help gives them', async () => {
      if (shell === 'zsh') {
        await completeLine(
          'kubectl safe-secret ',
          /keychain\s+--\s+Store, list and delete OS keychain entries/,
        )
      } else {
        // bash shows no descriptions: the topic word completes.
        await completeLine('kubectl safe-secret ke', /kubectl safe-secret keychain/)
      }
    })
  },
)

describe('a silent stdin pipe, at a terminal', () => {
  it('gets one line on stderr after 3 s saying what is awaited; Ctrl-C leaves nothing behind', async () => {
    const ns = await createNamespace(cluster, 'silent')
    const name = uniqueName('waiting')
    const term = open()
    // An interactive shell, so that Ctrl-C ends the pipeline and not the pane.
    term.start('bash --norc --noprofile')
    term.type(`sleep 120 | kubectl safe-secret create ${name} --from-stdin=token -n ${ns}\n`)
    const started = Date.now()
    const screen = await term.waitFor(/waiting for --from-stdin=token on stdin/, 20_000)
    expect(Date.now() - started).toBeGreaterThanOrEqual(2500)
    expect(screen.match(/waiting for/g)).toHaveLength(1)
    term.press('C-c')
    // Ctrl-C ends the whole command line, the echo included: the prompt comes back.
    await term.waitFor(/\^C\s*\n[^\n]*[#$]\s*$/, 20_000)
    expect(await getSecret(cluster, ns, name)).toBeUndefined()
  })
})
