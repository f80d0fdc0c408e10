/** What a call threw, for tests that check an error's message and type. */
export function thrown<E extends Error = Error>(fn: () => unknown): E {
  try {
    fn()
  } catch (err) {
    return err as E
  }
  throw new Error('expected a throw')
}

/** What a promise rejected with. */
export async function rejection<E extends Error = Error>(promise: Promise<unknown>): Promise<E> {
  try {
    await promise
  } catch (err) {
    return err as E
  }
  throw new Error('expected a rejection')
}

/** The lines of a CLI's stderr that are not `hint:` lines: one, for a one-line error. */
export function errorLines(stderr: string): string[] {
  return stderr
    .trim()
    .split('\n')
    .filter((l) => !l.startsWith('hint:'))
}
