import { describe, expect, it } from 'vitest'
import { maskHeader, requestLine, responseLine } from '../../../src/kube/request-log.js'

describe('the -v request log', () => {
  it('masks Authorization as kubectl does, keeping the scheme', () => {
    expect(maskHeader('Authorization', 'Bearer abc.def')).toBe('Bearer <masked>')
    expect(maskHeader('authorization', 'opaque')).toBe('<masked>')
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
  it('a response line has verb, url, status and milliseconds', () => {
    expect(responseLine('GET', 'https://k/api', '200 OK', 12)).toBe(
      '"Response" verb="GET" url="https://k/api" status="200 OK" milliseconds=12',
    )
  })
})
