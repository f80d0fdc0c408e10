import { describe, expect, it } from 'vitest'
import { parseRequestTimeout } from '../../../src/time/duration.js'

describe("parseRequestTimeout (kubectl's --request-timeout)", () => {
  it.each([
    ['0', 0],
    ['5', 5000],
    ['30', 30_000],
    ['500ms', 500],
    ['5s', 5000],
    ['1m', 60_000],
    ['1h', 3_600_000],
    ['1m30s', 90_000],
    [' 10s ', 10_000],
    ['0s', 0],
    ['1.5s', 1500],
    ['250us', 1],
    ['2h45m', 9_900_000],
  ])('%j -> %d ms', (text, ms) => {
    expect(parseRequestTimeout(text)).toBe(ms)
  })

  it.each(['', 'soon', '-1', '-5s', '5x', 's', '5 s', '1e3', '1d', '2w', '.5s'])(
    '%j is not a timeout',
    (text) => {
      expect(parseRequestTimeout(text)).toBeUndefined()
    },
  )
})
