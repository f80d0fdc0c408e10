/**
 * An oclif "user plugin" as oclif finds them: listed in
 * $HOME/.local/share/kubectl-safe-secret/package.json, with an init hook that
 * writes a marker file when oclif loads it. A CLI that loaded it would run that
 * code in-process, next to the values it reads.
 */
import { existsSync, mkdirSync, writeFileSync } from 'node:fs'
import path from 'node:path'

export interface UserPlugin {
  /** Exists once the hook has run. */
  marker: string
  ran: () => boolean
}

export function installOclifUserPlugin(home: string): UserPlugin {
  const root = path.join(home, 'user-plugin')
  const marker = path.join(home, 'user-plugin-ran')
  mkdirSync(root, { recursive: true })
  writeFileSync(
    path.join(root, 'package.json'),
    JSON.stringify({ name: 'user-plugin', version: '1.0.0', oclif: { hooks: { init: './hook.cjs' } } }),
  )
  writeFileSync(
    path.join(root, 'hook.cjs'),
    `module.exports = async () => { require('node:fs').writeFileSync(${JSON.stringify(marker)}, 'ran') }\n`,
  )
  const dataDir = path.join(home, '.local', 'share', 'kubectl-safe-secret')
  mkdirSync(dataDir, { recursive: true })
  writeFileSync(
    path.join(dataDir, 'package.json'),
    JSON.stringify({ oclif: { plugins: [{ type: 'user', name: 'user-plugin', root }] } }),
  )
  return { marker, ran: () => existsSync(marker) }
}
