import { createInterface } from 'node:readline/promises'

/** Asks a yes/no question on the terminal (prompt on stderr, so stdout stays the report). */
export async function confirmOnTty(question: string): Promise<boolean> {
  const rl = createInterface({ input: process.stdin, output: process.stderr, terminal: true })
  try {
    const answer = await rl.question(`${question} [y/N] `)
    return /^y(es)?$/i.test(answer.trim())
  } finally {
    rl.close()
  }
}
