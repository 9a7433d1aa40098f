// Entry of the bundled bench: `bench [options]` (the full comparison), `bench epoch …` (Strata's epochs only),
// `bench child <job> <result-file>` (one measurement in its own process, started by the comparison).
import { runChild } from './child.ts';
import { runComparison } from './compare.ts';
import { runEpochs } from './epoch.ts';
import { useSwiftShaderUnlessSet } from './swiftshader.ts';

useSwiftShaderUnlessSet();
const argv = process.argv.slice(2).filter((a) => a !== '--'); // package managers may forward a bare separator
const [command, ...rest] = argv;
try {
  if (command === 'epoch') await runEpochs(rest);
  else if (command === 'child') await runChild(rest[0], rest[1]);
  else await runComparison(argv);
} catch (err) {
  console.error((err as Error).stack ?? String(err));
  process.exit(1);
}
// Dawn keeps Node's event loop alive while a device lives; every job is done here.
process.exit(0);
