// The machine's FMA peak: every core runs independent chains of 16-wide float multiply-adds (AVX-512 when
// built with -march=native on such a CPU). Each thread times itself in CPU time, so other load on the machine
// does not lower the figure. Prints GFLOP/s for all cores together.
#include <pthread.h>
#include <stdio.h>
#include <time.h>
#include <unistd.h>

typedef float v16 __attribute__((vector_size(64)));
enum { CHAINS = 12, ITERS = 20000000 };

static void *spin(void *out) {
  struct timespec t0, t1;
  clock_gettime(CLOCK_THREAD_CPUTIME_ID, &t0);
  v16 acc[CHAINS];
  v16 a, b;
  for (int j = 0; j < 16; j++) { a[j] = 0.999999f; b[j] = 1e-7f; }
  for (int c = 0; c < CHAINS; c++) acc[c] = a;
  for (long i = 0; i < ITERS; i++) {
    for (int c = 0; c < CHAINS; c++) acc[c] = acc[c] * a + b; // results are used: the loop stays
  }
  clock_gettime(CLOCK_THREAD_CPUTIME_ID, &t1);
  float s = 0;
  for (int c = 0; c < CHAINS; c++) s += acc[c][0];
  double seconds = (t1.tv_sec - t0.tv_sec) + (t1.tv_nsec - t0.tv_nsec) * 1e-9;
  *(double *)out = 2.0 * 16 * CHAINS * (double)ITERS / seconds / 1e9 + (s == 12345.0f); // s keeps the chains live
  return 0;
}

int main(void) {
  long cores = sysconf(_SC_NPROCESSORS_ONLN);
  pthread_t threads[256];
  double gflops[256];
  if (cores > 256) cores = 256;
  for (long t = 0; t < cores; t++) pthread_create(&threads[t], 0, spin, &gflops[t]);
  double total = 0;
  for (long t = 0; t < cores; t++) {
    pthread_join(threads[t], 0);
    total += gflops[t];
  }
  printf("%f %ld\n", total, cores);
  return 0;
}
