import { useEffect, useState, type FormEvent } from 'react';
import { ROLES, type DeskUser, type Role } from '@desk/domain';
import { api, describeError, type NewUser } from '../api/client.ts';
import { ROLE_LABELS } from '../format.ts';
import { useAction, useDocumentTitle } from '../hooks.ts';
import { usersStore, useSession } from '../session.ts';

export function UsersPage() {
  useDocumentTitle('Users');
  const [users, setUsers] = useState<DeskUser[] | null>(null);
  const [error, setError] = useState<string | null>(null);

  const load = async () => {
    try {
      setUsers(await usersStore.refresh());
      setError(null);
    } catch (e) {
      setError(describeError(e));
    }
  };

  useEffect(() => {
    void load();
  }, []);

  return (
    <div className="page page-users">
      <h1 tabIndex={-1}>Users</h1>
      {error && (
        <div className="error-summary" role="alert">
          {error}
        </div>
      )}
      <section aria-labelledby="users-list-heading">
        <h2 id="users-list-heading">Desk accounts</h2>
        <div className="table-wrap">
          <table className="users" aria-busy={users === null}>
            <thead>
              <tr>
                <th scope="col">Name</th>
                <th scope="col">Initials</th>
                <th scope="col">Email</th>
                <th scope="col">Role</th>
                <th scope="col">Team</th>
                <th scope="col">Account</th>
              </tr>
            </thead>
            <tbody>
              {users === null && !error && (
                <tr>
                  <td colSpan={6} className="muted">
                    Loading…
                  </td>
                </tr>
              )}
              {users?.map((u) => <UserRow key={u.id} user={u} onChanged={load} />)}
            </tbody>
          </table>
        </div>
      </section>
      <CreateUser onCreated={load} />
    </div>
  );
}

/** The API's limit on a team name. */
const TEAM_MAX = 60;

function UserRow({ user, onChanged }: { user: DeskUser; onChanged: () => Promise<void> }) {
  const { session } = useSession();
  const action = useAction();
  const teamAction = useAction();
  const [role, setRole] = useState<Role>(user.role);
  const [team, setTeam] = useState(user.team ?? '');
  const self = user.id === session.user.id;
  const roleId = `role-${user.id}`;
  const teamId = `team-${user.id}`;
  const teamChanged = team.trim() !== (user.team ?? '');
  const saveTeam = (event: FormEvent) => {
    event.preventDefault();
    if (!teamChanged) return;
    const next = team.trim();
    void teamAction.run(
      () => api.updateUser(user.id, { team: next }),
      next ? `${user.name} is now in the team ${next}.` : `${user.name} is no longer in a team.`,
      onChanged,
    );
  };
  return (
    <tr data-testid="user-row" data-user-id={user.id} className={user.active ? '' : 'inactive'}>
      <th scope="row">{user.name}</th>
      <td>{user.initials}</td>
      <td>{user.email}</td>
      <td>
        <div className="inline-form">
          <label htmlFor={roleId} className="visually-hidden">
            Role for {user.name}
          </label>
          <select id={roleId} value={role} onChange={(e) => setRole(e.target.value as Role)} disabled={self} data-testid="user-role">
            {ROLES.map((r) => (
              <option key={r} value={r}>
                {ROLE_LABELS[r]}
              </option>
            ))}
          </select>
          <button
            type="button"
            className="button button-small"
            disabled={action.busy || self || role === user.role}
            onClick={() => void action.run(() => api.updateUser(user.id, { role }), `${user.name} is now ${ROLE_LABELS[role]}.`, onChanged)}
            data-testid="user-save-role"
          >
            Change role<span className="visually-hidden"> for {user.name}</span>
          </button>
        </div>
      </td>
      <td>
        {/* A form of its own, so Enter in the box saves the team. */}
        <form className="inline-form" onSubmit={saveTeam}>
          <label htmlFor={teamId} className="visually-hidden">
            Team for {user.name}
          </label>
          <input
            id={teamId}
            type="text"
            className="input-team"
            autoComplete="off"
            maxLength={TEAM_MAX}
            value={team}
            placeholder="No team"
            onChange={(e) => setTeam(e.target.value)}
            data-testid="user-team"
          />
          <button type="submit" className="button button-small" disabled={teamAction.busy || !teamChanged} data-testid="user-save-team">
            Save team<span className="visually-hidden"> for {user.name}</span>
          </button>
        </form>
        {teamAction.error && <span className="error-text block">{teamAction.error}</span>}
      </td>
      <td>
        <span className="block">{user.active ? 'Active' : 'Deactivated'}</span>
        {!self && (
          <button
            type="button"
            className={user.active ? 'button button-small button-danger' : 'button button-small'}
            disabled={action.busy}
            onClick={() => void action.run(() => api.updateUser(user.id, { active: !user.active }), `${user.name} ${user.active ? 'deactivated' : 'reactivated'}.`, onChanged)}
            data-testid={user.active ? 'user-deactivate' : 'user-reactivate'}
          >
            {user.active ? 'Deactivate' : 'Reactivate'}
            <span className="visually-hidden"> {user.name}</span>
          </button>
        )}
        {self && <span className="muted block">This is you</span>}
        {action.error && <span className="error-text block">{action.error}</span>}
      </td>
    </tr>
  );
}

