import { Column, Entity, PrimaryColumn, UpdateDateColumn } from 'typeorm';

/** Where a poller got to (an X since_id, an IMAP UIDVALIDITY and last UID), so restarts resume. */
@Entity({ name: 'checkpoint' })
export class CheckpointEntity {
  @PrimaryColumn('text') key!: string;
  @Column('jsonb') value!: unknown;
  @UpdateDateColumn({ type: 'timestamptz', name: 'updated_at' }) updatedAt!: Date;
}
