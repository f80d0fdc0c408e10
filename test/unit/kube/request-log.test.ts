import { describe, expect, it } from 'vitest'
import { maskHeader, requestLine, responseLine } from '../../../src/kube/request-log.js'

describe('the -v request log', () => {
  it('masks Authorization as kubectl does, keeping the scheme', () => {
    expect(maskHeader('Authorization', 'Bearer abc.def')).toBe('Bearer <masked>')
    expect(maskHeader('authorization', 'opaque')).toBe('<masked>')
    expect(maskHeader('Authorization', 'Basic')).toBe('Basic')
    expect(maskHeader('Accept', 'application/json')).toBe('application/json')
  })
  it('a request line carries canonical header names and never a token', () => {
    const line = requestLine('GET', 'https://k/api', {
      authorization: 'Bearer s3cr3t',
      accept: 'application/json',
    })
    expect(line).toContain('\tAccept: application/json')
    expect(line).toContain('\tAuthorization: Bearer <masked>')
    expect(line).not.toContain('s3cr3t')
  })
  it('a response line carries the fields client-go logs at each level', () => {
    const target = { verb: 'GET', url: 'https://k/api' }
    const headers = { 'content-type': 'application/json' }
    expect(responseLine(6, target, '200 OK', 12, headers)).toBe(
      '"Response" verb="GET" url="https://k/api" status="200 OK" milliseconds=12',
    )
    expect(responseLine(7, target, '200 OK', 12, headers)).toBe('"Response" status="200 OK" milliseconds=12')
    expect(responseLine(8, target, '200 OK', 12, headers)).toBe(
      '"Response" status="200 OK" headers=<\n\tContent-Type: application/json\n > milliseconds=12',
    )
    expect(responseLine(8, target, '', 0, undefined)).toBe('"Response" status="" headers="" milliseconds=0')
  })
})
