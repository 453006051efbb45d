// Checked by `npm run typecheck`: each @ts-expect-error must be an error, or the check fails.
import type { Queue } from 'bullmq';
import { TypedQueue } from './typed-queue.js';

declare const raw: Queue;
const triage = new TypedQueue('triage', raw);

void triage.enqueue('triage.item', { v: 1, itemId: 'a' }, { key: 'a' });
// @ts-expect-error a job of another queue
void triage.enqueue('outbound.send', { v: 1, outboundId: 'a' }, { key: 'a' });
// @ts-expect-error a payload of the wrong shape
void triage.enqueue('triage.item', { v: 1, outboundId: 'a' }, { key: 'a' });
// @ts-expect-error a payload of another version
void triage.enqueue('triage.item', { v: 2, itemId: 'a' }, { key: 'a' });
// @ts-expect-error no key, so no deterministic job id
void triage.enqueue('triage.item', { v: 1, itemId: 'a' }, {});

void triage.enqueueSoon('triage.item', { v: 1, itemId: 'a' }, { key: 'a' });
// @ts-expect-error a job of another queue, batched or not
void triage.enqueueSoon('outbound.send', { v: 1, outboundId: 'a' }, { key: 'a' });
// @ts-expect-error no key, so no deterministic job id
void triage.enqueueSoon('triage.item', { v: 1, itemId: 'a' }, {});
