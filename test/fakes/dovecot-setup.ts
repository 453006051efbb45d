import { readFileSync } from 'node:fs';
import { userInfo } from 'node:os';

/**
 * How a private Dovecot is set up, shared by the mail suites (test/support/dovecot.ts) and the
 * `npm start` demo mailbox (scripts/lib/demo-mailbox.mjs). It lives with the fakes so that the
 * build carries it for the launcher; it stands in for the trust's mail provider.
 */
export interface DovecotAccount {
  uid: number;
  gid: number;
  internalUser: string;
  /** Unset: Dovecot's default (its own "dovecot" group). */
  internalGroup?: string;
  loginUser: string;
  /** Only root may chroot the login and anvil processes. */
  chroot: boolean;
}

function passwdEntry(name: string): { uid: number; gid: number } | undefined {
  const line = readFileSync('/etc/passwd', 'utf8').split('\n').find((l) => l.startsWith(`${name}:`));
  if (!line) return undefined;
  const [, , uid, gid] = line.split(':');
  return { uid: Number(uid), gid: Number(gid) };
}

function groupName(gid: number): string | undefined {
  try {
    return readFileSync('/etc/group', 'utf8').split('\n').find((l) => l.split(':')[2] === String(gid))?.split(':')[0];
  } catch {
    return undefined;
  }
}

/**
 * Who the Dovecot processes run as. Dovecot refuses root for its internal and login processes and
 * for mail access, so as root (CI) the Debian package's dovecot/dovenull users run it and mail is
 * owned by nobody; otherwise everything runs as the current user, without chroot.
 */
export function dovecotAccount(): DovecotAccount {
  const me = userInfo();
  if (me.uid !== 0) {
    return { uid: me.uid, gid: me.gid, internalUser: me.username, internalGroup: groupName(me.gid) ?? me.username, loginUser: me.username, chroot: false };
  }
  const nobody = passwdEntry('nobody');
  if (!passwdEntry('dovecot') || !passwdEntry('dovenull') || !nobody) {
    throw new Error('running as root needs the dovecot, dovenull and nobody users (installed with dovecot-imapd)');
  }
  return { ...nobody, internalUser: 'dovecot', loginUser: 'dovenull', chroot: true };
}

export interface DovecotConfigOptions {
  /** Holds run/, state/, passwd and dovecot.log. */
  runDir: string;
  /** Users' homes (each with its Maildir) are `<homeRoot>/<user>`. */
  homeRoot: string;
  port: number;
  /** Names the instance in the process list, e.g. "desk-test-1234". */
  instance: string;
  /** Who wrote the file, for a person who finds it. */
  writer: string;
  who: DovecotAccount;
}

/** Plain IMAP on 127.0.0.1 only, PLAIN passwords from `<runDir>/passwd`, Maildir mail. */
export function dovecotConfig({ runDir, homeRoot, port, instance, writer, who }: DovecotConfigOptions): string {
  return `# Written by ${writer}.
base_dir = ${runDir}/run
state_dir = ${runDir}/state
instance_name = ${instance}
protocols = imap
listen = 127.0.0.1
ssl = no
disable_plaintext_auth = no
auth_mechanisms = plain login
default_internal_user = ${who.internalUser}
${who.internalGroup ? `default_internal_group = ${who.internalGroup}` : ''}
default_login_user = ${who.loginUser}
first_valid_uid = 1
log_path = ${runDir}/dovecot.log
mail_location = maildir:~/Maildir
passdb {
  driver = passwd-file
  args = scheme=PLAIN username_format=%u ${runDir}/passwd
}
userdb {
  driver = static
  args = uid=${who.uid} gid=${who.gid} home=${homeRoot}/%u
}
service anvil {
  ${who.chroot ? '' : 'chroot ='}
}
service imap-login {
  ${who.chroot ? '' : 'chroot ='}
  inet_listener imap {
    address = 127.0.0.1
    port = ${port}
  }
  inet_listener imaps {
    port = 0
  }
}
`;
}
