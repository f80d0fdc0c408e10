/**
 * Timers created while kube-controller-manager is down: the job controller
 * has not started them (no status.startTime), so their deadline has not begun
 * to run. `list` shows them as pending, `reap` deletes by expires-at whatever
 * the timer's state, and a timer left to itself fires once the controller
 * manager is back, late by at most the time from its creation to that return.
 *
 * This file starts its own control plane: stopping the controller manager of
 * the shared one would delay the other files' timers.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import {
  adminRequest,
  type ControlPlaneState,
  isAlive,
  restartControllerManager,
  startControlPlane,
  stopControlPlane,
} from '../cluster/control-plane.js'
import { createNamespace, getSecret, type SecretObject, uniqueName } from '../helpers/cluster-api.js'
import { tableRows } from '../helpers/list-table.js'
import { safeSecret } from '../helpers/plugin.js'
import { serverNow, serverTimesUntilGone } from '../helpers/server-time.js'
import { marker } from '../helpers/values.js'

const EXPIRES_AT = 'kubectl-safe-secret.io/expires-at'
const OUTAGE_MS = 60_000

let cluster: ControlPlaneState
let ns: string
beforeAll(async () => {
  cluster = await startControlPlane()
  ns = await createNamespace(cluster, 'pending')
})
afterAll(async () => {
  if (cluster) await stopControlPlane(cluster)
})

async function until(check: () => Promise<boolean>, timeoutMs: number, what: string): Promise<void> {
  const deadline = Date.now() + timeoutMs
  while (Date.now() < deadline) {
    if (await check()) return
    await new Promise((r) => setTimeout(r, 200))
  }
  throw new Error(`${what} within ${timeoutMs} ms`)
}

describe('timers created while kube-controller-manager is down', () => {
  it('are listed as pending, reaped by expires-at, and otherwise fire late by at most the rest of the outage', async () => {
    const pid = cluster.pids.controllerManager
    // Down for OUTAGE_MS, then back with the same arguments.
    const restarted = restartControllerManager(cluster, OUTAGE_MS)
    await until(async () => !isAlive(pid), 20_000, 'kube-controller-manager stopped')
    const downAt = await serverNow(cluster)

    const reaped = uniqueName('reaped')
    const waited = uniqueName('waited')
    await Promise.all(
      [reaped, waited].map(async (name) => {
        const res = await safeSecret(
          cluster,
          ['create', name, '--from-stdin=token', '--ttl', '6s', '-n', ns, '-l', `case=${name}`],
          { stdin: marker() },
        )
        expect(res.stderr).toBe('')
        expect(res.code).toBe(0)
      }),
    )
    const [a, b] = (await Promise.all([getSecret(cluster, ns, reaped), getSecret(cluster, ns, waited)])) as [
      SecretObject,
      SecretObject,
    ]
    const createdB = Date.parse(b.metadata.creationTimestamp as string)
    const expiresA = Date.parse(a.metadata.annotations?.[EXPIRES_AT] as string)
    const expiresB = Date.parse(b.metadata.annotations?.[EXPIRES_AT] as string)

    // Several seconds after their creation, neither timer has started: list says pending.
    while ((await serverNow(cluster)) < createdB + 6000) await new Promise((r) => setTimeout(r, 250))
    const list = await safeSecret(cluster, ['list', '-n', ns])
    expect(list.code).toBe(0)
    const timers = Object.fromEntries(tableRows(list.stdout).map((r) => [r.NAME, r.TIMER]))
    expect(timers).toEqual({ [reaped]: 'pending', [waited]: 'pending' })

    // reap is the backstop: it deletes by expires-at, though the timer never started.
    while ((await serverNow(cluster)) < expiresA) await new Promise((r) => setTimeout(r, 250))
    const reap = await safeSecret(cluster, ['reap', '-n', ns, '-l', `case=${reaped}`])
    expect(reap.code).toBe(0)
    expect(reap.stdout).toContain(`secret "${reaped}" deleted from ${ns} namespace`)
    expect(await getSecret(cluster, ns, reaped)).toBeUndefined()
    // All of this happened during the outage (no job controller could have helped).
    expect(cluster.pids.controllerManager).toBe(pid)

    // The other one waits for the controller manager, then fires a full deadline after its start.
    await restarted
    const backAt = await serverNow(cluster)
    // When the job controller really started its timer (status.startTime, set by the server):
    // a controller manager under load takes longer than its process start to sync.
    const timer = b.metadata.ownerReferences?.find((r) => r.kind === 'Job')?.name
    let startedAt = Number.NaN
    await until(
      async () => {
        const res = await adminRequest(cluster, 'GET', `/apis/batch/v1/namespaces/${ns}/jobs/${timer}`)
        const started = res.status === 200 ? JSON.parse(res.body).status?.startTime : undefined
        if (started) startedAt = Date.parse(started)
        return started !== undefined
      },
      90_000,
      'the timer Job started',
    )
    const { lastPresentMs, firstGoneMs } = await serverTimesUntilGone(
      cluster,
      `/api/v1/namespaces/${ns}/secrets/${waited}`,
      90_000,
    )
    const late = firstGoneMs - expiresB
    const bound = backAt - createdB
    const createdToStart = startedAt - createdB
    console.log(
      `pending-timer outage=${backAt - downAt}ms created-to-return=${bound}ms created-to-start=${createdToStart}ms late-by=${late}ms (last present ${lastPresentMs - expiresB}ms after expiry)`,
    )
    // Never early; late by at least the time from its creation to the controller manager's
    // return, and by at most the time until the job controller started the timer, plus the
    // deadline's firing, the ttl-after-finished controller and the garbage collector (seconds).
    expect(lastPresentMs).toBeGreaterThanOrEqual(expiresB)
    expect(late).toBeGreaterThan(bound - 2000)
    expect(late).toBeLessThanOrEqual(createdToStart + 10_000)
  })
})
