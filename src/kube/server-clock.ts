/**
 * The API server's clock, as this process sees it: the `Date` header of the
 * latest response, advanced by the time elapsed since on a monotonic clock.
 * Everything that decides when a Secret expires counts on this clock, never on
 * the workstation's, which may be minutes off (laptops drift, CI runners and
 * VMs resumed from suspend drift more).
 *
 * The header has a resolution of one second and is truncated (RFC 9110's
 * IMF-fixdate has no fraction), so the server's real time lies in
 * [date, date + 1 s): `now()` returns the lower bound. An expiry computed from
 * it may come up to a second early on paper, which the timer's deadline then
 * absorbs (see `deadlineSeconds`), and a check "has it expired?" made with it
 * can only answer late, never early.
 */
import { performance } from 'node:perf_hooks'

export class ServerClock {
  private sample?: { serverMs: number; monotonicMs: number }

  /** Records the `Date` header of a response that just arrived; ignores a missing or malformed one. */
  observe(dateHeader: string | undefined): void {
    if (!dateHeader) return
    const serverMs = Date.parse(dateHeader)
    if (Number.isNaN(serverMs)) return
    // Every response arrives after the previous one: keep the later reading, so a
    // response that overtook another (concurrent requests) cannot move time back.
    const monotonicMs = performance.now()
    if (this.sample && serverMs <= this.sample.serverMs + (monotonicMs - this.sample.monotonicMs)) return
    this.sample = { serverMs, monotonicMs }
  }

  /** Whether a response has told us the server's time. */
  get known(): boolean {
    return this.sample !== undefined
  }

  /** The server's time now (lower bound), or undefined when no response carried a Date header. */
  now(): Date | undefined {
    if (!this.sample) return undefined
    return new Date(this.sample.serverMs + (performance.now() - this.sample.monotonicMs))
  }
}
