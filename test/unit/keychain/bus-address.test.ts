import { mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { describe, expect, it } from 'vitest'
import { findSessionBus, parseBusAddress } from '../../../src/keychain/secret-service/bus-address.js'

describe('parseBusAddress', () => {
  it('reads unix paths, abstract sockets and tcp, skipping guid and unknown transports', () => {
    expect(
      parseBusAddress(
        'unix:path=/run/user/1000/bus,guid=abc;unix:abstract=/tmp/dbus-x;tcp:host=127.0.0.1,port=5000;launchd:env=X',
      ),
    ).toEqual([
      { kind: 'path', path: '/run/user/1000/bus' },
      { kind: 'abstract', name: '/tmp/dbus-x' },
      { kind: 'tcp', host: '127.0.0.1', port: 5000 },
    ])
  })

  it('decodes %-escapes', () => {
    expect(parseBusAddress('unix:path=/tmp/a%20b%2cc')).toEqual([{ kind: 'path', path: '/tmp/a b,c' }])
  })
})

describe('findSessionBus', () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'bus-address-'))
  const socket = path.join(dir, 'bus')
  writeFileSync(socket, '')

  it('says when DBUS_SESSION_BUS_ADDRESS is not set and there is no $XDG_RUNTIME_DIR/bus', () => {
    expect(findSessionBus({})).toEqual({ ok: false, detail: 'DBUS_SESSION_BUS_ADDRESS is not set' })
    expect(findSessionBus({ XDG_RUNTIME_DIR: path.join(dir, 'nope') }).ok).toBe(false)
  })

  it('falls back to $XDG_RUNTIME_DIR/bus, as systemd and dbus-broker provide', () => {
    const found = findSessionBus({ XDG_RUNTIME_DIR: dir })
    expect(found).toMatchObject({ ok: true, endpoint: { kind: 'path', path: socket } })
  })

  it('says which socket does not exist', () => {
    expect(findSessionBus({ DBUS_SESSION_BUS_ADDRESS: 'unix:path=/nonexistent/bus,guid=1' })).toEqual({
      ok: false,
      detail: 'DBUS_SESSION_BUS_ADDRESS points at /nonexistent/bus, which does not exist',
    })
  })

  it('says when the address has nothing usable', () => {
    expect(findSessionBus({ DBUS_SESSION_BUS_ADDRESS: 'garbage' })).toMatchObject({ ok: false })
  })

  it('takes the first existing socket', () => {
    expect(
      findSessionBus({ DBUS_SESSION_BUS_ADDRESS: `unix:path=/nonexistent;unix:path=${socket}` }),
    ).toMatchObject({ ok: true, endpoint: { kind: 'path', path: socket } })
  })
})

describe('a bus that never answers', () => {
  it('fails with a "no session bus" message within 2 s instead of hanging', async () => {
    const { createServer } = await import('node:net')
    const { SessionBus } = await import('../../../src/keychain/secret-service/bus.js')
    const socketPath = path.join(mkdtempSync(path.join(tmpdir(), 'mute-bus-')), 'bus')
    const held: import('node:net').Socket[] = []
    const server = createServer((conn) => held.push(conn)) // accepts, never speaks
    await new Promise<void>((resolve) => server.listen(socketPath, resolve))
    const started = Date.now()
    try {
      const err = await SessionBus.connect({
        env: { DBUS_SESSION_BUS_ADDRESS: `unix:path=${socketPath}` },
      }).catch((e) => e)
      expect(err.reason).toBe('no-bus')
      expect(err.message).toMatch(/did not answer within 1500 ms/)
      expect(Date.now() - started).toBeLessThan(2000)
    } finally {
      for (const c of held) c.destroy()
      server.close()
    }
  })
})
