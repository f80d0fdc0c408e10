import { writeFileSync } from 'node:fs'

/**
 * Keeps memory, and with it every value read in this run, out of core dumps.
 *
 * Writing 0 to /proc/self/coredump_filter leaves out every mapping the kernel
 * would otherwise dump: anonymous memory (the V8 heap, Buffers, malloc, thread
 * stacks), file-backed memory and ELF headers. A SIGQUIT, SIGABRT or crash
 * still produces a core file, or a systemd-coredump entry, but it holds only
 * the kernel's notes (registers, signal, the list of mapped files): about
 * 100 KB instead of about 175 MB. The filter is inherited by children.
 *
 * Node offers no way to lower RLIMIT_CORE or to call prctl(PR_SET_DUMPABLE, 0),
 * which would also stop same-user ptrace and /proc/PID/mem reads; both need
 * native code (docs/dev-notes/security.md, "core dumps").
 */
export function keepMemoryOutOfCoreDumps(platform: NodeJS.Platform = process.platform): boolean {
  if (platform !== 'linux') return false
  try {
    writeFileSync('/proc/self/coredump_filter', '0')
    return true
  } catch {
    // No /proc (a sandbox): nothing to do; a dump then follows the system's settings.
    return false
  }
}
