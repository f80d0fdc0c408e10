import { describe, expect, it } from 'vitest'
import {
  deadlineSeconds,
  TIMER_IMAGE,
  timerForLabelValue,
  timerGenerateName,
  timerJobManifest,
} from '../../../src/expiry/timer-job.js'

const now = new Date('2026-11-26T12:00:00.000Z')

describe('timerJobManifest', () => {
  it('is a Job that never runs a pod and fails at the deadline', () => {
    const job = timerJobManifest('db-pass', new Date('2026-11-26T12:00:10Z'), now)
    expect(job.spec.parallelism).toBe(0)
    expect(job.spec.activeDeadlineSeconds).toBe(10)
    expect(job.spec.ttlSecondsAfterFinished).toBe(0)
    expect(job.spec.template.spec.restartPolicy).toBe('Never')
    expect(job.spec.template.spec.containers[0]?.image).toBe(TIMER_IMAGE)
    expect(TIMER_IMAGE.startsWith('registry.k8s.io/pause')).toBe(true)
    expect(job.metadata.labels['kubectl-safe-secret.io/timer-for']).toBe('db-pass')
    expect(job.metadata.annotations['kubectl-safe-secret.io/timer-for-secret']).toBe('db-pass')
    expect(job.metadata.generateName).toBe('sst-db-pass-')
  })

  it('keeps the name within 63 characters for the longest Secret names', () => {
    const long = `a${'.b-c'.repeat(62)}`
    const prefix = timerGenerateName(long)
    // The API server appends 5 characters to generateName.
    expect(prefix.length + 5).toBeLessThanOrEqual(63)
    expect(prefix).toMatch(/^[a-z0-9][a-z0-9-]*-$/)
    expect(timerForLabelValue(long)).toMatch(/^h[0-9a-f]{40}$/)
  })

  it('never asks for a deadline below 1 s, and rounds up', () => {
    expect(deadlineSeconds(new Date(now.getTime() - 5000), now)).toBe(1)
    expect(deadlineSeconds(new Date(now.getTime() + 1500), now)).toBe(2)
  })
})
