/** Injection token of the ingest settings (IngestSettings from @desk/config). */
export const INGEST_SETTINGS = Symbol('INGEST_SETTINGS');
