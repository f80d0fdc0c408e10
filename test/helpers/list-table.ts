/** `kubectl safe-secret list`'s table as records by column header (no cell holds a space). */
export function tableRows(stdout: string): Record<string, string>[] {
  const [header, ...rows] = stdout.trim().split('\n')
  const columns = (header ?? '').trim().split(/\s+/)
  return rows.map((row) => {
    const cells = row.trim().split(/\s+/)
    return Object.fromEntries(columns.map((c, i) => [c, cells[i] ?? '']))
  })
}

/** A REMAINING or AGE cell below an hour (`45s`, `3m12s`, `59m`) in milliseconds. */
export function shortDurationMs(text: string): number {
  const m = /^(?:(\d+)m)?(?:(\d+)s)?$/.exec(text)
  if (!m || text === '') throw new Error(`not a short duration: ${text}`)
  return (Number(m[1] ?? 0) * 60 + Number(m[2] ?? 0)) * 1000
}
