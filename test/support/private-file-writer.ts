// Child process for test/main/platform/private-file.test.ts: rewrites one file with two large
// texts in turn, as fast as it can, until the test kills it (SIGKILL, mid-write by design). Prints
// "ready" after its first whole write so the test knows the loop is running.
import { writePrivateFile } from '../../main/platform/private-file';

const [file, size] = [process.argv[2]!, Number(process.argv[3])];
const texts = ['a', 'b'].map((c) => c.repeat(size));
for (let i = 0; ; i++) {
  writePrivateFile(file, texts[i % 2]!);
  if (i === 0) process.stdout.write('ready\n');
}
