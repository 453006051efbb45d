import { Redis } from 'ioredis';
import { DeskEvents } from './desk-events.js';

describe('DeskEvents', () => {
  it('never fails the work that caused an event when Redis is away', async () => {
    // A real client to a port nobody listens on: publishing is refused at once.
    const redis = new Redis({ host: '127.0.0.1', port: 1, lazyConnect: true, enableOfflineQueue: false, maxRetriesPerRequest: 0, retryStrategy: () => null });
    redis.on('error', () => undefined);
    await expect(redis.publish('x', 'y')).rejects.toThrow();
    await expect(new DeskEvents(redis, 'test').publish({ type: 'press.changed', outboundId: 'o' })).resolves.toBeUndefined();
    await expect(new DeskEvents(redis, 'test').publishAll([{ type: 'press.changed', outboundId: 'o' }])).resolves.toBeUndefined();
    redis.disconnect();
  });

  it('publishes a batch in order, one message per event', async () => {
    const redis = new Redis('redis://127.0.0.1:6379');
    const listener = new Redis('redis://127.0.0.1:6379');
    const prefix = `desk-events-spec-${process.pid}`;
    const received: string[] = [];
    await listener.subscribe(`${prefix}:desk-events`);
    listener.on('message', (_channel, message: string) => received.push(JSON.parse(message).outboundId));
    await new DeskEvents(redis, prefix).publishAll(['a', 'b', 'c'].map((outboundId) => ({ type: 'press.changed' as const, outboundId })));
    for (let i = 0; i < 50 && received.length < 3; i++) await new Promise((resolve) => setTimeout(resolve, 10));
    expect(received).toEqual(['a', 'b', 'c']);
    await Promise.all([redis.quit(), listener.quit()]);
  });
});
