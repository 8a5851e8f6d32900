/** Admin (admins only): users, groups, images, settings, every workspace by owner, usage per user, live events, cleanup. */
import { useState } from 'react';
import { useHub } from '../lib/hub-context';
import { engineDescription } from '../../../main/api/hub-info';
import { useLiveWorkspaces } from '../lib/live-workspaces';
import { ADMIN_SECTIONS, hrefOf, type AdminSection } from '../lib/router';
import { CleanupSection } from './admin/cleanup';
import { EventsSection } from './admin/events';
import { GroupsSection } from './admin/groups';
import { ImagesSection } from './admin/images';
import { SettingsSection } from './admin/settings';
import { UsageSection } from './admin/usage';
import { NodesTable } from './admin/nodes';
import { UsersSection } from './admin/users';
import { WorkspaceTable } from './workspaces';

const TITLES: Record<AdminSection, string> = {
  users: 'Users', groups: 'Groups', images: 'Images', settings: 'Settings', workspaces: 'All workspaces', usage: 'Usage', events: 'Audit log', cleanup: 'Cleanup',
};

function AllWorkspaces() {
  const list = useLiveWorkspaces({ all: true });
  const [error, setError] = useState<string | null>(null);
  const owners = new Set(list.items.map((w) => w.user));
  return (
    <>
      {(error ?? list.error) && <p role="alert" className="alert">{error ?? list.error}</p>}
      <p className="muted">{list.items.length} workspace(s) of {owners.size} user(s); {list.items.filter((w) => w.state === 'running').length} running.</p>
      {list.items.length > 0 && <WorkspaceTable items={list.items} onError={setError} onChange={list.upsert} showOwner caption="All workspaces by owner" />}
    </>
  );
}

export function AdminPage({ section }: { section: AdminSection }) {
  const { info } = useHub();
  return (
    <main id="main">
      <h1>Admin: {TITLES[section]}</h1>
      <nav className="subnav" aria-label="Admin sections">
        <ul>
          {ADMIN_SECTIONS.map((s) => <li key={s}><a href={hrefOf({ page: 'admin', section: s })} aria-current={s === section ? 'page' : undefined}>{TITLES[s]}</a></li>)}
        </ul>
      </nav>
      <p className="muted">Hub {info.hubId} · hubdeck {info.version} · {engineDescription(info)}</p>
      {section === 'users' && <UsersSection />}
      {section === 'groups' && <GroupsSection />}
      {section === 'images' && <ImagesSection />}
      {section === 'settings' && <SettingsSection />}
      {section === 'workspaces' && <AllWorkspaces />}
      {section === 'usage' && <><UsageSection /><NodesTable /></>}
      {section === 'events' && <EventsSection />}
      {section === 'cleanup' && <CleanupSection />}
    </main>
  );
}
