/**
 * Name and key rules, as the API server and kubectl apply them, so that bad
 * input is refused before anything is read from a keychain or sent.
 */

const DNS1123_SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/
const CONFIG_MAP_KEY = /^[-._a-zA-Z0-9]+$/
const LABEL_VALUE = /^(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?$/
const QUALIFIED_NAME_PART = /^([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]$/

/** A DNS-1123 subdomain of at most 253 characters: most objects' names, and API group names. */
export function isDnsSubdomain(text: string): boolean {
  return text.length <= 253 && DNS1123_SUBDOMAIN.test(text)
}

/** metadata.name of a Secret: a DNS-1123 subdomain. Returns the problem, or undefined. */
export function secretNameProblem(name: string): string | undefined {
  if (name.length === 0) return 'the name is empty'
  if (name.length > 253) return `the name is ${name.length} characters long, over the limit of 253`
  if (!DNS1123_SUBDOMAIN.test(name)) {
    return "the name must be a DNS subdomain: lower case letters, digits, '-' and '.', starting and ending with a letter or digit"
  }
  return undefined
}

const DNS1123_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/

/** A namespace: a DNS-1123 label, as the API server validates it. Returns the problem, or undefined. */
export function namespaceProblem(namespace: string): string | undefined {
  if (namespace.length > 63 || !DNS1123_LABEL.test(namespace)) {
    return "a namespace must be a DNS label: at most 63 lower case letters, digits and '-', starting and ending with a letter or digit"
  }
  return undefined
}

/** A data key (kubectl's IsConfigMapKey). Returns the problem, or undefined. */
export function secretKeyProblem(key: string): string | undefined {
  if (key.length === 0) return 'the key is empty'
  if (key.length > 253) return `the key is ${key.length} characters long, over the limit of 253`
  if (!CONFIG_MAP_KEY.test(key)) return "a key may contain only letters, digits, '-', '_' and '.'"
  if (key === '.' || key === '..') return `a key may not be '${key}'`
  if (key.startsWith('..')) return "a key may not start with '..'"
  return undefined
}

/** A label or annotation key: an optional DNS-subdomain prefix and a name of up to 63 characters. */
export function qualifiedNameProblem(key: string): string | undefined {
  const parts = key.split('/')
  if (parts.length > 2) return 'it may contain at most one /'
  const name = parts.length === 2 ? (parts[1] as string) : (parts[0] as string)
  if (parts.length === 2) {
    const prefix = parts[0] as string
    if (prefix.length === 0 || prefix.length > 253 || !DNS1123_SUBDOMAIN.test(prefix)) {
      return 'its prefix must be a DNS subdomain'
    }
  }
  if (name.length === 0 || name.length > 63) return 'its name part must be 1 to 63 characters long'
  if (!QUALIFIED_NAME_PART.test(name)) {
    return "its name part may contain letters, digits, '-', '_' and '.', and must start and end with a letter or digit"
  }
  return undefined
}

export function labelValueProblem(value: string): string | undefined {
  if (value.length > 63) return 'a label value may be at most 63 characters long'
  if (!LABEL_VALUE.test(value)) {
    return "a label value may contain letters, digits, '-', '_' and '.', and must start and end with a letter or digit"
  }
  return undefined
}
