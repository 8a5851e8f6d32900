/** The offline test images scripts/build-test-images.sh builds from Debian packages. */
export const TEST_IMAGES = {
  busybox: 'hubdeck-test/busybox-web:3',
  jupyter: 'hubdeck-test/jupyter:1',
} as const;
