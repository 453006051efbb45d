import type { DataSource } from 'typeorm';
import { SettingEntity } from './entities/setting.entity.js';

/** Configuration the team changes at run time (calendar, templates, keyword lists), as JSON by key. */
export class SettingsRepository {
  constructor(private readonly db: DataSource) {}

  async get(key: string): Promise<unknown> {
    const row = await this.db.getRepository(SettingEntity).findOneBy({ key });
    return row?.value;
  }

  async set(key: string, value: unknown, updatedBy: string | null = null): Promise<void> {
    await this.db
      .createQueryBuilder()
      .insert()
      .into(SettingEntity)
      .values({ key, value: value as object, updatedBy })
      .orUpdate(['value', 'updated_by'], ['key'])
      .execute();
  }

  async remove(key: string): Promise<void> {
    await this.db.getRepository(SettingEntity).delete({ key });
  }
}
