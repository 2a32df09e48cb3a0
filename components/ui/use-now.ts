"use client";
import { useEffect, useState } from "react";

/**
 * The current time, ticking every `intervalMs` — null until the component has mounted, so what
 * the server rendered and the browser's first render agree (relative times, timers).
 */
export function useNow(intervalMs = 60_000): number | null {
  const [now, setNow] = useState<number | null>(null);
  useEffect(() => {
    const tick = () => setNow(Date.now());
    const first = setTimeout(tick, 0);
    const id = setInterval(tick, intervalMs);
    return () => (clearTimeout(first), clearInterval(id));
  }, [intervalMs]);
  return now;
}
