import { PluginError } from '../plugin-error.js';

/**
 * Live provider sessions: what `connect` returned, by session id. Ids are random UUIDs, so one
 * session cannot be guessed from another.
 */
export class SessionMap<Client> {
  private readonly sessions = new Map<string, Client>();

  /** Stores a client and returns its new session id. */
  add(client: Client): string {
    const id = crypto.randomUUID();
    this.sessions.set(id, client);
    return id;
  }

  /** The client of a session; `NOT_FOUND` when there is none (never connected, or disconnected). */
  get(id: string): Client {
    const client = this.sessions.get(id);
    if (client === undefined)
      throw new PluginError('NOT_FOUND', `no session "${id}"; call connect first`, {
        session_id: id,
      });
    return client;
  }

  /** Removes a session and returns its client, or `undefined` when it was not there. */
  take(id: string): Client | undefined {
    const client = this.sessions.get(id);
    this.sessions.delete(id);
    return client;
  }

  /** Removes every session and returns their clients. */
  takeAll(): Client[] {
    const clients = [...this.sessions.values()];
    this.sessions.clear();
    return clients;
  }

  /** Number of live sessions. */
  get size(): number {
    return this.sessions.size;
  }
}
