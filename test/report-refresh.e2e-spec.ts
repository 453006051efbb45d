import { randomUUID } from 'node:crypto';
import { AUTO_CLOSED_ROUTES, ROUTE_PRIORITY } from '@desk/domain';
import { createDataSource, InboundRepository, ReportFactsRepository, TriageRepository, type FactComputation } from '@desk/persistence';
import { TEST_DATABASE_URL } from './support/test-env.js';

const db = createDataSource({ url: TEST_DATABASE_URL, poolSize: 4 });
const inbound = new InboundRepository(db);
const triage = new TriageRepository(db);
const facts = new ReportFactsRepository(db);
beforeAll(() => db.initialize());
afterAll(() => db.destroy());

async function triagedItem(): Promise<string> {
  const { id } = await inbound.storeMessage({
    channel: 'facebook',
    externalId: `rr-${randomUUID()}`,
    author: { externalId: `p-${randomUUID()}` },
    receivedAt: new Date(Date.now() - 60_000),
    text: 'hello',
    kind: 'message',
    raw: {},
  });
  await triage.apply({
    itemId: id,
    route: 'general',
    flags: [],
    confidence: 0.9,
    reasons: [],
    dueAt: new Date(Date.now() + 3_600_000),
    priority: ROUTE_PRIORITY.general,
    closeConversation: false,
    autoRoutes: AUTO_CLOSED_ROUTES,
    windowHours: 72,
    outbound: [],
  });
  return id;
}

const dirty = async (id: string): Promise<boolean> => (await db.query(`SELECT report_dirty FROM inbound_item WHERE id = $1`, [id]))[0].report_dirty;
const noFacts: FactComputation = { compute: () => [], delta: () => ({ counts: [], hist: [] }) };

describe('report refresh', () => {
  it('clears only the marks of items unchanged since it read them: a change committed meanwhile keeps its item dirty', async () => {
    const [changed, untouched] = [await triagedItem(), await triagedItem()];
    expect([await dirty(changed), await dirty(untouched)]).toEqual([true, true]);
    // An officer's re-route in progress when the refresh reads the items, committed while it runs.
    const writer = db.createQueryRunner();
    await writer.connect();
    await writer.startTransaction();
    await writer.query(`UPDATE inbound_item SET route = 'praise' WHERE id = $1`, [changed]);
    const committed = new Promise<void>((resolve) => setTimeout(resolve, 300)).then(() => writer.commitTransaction());
    let computed: string[] = [];
    await facts.refresh(100_000, {
      ...noFacts,
      compute: (sources) => {
        computed = sources.map((s) => s.itemId);
        return [];
      },
    });
    await committed;
    await writer.release();
    // It was computed from its state before the change, so it must be computed again.
    expect(computed).toEqual(expect.arrayContaining([changed, untouched]));
    expect(await dirty(changed)).toBe(true);
    expect(await dirty(untouched)).toBe(false);
    await facts.refresh(100_000, noFacts);
    expect(await dirty(changed)).toBe(false);
  });
});
