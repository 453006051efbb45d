import type { MigrationInterface, QueryRunner } from 'typeorm';

const CHANNELS = `'x','x_dm','facebook','instagram','email'`;
const PLATFORMS = `'x','facebook','instagram','email'`;
const ROUTES = `'urgent_safety','abuse','media','complaint','clinical','appointment','spam','story','praise','general'`;

/**
 * The first schema. Hand-written SQL so that constraints, partial indexes and CHECKs say exactly
 * what the data must satisfy, whatever code writes it.
 */
export class InitialSchema1763700000000 implements MigrationInterface {
  name = 'InitialSchema1763700000000';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`
      CREATE FUNCTION touch_updated_at() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN NEW.updated_at := now(); RETURN NEW; END $$`);

    await db.query(`
      CREATE TABLE "user" (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        email text NOT NULL,
        name text NOT NULL,
        initials text NOT NULL CHECK (initials ~ '^[A-Z]{1,4}$'),
        role text NOT NULL CHECK (role IN ('officer','manager','press','admin')),
        password_hash text NOT NULL,
        active boolean NOT NULL DEFAULT true,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now()
      )`);
    await db.query(`CREATE UNIQUE INDEX user_email_unique ON "user" (lower(email))`);

    await db.query(`
      CREATE TABLE contact (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        platform text NOT NULL CHECK (platform IN (${PLATFORMS})),
        external_id text NOT NULL,
        handle text,
        display_name text,
        flagged_for_block_at timestamptz,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT contact_identity_unique UNIQUE (platform, external_id)
      )`);

    await db.query(`
      CREATE TABLE conversation (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        channel text NOT NULL CHECK (channel IN (${CHANNELS})),
        contact_id uuid NOT NULL REFERENCES contact(id),
        thread_key text,
        status text NOT NULL DEFAULT 'open' CHECK (status IN ('open','snoozed','closed')),
        route text CHECK (route IN (${ROUTES})),
        priority smallint NOT NULL DEFAULT 50,
        due_at timestamptz,
        assignee_id uuid REFERENCES "user"(id),
        snoozed_until timestamptz,
        last_inbound_at timestamptz,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now()
      )`);
    await db.query(
      `CREATE UNIQUE INDEX conversation_thread_unique ON conversation (channel, thread_key) WHERE thread_key IS NOT NULL`,
    );
    // The desk's queue: open conversations, most urgent first, then soonest due.
    await db.query(`CREATE INDEX conversation_open_queue ON conversation (priority, due_at) WHERE status = 'open'`);
    await db.query(`CREATE INDEX conversation_contact ON conversation (contact_id)`);
    await db.query(`CREATE INDEX conversation_assignee ON conversation (assignee_id) WHERE status = 'open'`);

    await db.query(`
      CREATE TABLE inbound_item (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        channel text NOT NULL CHECK (channel IN (${CHANNELS})),
        external_id text NOT NULL,
        conversation_id uuid REFERENCES conversation(id),
        contact_id uuid REFERENCES contact(id),
        thread_key text,
        in_reply_to_external_id text,
        received_at timestamptz NOT NULL,
        ingested_at timestamptz NOT NULL DEFAULT now(),
        subject text,
        body text NOT NULL DEFAULT '',
        url text,
        raw jsonb NOT NULL,
        status text NOT NULL DEFAULT 'received'
          CHECK (status IN ('received','triaged','responded','deflected','removed')),
        route text CHECK (route IN (${ROUTES})),
        flags text[] NOT NULL DEFAULT '{}',
        confidence real,
        reasons jsonb,
        due_at timestamptz,
        triaged_at timestamptz,
        first_response_at timestamptz,
        first_response_automatic boolean,
        parse_error text,
        edited_at timestamptz,
        hidden_at timestamptz,
        removed_at timestamptz,
        history jsonb NOT NULL DEFAULT '[]',
        CONSTRAINT inbound_item_channel_external_unique UNIQUE (channel, external_id),
        CONSTRAINT inbound_item_received_not_future CHECK (received_at <= ingested_at)
      )`);
    await db.query(
      `CREATE INDEX inbound_item_awaiting_by_due ON inbound_item (due_at) WHERE first_response_at IS NULL AND removed_at IS NULL`,
    );
    // The sweeper's work list: stored but never triaged (Redis lost the job).
    await db.query(`CREATE INDEX inbound_item_untriaged ON inbound_item (ingested_at) WHERE triaged_at IS NULL`);
    await db.query(`CREATE INDEX inbound_item_received ON inbound_item (received_at)`);
    await db.query(`CREATE INDEX inbound_item_channel_received ON inbound_item (channel, received_at)`);
    await db.query(`CREATE INDEX inbound_item_route_received ON inbound_item (route, received_at)`);
    await db.query(`CREATE INDEX inbound_item_conversation ON inbound_item (conversation_id, received_at)`);
    await db.query(`CREATE INDEX inbound_item_contact ON inbound_item (contact_id, received_at)`);

    await db.query(`
      CREATE TABLE outbound_message (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        idempotency_key text NOT NULL,
        kind text NOT NULL CHECK (kind IN ('reply','direct_message','hide','unhide','press_forward','email')),
        channel text NOT NULL CHECK (channel IN (${CHANNELS})),
        inbound_item_id uuid REFERENCES inbound_item(id),
        conversation_id uuid REFERENCES conversation(id),
        author_id uuid REFERENCES "user"(id),
        automatic boolean NOT NULL,
        template text,
        body text,
        status text NOT NULL DEFAULT 'pending' CHECK (status IN ('pending','sent','failed')),
        attempts integer NOT NULL DEFAULT 0,
        provider_id text,
        provider_response jsonb,
        error jsonb,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now(),
        sent_at timestamptz,
        CONSTRAINT outbound_message_idempotency_unique UNIQUE (idempotency_key)
      )`);
    await db.query(`CREATE INDEX outbound_message_item ON outbound_message (inbound_item_id)`);
    await db.query(`CREATE INDEX outbound_message_conversation ON outbound_message (conversation_id, created_at)`);
    await db.query(`CREATE INDEX outbound_message_unsent ON outbound_message (created_at) WHERE status = 'pending'`);

    await db.query(`
      CREATE TABLE audit_event (
        id bigserial PRIMARY KEY,
        at timestamptz NOT NULL DEFAULT now(),
        actor_id uuid REFERENCES "user"(id),
        action text NOT NULL,
        subject_type text NOT NULL,
        subject_id text NOT NULL,
        details jsonb NOT NULL DEFAULT '{}'
      )`);
    await db.query(`CREATE INDEX audit_event_subject ON audit_event (subject_type, subject_id, at)`);
    await db.query(`CREATE INDEX audit_event_at ON audit_event (at)`);

    await db.query(`
      CREATE TABLE strike (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        contact_id uuid NOT NULL REFERENCES contact(id),
        inbound_item_id uuid REFERENCES inbound_item(id),
        reason text NOT NULL,
        created_by uuid REFERENCES "user"(id),
        created_at timestamptz NOT NULL DEFAULT now()
      )`);
    await db.query(`CREATE INDEX strike_contact_recent ON strike (contact_id, created_at)`);

    await db.query(`
      CREATE TABLE checkpoint (
        key text PRIMARY KEY,
        value jsonb NOT NULL,
        updated_at timestamptz NOT NULL DEFAULT now()
      )`);

    await db.query(`
      CREATE TABLE setting (
        key text PRIMARY KEY,
        value jsonb NOT NULL,
        updated_by uuid REFERENCES "user"(id),
        updated_at timestamptz NOT NULL DEFAULT now()
      )`);

    for (const table of ['"user"', 'contact', 'conversation', 'outbound_message', 'checkpoint', 'setting']) {
      const name = table.replaceAll('"', '');
      await db.query(
        `CREATE TRIGGER ${name}_touch BEFORE UPDATE ON ${table} FOR EACH ROW EXECUTE FUNCTION touch_updated_at()`,
      );
    }
  }

  async down(db: QueryRunner): Promise<void> {
    for (const table of ['setting', 'checkpoint', 'strike', 'audit_event', 'outbound_message', 'inbound_item', 'conversation', 'contact', '"user"']) {
      await db.query(`DROP TABLE ${table}`);
    }
    await db.query(`DROP FUNCTION touch_updated_at()`);
  }
}
