/** The offline test images scripts/build-test-images.sh builds from Debian packages. */
export const TEST_IMAGES = {
  busybox: 'hubdeck-test/busybox-web:3',
  jupyter: 'hubdeck-test/jupyter:1',
  /** The Jupyter image with OpenSSH's server and client, git and rsync (SSH interoperability). */
  sshd: 'hubdeck-test/sshd:2',
} as const;
