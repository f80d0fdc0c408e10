import { valueForms } from './value-forms.js'

/** What replaces a value, in any of its forms, in anything the process prints. */
export const REDACTED = '<redacted>'
const REDACTED_BYTES = Buffer.from(REDACTED, 'latin1')

/**
 * Knows the values read in this run, in every form they can come back in
 * (value-forms.ts), and blanks them out of bytes about to be printed. It keeps
 * its own copies, because the values themselves are zeroed once sent, before
 * the server's answer (which may quote them) is printed.
 */
export class Redactor {
  private forms: Buffer[] = []

  /** Learns a value; values shorter than MIN_REDACTED_BYTES are ignored. */
  remember(value: Buffer): void {
    for (const form of valueForms(value)) {
      if (this.forms.some((f) => f.equals(form))) form.fill(0)
      else this.forms.push(form)
    }
    this.forms.sort((a, b) => b.length - a.length)
  }

  get active(): boolean {
    return this.forms.length > 0
  }

  /** `bytes` with every form of every value replaced by `<redacted>`; the same Buffer when none is there. */
  redact(bytes: Buffer): Buffer {
    const found: [number, number][] = []
    for (const form of this.forms) {
      for (let at = bytes.indexOf(form); at !== -1; at = bytes.indexOf(form, at + 1)) {
        found.push([at, at + form.length])
      }
    }
    if (found.length === 0) return bytes
    found.sort((a, b) => a[0] - b[0])
    const parts: Buffer[] = []
    let from = 0
    for (const [start, end] of found) {
      if (end <= from) continue
      if (start >= from) {
        parts.push(bytes.subarray(from, start), REDACTED_BYTES)
      }
      from = end
    }
    parts.push(bytes.subarray(from))
    return Buffer.concat(parts)
  }

  /** Zeroes and drops every value: nothing printed after this is redacted. */
  forget(): void {
    for (const form of this.forms) form.fill(0)
    this.forms = []
  }
}

type Write = (chunk: unknown, encoding?: unknown, callback?: unknown) => boolean

/**
 * Routes every write to `stream` through the redactor: our own output, oclif's,
 * console's and Node's warnings alike. A write without any known value in it
 * passes through untouched (same chunk, encoding and callback).
 */
export function guardStream(stream: NodeJS.WritableStream, redactor: Redactor): void {
  const target = stream as unknown as { write: Write }
  const write = target.write
  target.write = function guardedWrite(this: unknown, chunk, encoding, callback) {
    if (!redactor.active || (typeof chunk !== 'string' && !(chunk instanceof Uint8Array))) {
      return write.call(this, chunk, encoding, callback)
    }
    const bytes =
      typeof chunk === 'string'
        ? Buffer.from(chunk, typeof encoding === 'string' ? (encoding as BufferEncoding) : 'utf8')
        : Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength)
    const redacted = redactor.redact(bytes)
    if (redacted === bytes) return write.call(this, chunk, encoding, callback)
    return write.call(this, redacted, typeof encoding === 'function' ? encoding : callback)
  }
}

const processRedactor = new Redactor()
let guarding = false

/**
 * The one redaction point of the process: every source calls this with each
 * value it reads, as soon as it has read it.
 */
export function rememberValue(value: Buffer): void {
  processRedactor.remember(value)
}

/**
 * Puts the process's redactor in front of process.stdout and process.stderr,
 * once, before a command runs (SafeSecretCommand.init). Wrapping the streams,
 * rather than asking every caller to use one writer, also catches what oclif,
 * console, Node's warnings and any library print. The copies of the values are
 * zeroed when the process exits.
 */
export function guardProcessOutput(): void {
  if (guarding) return
  guarding = true
  guardStream(process.stdout, processRedactor)
  guardStream(process.stderr, processRedactor)
  process.on('exit', () => processRedactor.forget())
  // An uncaught error is not printed by Node (from C++, past this wrapper) but by the
  // process guard (src/cli/guard.ts), through process.stderr.write, so it is redacted too.
}
