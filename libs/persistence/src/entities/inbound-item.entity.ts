import { Column, Entity, PrimaryGeneratedColumn } from 'typeorm';
import type { Channel, Flag, InboundKind, ItemStatus, Route } from '@desk/domain';

/** One thing the public sent, stored once per (channel, external_id) with its raw payload. */
@Entity({ name: 'inbound_item' })
export class InboundItemEntity {
  @PrimaryGeneratedColumn('uuid') id!: string;
  @Column('text') channel!: Channel;
  @Column('text', { name: 'external_id' }) externalId!: string;
  @Column('uuid', { name: 'conversation_id', nullable: true }) conversationId!: string | null;
  @Column('uuid', { name: 'contact_id', nullable: true }) contactId!: string | null;
  @Column('text', { name: 'thread_key', nullable: true }) threadKey!: string | null;
  @Column('text', { name: 'in_reply_to_external_id', nullable: true }) inReplyToExternalId!: string | null;
  /** The channel's own time, never later than ingested_at (a CHECK enforces it). */
  @Column('timestamptz', { name: 'received_at' }) receivedAt!: Date;
  @Column('timestamptz', { name: 'ingested_at', default: () => 'now()' }) ingestedAt!: Date;
  @Column('text', { nullable: true }) subject!: string | null;
  @Column('text', { default: '' }) body!: string;
  @Column('text', { nullable: true }) url!: string | null;
  @Column('jsonb') raw!: unknown;
  @Column('text', { default: 'received' }) status!: ItemStatus;
  @Column('text', { nullable: true }) route!: Route | null;
  @Column('text', { array: true, default: () => `'{}'` }) flags!: Flag[];
  @Column('real', { nullable: true }) confidence!: number | null;
  @Column('jsonb', { nullable: true }) reasons!: unknown;
  @Column('timestamptz', { name: 'due_at', nullable: true }) dueAt!: Date | null;
  @Column('timestamptz', { name: 'triaged_at', nullable: true }) triagedAt!: Date | null;
  @Column('timestamptz', { name: 'first_response_at', nullable: true }) firstResponseAt!: Date | null;
  @Column('boolean', { name: 'first_response_automatic', nullable: true }) firstResponseAutomatic!: boolean | null;
  /** Set when the message could not be parsed; the raw text is still stored and shown to a person. */
  @Column('text', { name: 'parse_error', nullable: true }) parseError!: string | null;
  @Column('timestamptz', { name: 'edited_at', nullable: true }) editedAt!: Date | null;
  @Column('timestamptz', { name: 'hidden_at', nullable: true }) hiddenAt!: Date | null;
  @Column('timestamptz', { name: 'removed_at', nullable: true }) removedAt!: Date | null;
  @Column('text', { default: 'message' }) kind!: InboundKind;
  @Column('text', { name: 'thread_subject', nullable: true }) threadSubject!: string | null;
  /** Earlier versions of an edited item, oldest first. */
  @Column('jsonb', { default: () => `'[]'` }) history!: unknown[];
}
