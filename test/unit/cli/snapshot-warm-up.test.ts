import { KubeConfig } from '@kubernetes/client-node/dist/config.js'
import { Flags, Parser } from '@oclif/core'
import { describe, expect, it, vi } from 'vitest'
import { warmUpForSnapshot } from '../../../src/cli/snapshot-warm-up.js'
import Create from '../../../src/commands/create.js'

describe('warmUpForSnapshot: create first steps, run while the snapshot is built', () => {
  it("parses a sample kubeconfig and a command line with create's real flags", async () => {
    const parse = vi.fn(Parser.parse)
    const loaded: KubeConfig[] = []
    class Recording extends KubeConfig {
      override loadFromString(text: string): void {
        super.loadFromString(text)
        loaded.push(this)
      }
    }
    await warmUpForSnapshot({ KubeConfig: Recording, parse, create: Create })
    expect(loaded.length).toBeGreaterThan(0)
    expect(loaded[0]?.getCurrentCluster()?.server).toBe('https://127.0.0.1:6443')
    const results = await Promise.all(parse.mock.results.map((r) => r.value))
    expect(results.length).toBe(loaded.length)
    for (const result of results) {
      expect(result.args).toEqual({ name: 'sample' })
      expect(result.flags).toMatchObject({ 'from-stdin': ['key'], namespace: 'default', ttl: '1h' })
    }
  })

  it('fails when the sample no longer parses, so that a release build stops instead of shipping a cold snapshot', async () => {
    const renamed = Object.assign(Object.create(Create), { flags: { other: Flags.string() } })
    await expect(warmUpForSnapshot({ KubeConfig, parse: Parser.parse, create: renamed })).rejects.toThrow()
  })
})
