/**
 * Vitest global setup for the end-to-end project: one fresh control plane and
 * one unlocked test keyring for the whole run, never the user's own cluster or
 * keychain. A missing component fails the run: end-to-end tests never skip.
 */
import { existsSync, readFileSync } from 'node:fs'
import path from 'node:path'
import 'vitest'
import type { TestProject } from 'vitest/node'
import { type ControlPlaneState, startControlPlane, stopControlPlane } from '../cluster/control-plane.js'
import { type KeyringSession, startKeyringSession, stopKeyringSession } from './keyring.js'

declare module 'vitest' {
  export interface ProvidedContext {
    cluster: ControlPlaneState
    keyring: KeyringSession
  }
}

export default async function setup(project: TestProject) {
  const cluster = await startControlPlane()
  let keyring: KeyringSession | undefined
  try {
    keyring = await startKeyringSession()
  } catch (err) {
    await stopControlPlane(cluster)
    throw err
  }
  project.provide('cluster', cluster)
  project.provide('keyring', keyring)
  return async () => {
    if (keyring) stopKeyringSession(keyring)
    // Tests may restart a component (restartControllerManager), which records the new
    // pid in state.json: stop what is running now, not what was started.
    const statePath = path.join(cluster.dir, 'state.json')
    const current = existsSync(statePath)
      ? (JSON.parse(readFileSync(statePath, 'utf8')) as ControlPlaneState)
      : cluster
    await stopControlPlane(current)
  }
}
