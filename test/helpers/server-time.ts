/**
 * The test control plane's own clock, for tests that must measure time against
 * the API server rather than against any process's reading of it: the `Date`
 * header of a response (one-second resolution, truncated).
 */

import { readFileSync } from 'node:fs'
import https from 'node:https'
import type { ControlPlaneState } from '../cluster/control-plane.js'

/** GET PATH as admin; the status, the body, and the server's time of the answer (ms, whole seconds). */
export function getWithServerTime(
  cluster: Pick<ControlPlaneState, 'server' | 'caFile' | 'tokens'>,
  urlPath: string,
): Promise<{ status: number; body: string; serverMs: number }> {
  return new Promise((resolve, reject) => {
    const req = https.request(
      new URL(cluster.server + urlPath),
      {
        method: 'GET',
        ca: readFileSync(cluster.caFile),
        headers: { Authorization: `Bearer ${cluster.tokens.admin}` },
        timeout: 10_000,
      },
      (res) => {
        const chunks: Buffer[] = []
        res.on('data', (c: Buffer) => chunks.push(c))
        res.on('end', () => {
          const serverMs = Date.parse(res.headers.date ?? '')
          if (Number.isNaN(serverMs)) reject(new Error(`no Date header from ${urlPath}`))
          else
            resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8'), serverMs })
        })
      },
    )
    req.on('timeout', () => req.destroy(new Error('timeout')))
    req.on('error', reject)
    req.end()
  })
}

/** The API server's time now (lower bound, whole seconds). */
export async function serverNow(
  cluster: Pick<ControlPlaneState, 'server' | 'caFile' | 'tokens'>,
): Promise<number> {
  return (await getWithServerTime(cluster, '/version')).serverMs
}

/**
 * Polls the object at PATH until it is gone; returns the server's time of the
 * last answer that still had it and of the first that did not.
 */
export async function serverTimesUntilGone(
  cluster: Pick<ControlPlaneState, 'server' | 'caFile' | 'tokens'>,
  urlPath: string,
  timeoutMs: number,
  intervalMs = 100,
): Promise<{ lastPresentMs: number; firstGoneMs: number }> {
  const start = Date.now()
  let lastPresentMs = Number.NaN
  while (Date.now() - start < timeoutMs) {
    const res = await getWithServerTime(cluster, urlPath)
    if (res.status === 404) return { lastPresentMs, firstGoneMs: res.serverMs }
    if (res.status !== 200) throw new Error(`GET ${urlPath}: ${res.status} ${res.body}`)
    lastPresentMs = res.serverMs
    await new Promise((r) => setTimeout(r, intervalMs))
  }
  throw new Error(`${urlPath} still exists after ${timeoutMs} ms`)
}
