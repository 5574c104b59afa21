import { useEffect } from 'react';

/**
 * Runs `refresh` now and, while `follow` is set (a range that ends "now"), again after
 * `nextDelayMs()` each time it settles, so a slow or failing Prometheus is never hammered
 * (the delay function backs off). A new `refresh` identity restarts the cycle.
 */
export function useLiveRefresh(refresh: (() => Promise<void>) | undefined, follow: boolean, nextDelayMs: () => number): void {
  useEffect(() => {
    if (!refresh) return;
    let timer: ReturnType<typeof setTimeout> | undefined;
    let stopped = false;
    const tick = async () => {
      await refresh();
      if (!stopped && follow) timer = setTimeout(() => void tick(), nextDelayMs());
    };
    void tick();
    return () => {
      stopped = true;
      if (timer) clearTimeout(timer);
    };
  }, [refresh, follow, nextDelayMs]);
}
