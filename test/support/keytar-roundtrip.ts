/** Run inside a D-Bus session with an unlocked GNOME Keyring: the real KeytarSecretStore, round trip. */
import { hubTokenAccount } from '../../main/core/secret-store';
import { KeytarSecretStore } from '../../main/shell/keytar-secret-store';

async function main(): Promise<void> {
  const store = new KeytarSecretStore();
  const account = hubTokenAccount(`https://roundtrip-${process.pid}.test:8585`, 'bob');
  const before = await store.get(account);
  await store.set(account, 'hdk_secret_one');
  const first = await store.get(account);
  await store.set(account, 'hdk_secret_two');
  const second = await store.get(account);
  const deleted = await store.delete(account);
  const after = await store.get(account);
  const deletedAgain = await store.delete(account);
  process.stdout.write(JSON.stringify({ before, first, second, deleted, after, deletedAgain }));
}

main().catch((e: unknown) => {
  process.stderr.write(String(e instanceof Error ? e.message : e));
  process.exit(1);
});
