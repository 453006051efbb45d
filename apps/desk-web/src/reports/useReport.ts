import { useCallback, useEffect, useRef, useState } from 'react';
import { describeError } from '../api/client.ts';

export interface ReportState<T> {
  /** The last report that arrived; kept on screen (marked busy) while the next one loads. */
  data: T | null;
  /** The key `data` was loaded for, so a page can tell a stale report from the current one. */
  dataKey: string | null;
  loading: boolean;
  error: string | null;
  reload: () => void;
}

/**
 * Loads a report whenever `key` (its query) changes. Only the latest request may land: a slow
 * answer for last month must not overwrite this month's. `load` null means there is nothing to
 * ask for (an invalid range).
 */
export function useReport<T>(load: (() => Promise<T>) | null, key: string): ReportState<T> {
  const [data, setData] = useState<T | null>(null);
  const [dataKey, setDataKey] = useState<string | null>(null);
  const [loading, setLoading] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const requestNo = useRef(0);
  // The latest loader, read when the key changes; its identity changes every render.
  const loader = useRef(load);
  loader.current = load;
  const enabled = load !== null;

  const run = useCallback(() => {
    const mine = ++requestNo.current;
    const current = loader.current;
    if (!current) {
      setLoading(false);
      return;
    }
    setLoading(true);
    setError(null);
    current()
      .then((loaded) => {
        if (mine !== requestNo.current) return;
        setData(loaded);
        setDataKey(key);
      })
      .catch((e: unknown) => {
        if (mine === requestNo.current) setError(describeError(e));
      })
      .finally(() => {
        if (mine === requestNo.current) setLoading(false);
      });
  }, [key]);

  useEffect(() => {
    run();
    return () => {
      // A report that arrives after the page has gone is dropped.
      requestNo.current++;
    };
  }, [run, enabled]);

  return { data, dataKey, loading, error, reload: run };
}
