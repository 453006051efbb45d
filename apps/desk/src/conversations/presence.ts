import { Inject, Injectable } from '@nestjs/common';
import type { Redis } from 'ioredis';
import type { ServiceConfig } from '@desk/config';
import type { DeskUser, UserRef } from '@desk/domain';
import { SERVICE_CONFIG } from '@desk/runtime';
import { DESK_REDIS } from '../tokens.js';

/** A viewer is present this long after their last heartbeat (the web desk beats every 20 s). */
const PRESENT_FOR_MS = 45_000;

/** Who has a conversation open right now, kept in Redis so every desk process sees the same. */
@Injectable()
export class Presence {
  constructor(
    @Inject(DESK_REDIS) private readonly redis: Redis,
    @Inject(SERVICE_CONFIG) private readonly config: ServiceConfig,
  ) {}

  private key(conversationId: string): string {
    return `${this.config.queuePrefix}:viewing:${conversationId}`;
  }

  /** Marks the user as viewing; returns everyone viewing and whether the set changed. */
  async beat(conversationId: string, user: DeskUser, now = Date.now()): Promise<{ viewers: UserRef[]; changed: boolean }> {
    const key = this.key(conversationId);
    const member = JSON.stringify({ id: user.id, name: user.name, initials: user.initials });
    const result = await this.redis
      .multi()
      .zremrangebyscore(key, '-inf', now)
      .zadd(key, now + PRESENT_FOR_MS, member)
      .zrange(key, 0, -1)
      .pexpire(key, PRESENT_FOR_MS * 2)
      .exec();
    const removed = Number(result?.[0]?.[1] ?? 0);
    const added = Number(result?.[1]?.[1] ?? 0);
    return { viewers: parse(result?.[2]?.[1]), changed: removed > 0 || added > 0 };
  }

  async leave(conversationId: string, user: DeskUser): Promise<UserRef[]> {
    const key = this.key(conversationId);
    const members = await this.redis.zrange(key, 0, -1);
    const mine = members.filter((m) => (JSON.parse(m) as UserRef).id === user.id);
    if (mine.length) await this.redis.zrem(key, ...mine);
    return this.viewers(conversationId);
  }

  async viewers(conversationId: string, now = Date.now()): Promise<UserRef[]> {
    return parse(await this.redis.zrangebyscore(this.key(conversationId), now, '+inf'));
  }
}

function parse(members: unknown): UserRef[] {
  if (!Array.isArray(members)) return [];
  const seen = new Map<string, UserRef>();
  for (const member of members) {
    const ref = JSON.parse(String(member)) as UserRef;
    seen.set(ref.id, ref);
  }
  return [...seen.values()];
}
