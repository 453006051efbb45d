import { Column, CreateDateColumn, Entity, PrimaryGeneratedColumn, UpdateDateColumn } from 'typeorm';
import type { Platform } from '@desk/domain';

/** One identity on one platform (an X user id, a Facebook user id, an email address). */
@Entity({ name: 'contact' })
export class ContactEntity {
  @PrimaryGeneratedColumn('uuid') id!: string;
  @Column('text') platform!: Platform;
  @Column('text', { name: 'external_id' }) externalId!: string;
  @Column('text', { nullable: true }) handle!: string | null;
  @Column('text', { name: 'display_name', nullable: true }) displayName!: string | null;
  @Column('timestamptz', { name: 'flagged_for_block_at', nullable: true }) flaggedForBlockAt!: Date | null;
  @CreateDateColumn({ type: 'timestamptz', name: 'created_at' }) createdAt!: Date;
  @UpdateDateColumn({ type: 'timestamptz', name: 'updated_at' }) updatedAt!: Date;
}
