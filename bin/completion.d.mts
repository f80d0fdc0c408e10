export declare const Directive: { Default: number; NoSpace: number; NoFileComp: number }
export interface Lookup {
  kind: 'namespaces' | 'contexts' | 'clusters' | 'users' | 'secrets'
  flags: Record<string, string | boolean | string[]>
  partial: string
  valuePrefix: string
  managedOnly?: boolean
}
export interface Completion {
  candidates: string[]
  directive: number
  lookup?: Lookup
}
export declare const LOOKUP_TIMEOUT_MS: number
export declare const LOOKUP_TIMEOUT_ENV: string
export declare function lookupTimeoutMs(env?: Record<string, string | undefined>): number
export declare function complete(
  manifest: { commands?: Record<string, unknown> },
  words: string[],
  topics?: Record<string, { description?: string }>,
): Completion
export declare function format(completion: Completion): string
export declare function shellScript(shell: string): string
export declare function main(
  manifest: { commands?: Record<string, unknown> },
  argv: string[],
  out?: { write(s: string): unknown },
  options?: {
    topics?: Record<string, { description?: string }>
    live?: () => Promise<{ lookupNames(lookup: Lookup): Promise<string[]> }>
    timeoutMs?: number
  },
): Promise<void>
