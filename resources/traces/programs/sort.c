/* Sample traced program: sort 4,000 pseudo-random integers with the C library's qsort. */
#include <stdio.h>
#include <stdlib.h>

static int compare(const void *a, const void *b) {
  int x = *(const int *)a, y = *(const int *)b;
  return (x > y) - (x < y);
}

int main(void) {
  enum { N = 4000 };
  int *values = malloc(N * sizeof *values);
  unsigned state = 1987;
  for (int i = 0; i < N; i++) {
    state = state * 1103515245u + 12345u;
    values[i] = (int)(state >> 8);
  }
  qsort(values, N, sizeof *values, compare);
  printf("median %d\n", values[N / 2]);
  free(values);
  return 0;
}
