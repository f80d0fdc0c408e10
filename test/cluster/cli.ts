/**
 * `npm run cluster:up` / `npm run cluster:down`: the local control plane for
 * demos, benchmarks and manual checks. State lives in .cluster/ (git-ignored):
 * the kubeconfig and a pointer to the temporary runtime directory.
 */
import { mkdirSync, rmSync, writeFileSync } from 'node:fs'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import {
  adminRequest,
  isControlPlaneAlive,
  readControlPlaneState,
  startControlPlane,
  stopControlPlane,
} from './control-plane.js'

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..')
const clusterDir = path.join(root, '.cluster')
const stateFile = path.join(clusterDir, 'state.json')
const kubeconfig = path.join(clusterDir, 'kubeconfig')

async function up(): Promise<void> {
  const existing = readControlPlaneState(stateFile)
  if (existing && isControlPlaneAlive(existing)) {
    const ready = await adminRequest(existing, 'GET', '/readyz').catch(() => ({ status: 0 }))
    if (ready.status === 200) {
      console.log(`cluster already up at ${existing.server}\nexport KUBECONFIG=${kubeconfig}`)
      return
    }
  }
  if (existing) await stopControlPlane(existing)
  mkdirSync(clusterDir, { recursive: true })
  const encryptionAtRest = process.argv.includes('--encryption-at-rest')
  const state = await startControlPlane({ encryptionAtRest }, kubeconfig)
  writeFileSync(stateFile, JSON.stringify(state, null, 2))
  console.log(
    `cluster up at ${state.server} (contexts: admin, limited, outsider)\nexport KUBECONFIG=${kubeconfig}`,
  )
}

async function down(): Promise<void> {
  const existing = readControlPlaneState(stateFile)
  if (!existing) {
    console.log('no cluster from .cluster/ is running')
    return
  }
  await stopControlPlane(existing)
  rmSync(clusterDir, { recursive: true, force: true })
  console.log('cluster stopped and its state removed')
}

const command = process.argv[2]
try {
  if (command === 'up') await up()
  else if (command === 'down') await down()
  else {
    console.error('usage: cluster.ts up [--encryption-at-rest] | down')
    process.exitCode = 2
  }
} catch (err) {
  console.error(`cluster ${command}: ${(err as Error).message}`)
  process.exitCode = 1
}
