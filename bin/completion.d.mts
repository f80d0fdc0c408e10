export declare const Directive: { Default: number; NoSpace: number; NoFileComp: number }
export interface Completion {
  candidates: string[]
  directive: number
}
export declare function complete(
  manifest: { commands?: Record<string, unknown> },
  words: string[],
): Completion
export declare function format(completion: Completion): string
export declare function shellScript(shell: string): string
export declare function main(
  manifest: { commands?: Record<string, unknown> },
  argv: string[],
  out?: { write(s: string): unknown },
): void
