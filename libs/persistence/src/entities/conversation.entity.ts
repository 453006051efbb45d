import { Column, CreateDateColumn, Entity, PrimaryGeneratedColumn, UpdateDateColumn } from 'typeorm';
import type { Channel, ConversationStatus, Route } from '@desk/domain';

@Entity({ name: 'conversation' })
export class ConversationEntity {
  @PrimaryGeneratedColumn('uuid') id!: string;
  @Column('text') channel!: Channel;
  @Column('uuid', { name: 'contact_id' }) contactId!: string;
  /** The channel's own thread: the root tweet, the commented post, the first Message-ID. */
  @Column('text', { name: 'thread_key', nullable: true }) threadKey!: string | null;
  @Column('text', { default: 'open' }) status!: ConversationStatus;
  @Column('text', { nullable: true }) route!: Route | null;
  /** Lower is more urgent; the queue orders by priority, then due_at. */
  @Column('smallint', { default: 50 }) priority!: number;
  @Column('timestamptz', { name: 'due_at', nullable: true }) dueAt!: Date | null;
  @Column('uuid', { name: 'assignee_id', nullable: true }) assigneeId!: string | null;
  @Column('timestamptz', { name: 'snoozed_until', nullable: true }) snoozedUntil!: Date | null;
  @Column('timestamptz', { name: 'last_inbound_at', nullable: true }) lastInboundAt!: Date | null;
  @CreateDateColumn({ type: 'timestamptz', name: 'created_at' }) createdAt!: Date;
  @UpdateDateColumn({ type: 'timestamptz', name: 'updated_at' }) updatedAt!: Date;
}
