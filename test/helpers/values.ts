/** Unique values and places for one test. */
import { randomBytes } from 'node:crypto'
import { mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'

/** A unique random value to search for in output, traces and the cluster. */
export function marker(prefix = 'MARKER'): string {
  return `${prefix}${randomBytes(12).toString('hex')}`
}

export function tempDir(purpose: string): string {
  return mkdtempSync(path.join(tmpdir(), `safe-secret-${purpose}-`))
}
