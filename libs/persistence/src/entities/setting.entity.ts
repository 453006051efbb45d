import { Column, Entity, PrimaryColumn, UpdateDateColumn } from 'typeorm';

/** Configuration the team edits at run time: templates, the calendar, keyword lists. */
@Entity({ name: 'setting' })
export class SettingEntity {
  @PrimaryColumn('text') key!: string;
  @Column('jsonb') value!: unknown;
  @Column('uuid', { name: 'updated_by', nullable: true }) updatedBy!: string | null;
  @UpdateDateColumn({ type: 'timestamptz', name: 'updated_at' }) updatedAt!: Date;
}
