// Entry of the bundled bench: `bench [options]` (the full comparison), `bench epoch …` (Strata's epochs only),
// `bench child <job> <result-file>` (one measurement in its own process, started by the comparison),
// `bench gpu …` (the real-GPU run of scripts/gpu-bench.sh).
import { runChild } from './child.ts';
import { runComparison } from './compare.ts';
import { runEpochs } from './epoch.ts';
import { runGpu } from './gpu.ts';
import { useSwiftShaderUnlessSet } from './swiftshader.ts';

const argv = process.argv.slice(2).filter((a) => a !== '--'); // package managers may forward a bare separator
const [command, ...rest] = argv;
// the GPU run takes the driver Vulkan finds (and refuses a software one); the rest default to SwiftShader
if (command !== 'gpu') useSwiftShaderUnlessSet();
try {
  if (command === 'gpu') await runGpu(rest);
  else if (command === 'epoch') await runEpochs(rest);
  else if (command === 'child') await runChild(rest[0], rest[1]);
  else await runComparison(argv);
} catch (err) {
  console.error((err as Error).stack ?? String(err));
  process.exit(1);
}
// Dawn keeps Node's event loop alive while a device lives; every job is done here.
process.exit(0);
