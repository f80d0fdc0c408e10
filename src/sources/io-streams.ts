/**
 * The process's streams, injected so that tests can drive a TTY case and a
 * piped case without patching globals (GitHub CLI's IOStreams).
 */
export interface IOStreams {
  stdin: NodeJS.ReadableStream & { isTTY?: boolean }
  stdout: NodeJS.WritableStream & { isTTY?: boolean }
  stderr: NodeJS.WritableStream & { isTTY?: boolean }
}

export function processStreams(): IOStreams {
  return { stdin: process.stdin, stdout: process.stdout, stderr: process.stderr }
}

/** Whether we may ask questions: stdin and stderr (where prompts go) are both terminals. */
export function canPrompt(io: IOStreams): boolean {
  return Boolean(io.stdin.isTTY && io.stderr.isTTY)
}

/** Reads all of a stream as bytes, binary-safe. */
export async function readAll(stream: NodeJS.ReadableStream): Promise<Buffer> {
  const chunks: Buffer[] = []
  for await (const chunk of stream)
    chunks.push(typeof chunk === 'string' ? Buffer.from(chunk) : (chunk as Buffer))
  const all = Buffer.concat(chunks)
  for (const c of chunks) c.fill(0)
  return all
}

/** Drops one trailing newline (`\n` or `\r\n`), as `$(cmd)` would, without copying the rest. */
export function trimOneTrailingNewline(value: Buffer): Buffer {
  if (value.length > 0 && value[value.length - 1] === 0x0a) {
    const cut = value.length > 1 && value[value.length - 2] === 0x0d ? 2 : 1
    const trimmed = value.subarray(0, value.length - cut)
    value.subarray(value.length - cut).fill(0)
    return trimmed
  }
  return value
}
