import { InitialSchema1763700000000 } from './1763700000000-initial-schema.js';
import { Ingest1763800000000 } from './1763800000000-ingest.js';
import { Triage1763900000000 } from './1763900000000-triage.js';
import { Responder1764000000000 } from './1764000000000-responder.js';
import { Desk1764100000000 } from './1764100000000-desk.js';
import { Reports1764200000000 } from './1764200000000-reports.js';
import { ReportRollups1764300000000 } from './1764300000000-report-rollups.js';
import { PressReferenceWidth1764400000000 } from './1764400000000-press-reference-width.js';
import { ReportHistPeriods1764500000000 } from './1764500000000-report-hist-periods.js';
import { TriageApplyFunction1764600000000 } from './1764600000000-triage-apply-function.js';
import { InboundStoreFunction1764700000000 } from './1764700000000-inbound-store-function.js';
import { TriageLocksConversation1764750000000 } from './1764750000000-triage-locks-conversation.js';
import { ReportDirtyTable1764800000000 } from './1764800000000-report-dirty-table.js';
import { InboundItemUnusedIndexes1764900000000 } from './1764900000000-inbound-item-unused-indexes.js';

/** Every migration, in order. Listed, not globbed, so the compiled build needs no file scanning. */
export const MIGRATIONS = [InitialSchema1763700000000, Ingest1763800000000, Triage1763900000000, Responder1764000000000, Desk1764100000000, Reports1764200000000, ReportRollups1764300000000, PressReferenceWidth1764400000000, ReportHistPeriods1764500000000, TriageApplyFunction1764600000000, InboundStoreFunction1764700000000, TriageLocksConversation1764750000000, ReportDirtyTable1764800000000, InboundItemUnusedIndexes1764900000000];
