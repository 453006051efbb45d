import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Defaults a trust edits in the desk: reply templates (each fits X's 280 characters on X) and the
 * contacts they name. Placeholders in {braces} come from the `trust` setting.
 */
export const DEFAULT_TEMPLATES = {
  emergency: {
    x: 'If you or someone else is in danger right now, please call 999. For urgent medical help call NHS 111. Samaritans are there day or night, free, on 116 123. We have passed your message to our team.',
    default:
      'If you or someone else is in danger right now, please call 999 or go to your nearest A&E.\n\n' +
      'For urgent medical help that is not an emergency, call NHS 111 or visit 111.nhs.uk.\n\n' +
      'If you are struggling to cope, you can talk to Samaritans any time, day or night, free on 116 123, or text SHOUT to 85258.\n\n' +
      'We have passed your message to our team.',
  },
  clinical: {
    x: "We're sorry, we can't give medical advice on social media. Please call NHS 111 or visit 111.nhs.uk, speak to your GP, or call the ward or clinic caring for you. In an emergency call 999.",
    default:
      "Thank you for your message. We're sorry, but we can't give medical or clinical advice through social media or this mailbox.\n\n" +
      'For advice, please call NHS 111 or visit 111.nhs.uk, speak to your GP or pharmacist, or call the ward or clinic caring for you. ' +
      'In an emergency, call 999.',
  },
  appointment: {
    x: "We can't book, change or check appointments on social media. Please contact our appointments team on {appointments_phone} or use {patient_portal}. Please don't share personal details here.",
    default:
      "Thank you for your message. We're not able to book, change or check appointments, referrals or waiting lists through social media or this mailbox.\n\n" +
      'Please contact our appointments team on {appointments_phone}, or use {patient_portal}. Please do not share personal or medical details publicly.',
  },
  press_ack: {
    x: 'Thanks for getting in touch. Media enquiries are handled by our press office: they have your message and will reply to you directly.',
    default:
      'Thank you for your enquiry. Media enquiries are handled by our press office, who have your message and will reply to you directly.',
  },
};

export const DEFAULT_TRUST = {
  trust_name: 'the trust',
  appointments_phone: 'the number on your appointment letter',
  patient_portal: 'the NHS App',
  pals_contact: 'our Patient Advice and Liaison Service (PALS)',
  press_office_email: '',
  on_duty_email: '',
};

export const DEFAULT_TRIAGE = { conversation_window_hours: 72, strikes_to_flag: 3, strike_window_days: 90 };

export class Triage1763900000000 implements MigrationInterface {
  name = 'Triage1763900000000';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`ALTER TABLE outbound_message DROP CONSTRAINT outbound_message_kind_check`);
    await db.query(
      `ALTER TABLE outbound_message ADD CONSTRAINT outbound_message_kind_check
         CHECK (kind IN ('reply','direct_message','hide','unhide','press_forward','email','alert'))`,
    );
    // Where a forward or an alert goes (the press office, the on-duty officer).
    await db.query(`ALTER TABLE outbound_message ADD COLUMN recipient text`);
    // An unreadable email may have no sender; its conversation still exists, with no contact.
    await db.query(`ALTER TABLE conversation ALTER COLUMN contact_id DROP NOT NULL`);
    await db.query(`CREATE UNIQUE INDEX strike_one_per_item ON strike (inbound_item_id) WHERE inbound_item_id IS NOT NULL`);
    for (const [key, value] of Object.entries({ templates: DEFAULT_TEMPLATES, trust: DEFAULT_TRUST, triage: DEFAULT_TRIAGE })) {
      await db.query(`INSERT INTO setting (key, value) VALUES ($1, $2) ON CONFLICT (key) DO NOTHING`, [key, JSON.stringify(value)]);
    }
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`DELETE FROM setting WHERE key IN ('templates', 'trust', 'triage')`);
    await db.query(`DROP INDEX strike_one_per_item`);
    // Conversations without a contact cannot exist in the earlier schema; their items lose the link.
    const orphans = `SELECT id FROM conversation WHERE contact_id IS NULL`;
    await db.query(`UPDATE inbound_item SET conversation_id = NULL WHERE conversation_id IN (${orphans})`);
    await db.query(`UPDATE outbound_message SET conversation_id = NULL WHERE conversation_id IN (${orphans})`);
    await db.query(`DELETE FROM conversation WHERE contact_id IS NULL`);
    await db.query(`ALTER TABLE conversation ALTER COLUMN contact_id SET NOT NULL`);
    await db.query(`ALTER TABLE outbound_message DROP COLUMN recipient`);
    // The earlier schema has no alerts: rolling back removes them, as it removes their recipients.
    await db.query(`DELETE FROM outbound_message WHERE kind = 'alert'`);
    await db.query(`ALTER TABLE outbound_message DROP CONSTRAINT outbound_message_kind_check`);
    await db.query(
      `ALTER TABLE outbound_message ADD CONSTRAINT outbound_message_kind_check
         CHECK (kind IN ('reply','direct_message','hide','unhide','press_forward','email'))`,
    );
  }
}
