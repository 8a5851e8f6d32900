import { describe, expect, it } from 'vitest';
import { containerIdFromMountinfo } from '../../../../main/engine/docker/self-container';

const ID = '032fe545dc3c95f5bcfdda1eaab78772392b455f85cc0321e96699646e8411e5';

describe("the hub's own container", () => {
  it('is found from the files Docker mounts into every container', () => {
    const text = [
      '88 60 0:45 / / rw,relatime master:1 - overlay overlay rw,lowerdir=/var/lib/docker/overlay2/l/X',
      `107 88 254:0 /var/lib/docker/containers/${ID}/hostname /etc/hostname rw,relatime - ext4 /dev/vda rw`,
    ].join('\n');
    expect(containerIdFromMountinfo(text)).toBe(ID);
    // Docker's data-root elsewhere, resolv.conf first: the same id.
    expect(containerIdFromMountinfo(`1 2 3:4 /srv/docker/containers/${ID}/resolv.conf /etc/resolv.conf rw - ext4 /dev/x rw`)).toBe(ID);
  });

  it('is none outside a container, or for a volume that merely holds a containers/ folder', () => {
    expect(containerIdFromMountinfo('25 1 8:1 / / rw,relatime shared:1 - ext4 /dev/sda1 rw')).toBeNull();
    expect(containerIdFromMountinfo(`9 1 8:1 /data/containers/${ID}/notes /mnt/notes rw - ext4 /dev/sda1 rw`)).toBeNull();
  });
});
