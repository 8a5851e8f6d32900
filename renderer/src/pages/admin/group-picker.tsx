/**
 * Groups chosen from the hub's existing groups, as checkboxes: a typed list let an admin name a
 * group that does not exist and learn it only from the hub's refusal ("group ml does not exist").
 * A group the record names that the hub no longer has stays listed (checked) so it can be unticked.
 */
import type { GroupRecord } from '../../../../main/api/dto';
import { hrefOf } from '../../lib/router';

export function GroupPicker({ idPrefix, legend, groups, value, onChange }: {
  idPrefix: string; legend: string; groups: GroupRecord[] | null; value: string[]; onChange: (v: string[]) => void;
}) {
  const names = [...new Set([...(groups ?? []).map((g) => g.name), ...value])].sort();
  const toggle = (name: string, on: boolean) => onChange(on ? [...value, name].sort() : value.filter((n) => n !== name));
  return (
    <fieldset className="group-picker">
      <legend>{legend}</legend>
      {groups === null && <p className="muted">Loading the groups…</p>}
      {groups !== null && names.length === 0 && <p className="muted">No groups yet: add them under <a href={hrefOf({ page: 'admin', section: 'groups' })}>Groups</a>.</p>}
      <div className="row">
        {names.map((n) => (
          <label key={n} className="check" htmlFor={`${idPrefix}-${n}`}>
            <input id={`${idPrefix}-${n}`} type="checkbox" checked={value.includes(n)} onChange={(e) => toggle(n, e.target.checked)} /> {n}
          </label>
        ))}
      </div>
    </fieldset>
  );
}
