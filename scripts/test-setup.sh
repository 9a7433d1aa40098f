#!/usr/bin/env bash
# What `pnpm test` needs beyond npm packages, installed when missing (a no-op once present):
# - Debian packages (as root, where apt exists): Chromium ships the SwiftShader Vulkan ICD that gives Dawn
#   (the `webgpu` package) a WebGPU adapter without a GPU, and drives the browser demo's e2e test;
#   Fashion-MNIST comes from Debian too.
# - Python Keras 3 (JAX backend) in .venv-keras, from the machine's Python package index: the reference
#   for the .keras interop tests.
set -euo pipefail
cd "$(dirname "$0")/.."

if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
  need=""
  for p in chromium libvulkan1 dataset-fashion-mnist; do dpkg -s "$p" >/dev/null 2>&1 || need="$need $p"; done
  if [ -n "$need" ]; then
    echo "test setup: apt-get install$need"
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $need >/dev/null
  fi
fi

# KERAS_BACKEND: without it keras looks for TensorFlow and the check would fail, reinstalling every run
if [ ! -x .venv-keras/bin/python ] || ! KERAS_BACKEND=jax .venv-keras/bin/python -c 'import keras, h5py' 2>/dev/null; then
  echo "test setup: creating .venv-keras (pip install keras jax jaxlib h5py)"
  python3 -m venv .venv-keras && .venv-keras/bin/pip install -q keras jax jaxlib h5py 2>/dev/null \
    || echo "test setup: warning: could not install Python Keras; the interop tests will fail"
fi
