/**
 * Deadlines that always fire. On Node 20, `AbortSignal.any` over `AbortSignal.timeout` can be
 * garbage-collected with its listeners still waiting, so a request under it sometimes never timed
 * out (seen in the Discord start-up spec about one run in eight). A timer and a controller held by
 * the caller cannot be collected early.
 */

/** A signal that aborts after `timeoutMs` or with `outer`; call `done()` once finished to let go of both. */
export function deadlineSignal(timeoutMs: number, outer?: AbortSignal): { readonly signal: AbortSignal; done(): void } {
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(new Error(`no answer within ${timeoutMs} ms`)), timeoutMs);
  const onAbort = () => controller.abort(outer?.reason);
  if (outer?.aborted) onAbort();
  else outer?.addEventListener('abort', onAbort, { once: true });
  return {
    signal: controller.signal,
    done() {
      clearTimeout(timer);
      outer?.removeEventListener('abort', onAbort);
    },
  };
}
