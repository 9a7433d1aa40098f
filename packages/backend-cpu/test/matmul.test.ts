// The matmul suite on the build the runtime picks: relaxed SIMD, except on Node 20 before 20.16, where V8
// has it only behind a flag and process.getBuiltinModule (the runtime's synchronous way to set it) is missing.
import { matmulSuite } from './matmul-suite.ts';

const relaxedReachable = typeof process.getBuiltinModule === 'function' || Number(process.versions.node.split('.')[0]) > 20;
matmulSuite(relaxedReachable ? 'relaxed' : 'simd');
