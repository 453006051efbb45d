import { connect } from 'node:net';

/** Whether something accepts connections on 127.0.0.1:`port`. */
export function portAnswers(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect(port, '127.0.0.1');
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}

/** Waits up to `tries` × 100 ms for a port to be let go of (a server we stopped); fails naming who needs it. */
export async function waitPortFree(port: number, what: string, tries = 50): Promise<void> {
  for (let i = 0; i < tries && (await portAnswers(port)); i++) await new Promise((r) => setTimeout(r, 100));
  if (await portAnswers(port)) throw new Error(`port ${port} is taken by another process; ${what} needs it`);
}
