import { Column, CreateDateColumn, Entity, PrimaryGeneratedColumn, UpdateDateColumn } from 'typeorm';
import type { Channel, OutboundKind, OutboundStatus } from '@desk/domain';

/**
 * One thing we send or do on a channel. The row (with its unique idempotency key) is written
 * before the provider is called, so a retry after a crash can reconcile instead of sending twice.
 */
@Entity({ name: 'outbound_message' })
export class OutboundMessageEntity {
  @PrimaryGeneratedColumn('uuid') id!: string;
  @Column('text', { name: 'idempotency_key' }) idempotencyKey!: string;
  @Column('text') kind!: OutboundKind;
  @Column('text') channel!: Channel;
  @Column('uuid', { name: 'inbound_item_id', nullable: true }) inboundItemId!: string | null;
  @Column('uuid', { name: 'conversation_id', nullable: true }) conversationId!: string | null;
  /** The officer who wrote it; null for an automatic action. */
  @Column('uuid', { name: 'author_id', nullable: true }) authorId!: string | null;
  @Column('boolean') automatic!: boolean;
  @Column('text', { nullable: true }) template!: string | null;
  @Column('text', { nullable: true }) body!: string | null;
  @Column('text', { default: 'pending' }) status!: OutboundStatus;
  @Column('integer', { default: 0 }) attempts!: number;
  @Column('text', { name: 'provider_id', nullable: true }) providerId!: string | null;
  @Column('jsonb', { name: 'provider_response', nullable: true }) providerResponse!: unknown;
  @Column('jsonb', { nullable: true }) error!: unknown;
  @CreateDateColumn({ type: 'timestamptz', name: 'created_at' }) createdAt!: Date;
  @UpdateDateColumn({ type: 'timestamptz', name: 'updated_at' }) updatedAt!: Date;
  @Column('timestamptz', { name: 'sent_at', nullable: true }) sentAt!: Date | null;
}
