/**
 * The forms in which a value read in this run can come back to us in text:
 * as is, in base64 (standard with and without padding, URL-safe), and as the
 * inside of a JSON or Go string literal. Every form is built straight into a
 * Buffer, never into a JS string, so the redaction point can zero it at exit.
 */

/** Values shorter than this are not redacted: `abc` would blank out every word holding it. */
export const MIN_REDACTED_BYTES = 4

const STANDARD = Buffer.from('ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/', 'latin1')
const URL_SAFE = Buffer.from('ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_', 'latin1')

/** Base64 of `value` into a new Buffer (RFC 4648), with or without `=` padding. */
export function base64Bytes(value: Buffer, alphabet: 'standard' | 'url', pad: boolean): Buffer {
  const table = alphabet === 'standard' ? STANDARD : URL_SAFE
  const full = Math.floor(value.length / 3)
  const rest = value.length % 3
  const out = Buffer.alloc(full * 4 + (rest === 0 ? 0 : pad ? 4 : rest + 1))
  let o = 0
  let i = 0
  for (; i < full * 3; i += 3) {
    const n = ((value[i] as number) << 16) | ((value[i + 1] as number) << 8) | (value[i + 2] as number)
    out[o++] = table[(n >> 18) & 63] as number
    out[o++] = table[(n >> 12) & 63] as number
    out[o++] = table[(n >> 6) & 63] as number
    out[o++] = table[n & 63] as number
  }
  if (rest > 0) {
    const n = ((value[i] as number) << 16) | (rest === 2 ? (value[i + 1] as number) << 8 : 0)
    out[o++] = table[(n >> 18) & 63] as number
    out[o++] = table[(n >> 12) & 63] as number
    if (rest === 2) out[o++] = table[(n >> 6) & 63] as number
    else if (pad) out[o++] = 0x3d
    if (pad) out[o++] = 0x3d
  }
  return out
}

const HEX = Buffer.from('0123456789abcdef', 'latin1')
const SHORT_ESCAPES: Record<number, number> = { 8: 0x62, 9: 0x74, 10: 0x6e, 12: 0x66, 13: 0x72 }

/**
 * The inside of a string literal holding `value`, byte by byte (UTF-8 passes
 * through): `json` as JSON.stringify writes it, `go-json` as Go's encoding/json
 * (which also escapes <, >, &, U+2028 and U+2029, as the API server does), and
 * `go-quote` as Go's %q (\a, \v and \xNN for the other control bytes).
 */
export function quotedBytes(value: Buffer, style: 'json' | 'go-json' | 'go-quote'): Buffer {
  const out: number[] = []
  const unicode = (code: number) => {
    out.push(0x5c, 0x75)
    for (const shift of [12, 8, 4, 0]) out.push(HEX[(code >> shift) & 15] as number)
  }
  for (let i = 0; i < value.length; i++) {
    const b = value[i] as number
    if (b === 0x22 || b === 0x5c) out.push(0x5c, b)
    else if (SHORT_ESCAPES[b] !== undefined) out.push(0x5c, SHORT_ESCAPES[b] as number)
    else if (style === 'go-quote' && (b === 0x07 || b === 0x0b)) out.push(0x5c, b === 0x07 ? 0x61 : 0x76)
    else if (style === 'go-quote' && (b < 0x20 || b === 0x7f))
      out.push(0x5c, 0x78, HEX[b >> 4] as number, HEX[b & 15] as number)
    else if (b < 0x20) unicode(b)
    else if (style === 'go-json' && (b === 0x3c || b === 0x3e || b === 0x26)) unicode(b)
    else if (
      style === 'go-json' &&
      b === 0xe2 &&
      value[i + 1] === 0x80 &&
      (value[i + 2] === 0xa8 || value[i + 2] === 0xa9)
    ) {
      unicode(value[i + 2] === 0xa8 ? 0x2028 : 0x2029)
      i += 2
    } else out.push(b)
  }
  const bytes = Buffer.from(out)
  out.fill(0)
  return bytes
}

/**
 * Every distinct form of `value` worth looking for, longest first (so a padded
 * base64 match wins over its unpadded prefix). Empty for values shorter than
 * MIN_REDACTED_BYTES. The caller owns the Buffers and zeroes them.
 */
export function valueForms(value: Buffer): Buffer[] {
  if (value.length < MIN_REDACTED_BYTES) return []
  const candidates = [
    Buffer.from(value),
    base64Bytes(value, 'standard', true),
    base64Bytes(value, 'standard', false),
    base64Bytes(value, 'url', true),
    base64Bytes(value, 'url', false),
    quotedBytes(value, 'json'),
    quotedBytes(value, 'go-json'),
    quotedBytes(value, 'go-quote'),
  ]
  const forms: Buffer[] = []
  for (const form of candidates) {
    if (forms.some((f) => f.equals(form))) form.fill(0)
    else forms.push(form)
  }
  return forms.sort((a, b) => b.length - a.length)
}
