/**
 * Vitest global setup for the end-to-end project: one fresh control plane and
 * one unlocked test keyring for the whole run, never the user's own cluster or
 * keychain. A missing component fails the run: end-to-end tests never skip.
 */
import path from 'node:path'
import 'vitest'
import type { TestProject } from 'vitest/node'
import {
  type ControlPlaneState,
  readControlPlaneState,
  startControlPlane,
  stopControlPlane,
} from '../cluster/control-plane.js'
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
    await stopControlPlane(readControlPlaneState(path.join(cluster.dir, 'state.json')) ?? cluster)
  }
}
