// The matmul suite on the baseline SIMD build, the fallback for engines without relaxed SIMD: forced with
// STRATA_CPU_SIMD=simd before the runtime (a per-process singleton, made when the suite's backend is) starts.
process.env.STRATA_CPU_SIMD = 'simd';
const { matmulSuite } = await import('./matmul-suite.ts');
delete process.env.STRATA_CPU_SIMD;

matmulSuite('simd');