const EMPTY: NewUser = { email: '', name: '', initials: '', role: 'officer', password: '', team: '' };

function CreateUser({ onCreated }: { onCreated: () => Promise<void> }) {
  const [user, setUser] = useState<NewUser>(EMPTY);
  const action = useAction();
  const set = <K extends keyof NewUser>(key: K, value: NewUser[K]) => setUser((u) => ({ ...u, [key]: value }));
  const submit = async (event: FormEvent) => {
    event.preventDefault();
    const ok = await action.run(() => api.createUser({ ...user, email: user.email.trim(), name: user.name.trim(), initials: user.initials.trim().toUpperCase(), team: user.team.trim() }), `Account created for ${user.name.trim()}.`);
    if (ok) {
      setUser(EMPTY);
      await onCreated();
    }
  };
  return (
    <section aria-labelledby="create-user-heading" className="panel">
      <h2 id="create-user-heading">Add a user</h2>
      <form onSubmit={submit} className="form-grid">
        <div className="field">
          <label htmlFor="new-email">Email address</label>
          <input id="new-email" type="email" autoComplete="off" required value={user.email} onChange={(e) => set('email', e.target.value)} data-testid="new-user-email" />
        </div>
        <div className="field">
          <label htmlFor="new-name">Name</label>
          <input id="new-name" type="text" autoComplete="off" required value={user.name} onChange={(e) => set('name', e.target.value)} data-testid="new-user-name" />
        </div>
        <div className="field">
          <label htmlFor="new-initials">Initials (1–4 capital letters, signed on replies)</label>
          <input
            id="new-initials"
            type="text"
            autoComplete="off"
            required
            pattern="[A-Za-z]{1,4}"
            maxLength={4}
            value={user.initials}
            onChange={(e) => set('initials', e.target.value.toUpperCase())}
            data-testid="new-user-initials"
          />
        </div>
        <div className="field">
          <label htmlFor="new-role">Role</label>
          <select id="new-role" value={user.role} onChange={(e) => set('role', e.target.value as Role)} data-testid="new-user-role">
            {ROLES.map((r) => (
              <option key={r} value={r}>
                {ROLE_LABELS[r]}
              </option>
            ))}
          </select>
        </div>
        <div className="field">
          <label htmlFor="new-team">Team (optional, for the reports)</label>
          <input id="new-team" type="text" autoComplete="off" maxLength={TEAM_MAX} value={user.team} onChange={(e) => set('team', e.target.value)} data-testid="new-user-team" />
        </div>
        <div className="field">
          <label htmlFor="new-password">Password</label>
          <input id="new-password" type="password" autoComplete="new-password" required value={user.password} onChange={(e) => set('password', e.target.value)} data-testid="new-user-password" />
        </div>
        <div className="form-actions">
          <button type="submit" className="button button-primary" disabled={action.busy} data-testid="new-user-submit">
            Create account
          </button>
          {action.error && <p className="error-text">{action.error}</p>}
        </div>
      </form>
    </section>
  );
}
