/**
 * What an error may repeat of the text a user typed. A value typed in the
 * wrong place (as a NAME, after --ttl, instead of a flag) must never be
 * printed back, so an error names the flag or argument and the form it
 * expects, and quotes the text only when it cannot be a secret by its shape:
 * a word from a closed set (checked by the caller), a name, a flag name, or a
 * path of plain characters. A password-like string (`P@ss!.../w0rd+==`) has
 * characters none of these allow.
 */

/** Said in place of text that is not shown. */
export const NOT_SHOWN = '(not shown, in case it is a value)'

/**
 * Letters, digits, '.', '_' and '-', starting with a letter or digit, at most
 * 253: Kubernetes object names (DNS-1123), Secret keys, label keys without a
 * prefix, environment variable names, kubeconfig context names.
 */
export function isPlainName(text: string): boolean {
  return /^[A-Za-z0-9][A-Za-z0-9._-]{0,252}$/.test(text)
}

/** A path of POSIX portable file name characters and '/', not starting with '-'. */
export function isPlainPath(text: string): boolean {
  return /^[A-Za-z0-9._/][A-Za-z0-9._/-]{0,4095}$/.test(text)
}

/**
 * A keychain service or account as typed: a plain path (names, `db/admin`) or
 * a URL of plain characters (`https://db.example.com:5432`).
 */
export function isPlainEntryName(text: string): boolean {
  return isPlainPath(text) || /^[a-z][a-z0-9.-]*:\/\/[A-Za-z0-9._:/-]+$/.test(text)
}

/** `"text"` when it is a plain keychain service or account; NOT_SHOWN otherwise. */
export function quoteEntryName(text: string): string {
  return isPlainEntryName(text) ? JSON.stringify(text) : NOT_SHOWN
}

/** `--name` or `-n`: what a flag's name looks like. */
export function isFlagName(text: string): boolean {
  return /^--?[A-Za-z0-9][A-Za-z0-9-]{0,63}$/.test(text)
}

/** `"text"` when it is a plain name (or empty); NOT_SHOWN otherwise. */
export function quoteName(text: string): string {
  return text === '' || isPlainName(text) ? `"${text}"` : NOT_SHOWN
}

/** `text` (in quotes if asked) when it is a plain path; NOT_SHOWN otherwise. */
export function quotePath(text: string, quotes = false): string {
  if (!isPlainPath(text)) return NOT_SHOWN
  return quotes ? `"${text}"` : text
}

/** Why a file could not be read, in words, for the usual errno codes; undefined for others. */
export function fileErrorReason(code: string | undefined): string | undefined {
  if (code === 'ENOENT') return 'no such file'
  if (code === 'EACCES') return 'permission denied'
  if (code === 'EISDIR') return 'it is a directory'
  return undefined
}
