import { Redis } from 'ioredis';
import { DeskEvents } from './desk-events.js';

describe('DeskEvents', () => {
  it('never fails the work that caused an event when Redis is away', async () => {
    // A real client to a port nobody listens on: publishing is refused at once.
    const redis = new Redis({ host: '127.0.0.1', port: 1, lazyConnect: true, enableOfflineQueue: false, maxRetriesPerRequest: 0, retryStrategy: () => null });
    redis.on('error', () => undefined);
    await expect(redis.publish('x', 'y')).rejects.toThrow();
    await expect(new DeskEvents(redis, 'test').publish({ type: 'press.changed', outboundId: 'o' })).resolves.toBeUndefined();
    redis.disconnect();
  });
});
