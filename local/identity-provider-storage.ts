/**
 * Where the local identity provider keeps its sessions, interactions, codes and grants: in this
 * process's memory, as its signing keys and the console's client secret are (all made afresh at
 * each start; a restart asks everyone to sign in again). oidc-provider's own memory adapter would
 * do the same but announces itself at every start as a mistake to fix; here it is the intent.
 * The methods are oidc-provider's adapter interface.
 */
type Payload = Record<string, unknown> & { grantId?: string; uid?: string; userCode?: string; consumed?: number };

interface Entry {
  payload: Payload;
  /** Epoch milliseconds; undefined: kept until the process ends. */
  expiresAt: number | undefined;
}

/** oidc-provider builds one instance per model (Session, Grant, AuthorizationCode…); they share one map per provider. */
export function inMemoryOidcStorage() {
  const entries = new Map<string, Entry>();
  return class InMemoryOidcStorage {
    constructor(private readonly model: string) {}

    async upsert(id: string, payload: Payload, expiresIn: number | undefined): Promise<void> {
      entries.set(this.key(id), { payload: structuredClone(payload), expiresAt: expiresIn === undefined ? undefined : Date.now() + expiresIn * 1000 });
    }

    async find(id: string): Promise<Payload | undefined> {
      const key = this.key(id);
      const entry = entries.get(key);
      if (!entry) return undefined;
      if (entry.expiresAt !== undefined && entry.expiresAt <= Date.now()) {
        entries.delete(key);
        return undefined;
      }
      return structuredClone(entry.payload);
    }

    async findByUid(uid: string): Promise<Payload | undefined> {
      return this.findWhere((payload) => payload.uid === uid);
    }

    async findByUserCode(userCode: string): Promise<Payload | undefined> {
      return this.findWhere((payload) => payload.userCode === userCode);
    }

    /** A code or token used once is marked, so a second use is refused (and the grant revoked). */
    async consume(id: string): Promise<void> {
      const entry = entries.get(this.key(id));
      if (entry) entry.payload.consumed = Math.floor(Date.now() / 1000);
    }

    async destroy(id: string): Promise<void> {
      entries.delete(this.key(id));
    }

    async revokeByGrantId(grantId: string): Promise<void> {
      for (const [key, entry] of entries) if (entry.payload.grantId === grantId) entries.delete(key);
    }

    private key(id: string): string {
      return `${this.model}:${id}`;
    }

    private async findWhere(matches: (payload: Payload) => boolean): Promise<Payload | undefined> {
      const prefix = `${this.model}:`;
      for (const [key, entry] of entries) {
        if (key.startsWith(prefix) && matches(entry.payload)) return this.find(key.slice(prefix.length));
      }
      return undefined;
    }
  };
}
