/** How far a mailbox has been stored: every UID up to `lastUid` under this UIDVALIDITY. */
export interface ImapCheckpoint {
  /** A string: UIDVALIDITY is a 32-bit unsigned number that JSON and bigint do not share. */
  uidValidity: string;
  lastUid: number;
}

export interface CheckpointStore {
  load(): Promise<unknown>;
  save(checkpoint: ImapCheckpoint): Promise<void>;
}

export interface Resume {
  /** Messages with a UID above this are fetched. */
  lastUid: number;
  /** Why the whole mailbox is read again, when it is. */
  rescan?: string;
}

/**
 * Where to start in a mailbox whose UIDVALIDITY is `uidValidity`. A stored checkpoint for the same
 * UIDVALIDITY resumes after its last UID. A different one means the server renumbered the mailbox
 * (it was recreated or rebuilt), so old UIDs say nothing: everything is read again and the store,
 * unique per Message-ID, keeps what it already has once.
 */
export function resumeFrom(stored: unknown, uidValidity: string): Resume {
  const checkpoint = asCheckpoint(stored);
  if (!checkpoint) return { lastUid: 0, rescan: stored === undefined || stored === null ? undefined : 'the stored checkpoint is unreadable' };
  if (checkpoint.uidValidity !== uidValidity) {
    return { lastUid: 0, rescan: `UIDVALIDITY changed from ${checkpoint.uidValidity} to ${uidValidity}` };
  }
  return { lastUid: checkpoint.lastUid };
}

function asCheckpoint(value: unknown): ImapCheckpoint | undefined {
  const v = value as Partial<ImapCheckpoint> | null | undefined;
  if (!v || typeof v !== 'object') return undefined;
  const uidValidity = typeof v.uidValidity === 'number' ? String(v.uidValidity) : v.uidValidity;
  if (typeof uidValidity !== 'string' || !/^\d{1,20}$/.test(uidValidity)) return undefined;
  if (typeof v.lastUid !== 'number' || !Number.isSafeInteger(v.lastUid) || v.lastUid < 0) return undefined;
  return { uidValidity, lastUid: v.lastUid };
}
