#!/usr/bin/env bash
# Strata on a real GPU, in one command (issue 19): on a Linux machine with an NVIDIA (or other Vulkan) GPU
# and Node 20, from the repository root:
#
#     bash scripts/gpu-bench.sh [results-file]      # default gpu-bench-results.md
#
# Installs what it needs (the Vulkan loader from apt when root and missing; npm packages with pnpm), checks
# that Dawn picks the real adapter (prints its name; a software adapter such as SwiftShader is refused,
# never measured silently), then runs matmul at 1024³, 4096³ and 8192³, the book's MNIST MLP for 5 epochs
# and the book's convnet for 5 epochs (wall time from a fresh device, pipeline compiles included, and test
# accuracy), and writes one results file. Every step has a time limit; the whole run stays under 8 minutes.
set -euo pipefail
cd "$(dirname "$0")/.."
out="${1:-gpu-bench-results.md}"

if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null && ! ldconfig -p | grep -q 'libvulkan\.so\.1'; then
  echo "gpu-bench: apt-get install libvulkan1"
  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq libvulkan1 >/dev/null
fi
command -v nvidia-smi >/dev/null && nvidia-smi --query-gpu=name,driver_version,memory.total --format=csv,noheader || true
# Vulkan must find the GPU's own driver: never SwiftShader from a VK_ICD_FILENAMES left in the environment
if [ -n "${VK_ICD_FILENAMES:-}" ] && grep -qi swiftshader <<<"$VK_ICD_FILENAMES"; then unset VK_ICD_FILENAMES; fi

timeout 180 npx -y pnpm@10 install --frozen-lockfile >/dev/null
timeout 60 npx -y pnpm@10 --filter @strata/bench build
timeout 300 node packages/bench/dist/bench.mjs gpu --out "$out"
cat "$out"
