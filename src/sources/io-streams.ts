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
export async function readAll(stream: NodeJS.ReadableStream, onChunk?: () => void): Promise<Buffer> {
  const chunks: Buffer[] = []
  for await (const chunk of stream) {
    onChunk?.()
    chunks.push(typeof chunk === 'string' ? Buffer.from(chunk) : (chunk as Buffer))
  }
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

/** How long a silent pipe on stdin may wait before we say what we are waiting for. */
export const STDIN_NOTICE_AFTER_MS = 3000

/**
 * readAll on stdin that, when stdin is a pipe (or file) that has sent nothing
 * for 3 s and stderr is a terminal someone is looking at, says once on stderr
 * what is awaited: a pipe that never closes would otherwise wait in silence.
 */
export async function readStdin(
  io: IOStreams,
  what: string,
  afterMs = STDIN_NOTICE_AFTER_MS,
): Promise<Buffer> {
  if (io.stdin.isTTY || !io.stderr.isTTY) return readAll(io.stdin)
  const timer = setTimeout(() => {
    io.stderr.write(
      `waiting for ${what} on stdin: nothing has arrived yet (end the input, or press Ctrl-C to stop)\n`,
    )
  }, afterMs)
  // Waiting for input is what keeps the process alive, not this timer.
  timer.unref()
  try {
    return await readAll(io.stdin, () => clearTimeout(timer))
  } finally {
    clearTimeout(timer)
  }
}
