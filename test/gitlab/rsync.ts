// gitlab-ci-local copies the project and the artifacts with rsync, on every pipeline and with no option to do
// without, and no npm package ships one. Without it the pipeline dies deep inside ("exit code 127"), so the
// project stops first, in one line that names what to install.
import { spawnSync } from 'node:child_process';

export default function requireRsync(): void {
  if (spawnSync('rsync', ['--version'], { stdio: 'ignore' }).error === undefined) return;
  process.stderr.write('rsync is needed by gitlab-ci-local: apt-get install rsync (or brew install rsync)\n');
  process.exit(1);
}
