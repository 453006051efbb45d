import { connect, createServer, type AddressInfo, type Server, type Socket } from 'node:net';

/**
 * A TCP proxy that holds every chunk for `delayMs` before passing it on, both ways: a server that
 * far away, round trips of twice that. Order within each direction is kept (equal delays).
 */
export async function latencyProxy(targetPort: number, delayMs: number): Promise<{ port: number; close: () => Promise<void> }> {
  const sockets = new Set<Socket>();
  const server: Server = createServer((inbound) => {
    const outbound = connect(targetPort, '127.0.0.1');
    for (const s of [inbound, outbound]) {
      sockets.add(s);
      s.on('error', () => undefined);
      s.on('close', () => sockets.delete(s));
    }
    const relay = (from: Socket, to: Socket) => from.on('data', (chunk) => setTimeout(() => to.writable && to.write(chunk), delayMs));
    relay(inbound, outbound);
    relay(outbound, inbound);
    inbound.on('close', () => setTimeout(() => outbound.destroy(), delayMs));
    outbound.on('close', () => setTimeout(() => inbound.destroy(), delayMs));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    port: (server.address() as AddressInfo).port,
    close: async () => {
      for (const s of sockets) s.destroy();
      await new Promise((resolve) => server.close(resolve));
    },
  };
}
