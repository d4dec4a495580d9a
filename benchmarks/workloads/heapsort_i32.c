/* A memory-heavy loop over i32: fill an array in linear memory with an LCG,
 * heapsort it, and fold the sorted array into a checksum (i32 loads and
 * stores with data-dependent branches). */
#include <stdint.h>

#define SORT_MAX (1 << 18)

static int32_t data[SORT_MAX];

static void sift_down(int32_t *a, int32_t start, int32_t end) {
    int32_t root = start;
    for (;;) {
        int32_t child = 2 * root + 1;
        if (child > end) {
            return;
        }
        if (child + 1 <= end && a[child] < a[child + 1]) {
            child++;
        }
        if (a[root] < a[child]) {
            int32_t t = a[root];
            a[root] = a[child];
            a[child] = t;
            root = child;
        } else {
            return;
        }
    }
}

int32_t heapsort_i32(int32_t n) {
    if (n > SORT_MAX) {
        n = SORT_MAX;
    }
    uint32_t seed = 12345u;
    for (int32_t i = 0; i < n; i++) {
        seed = seed * 1103515245u + 12345u;
        data[i] = (int32_t)(seed >> 1);
    }
    for (int32_t start = (n - 2) / 2; start >= 0; start--) {
        sift_down(data, start, n - 1);
    }
    for (int32_t end = n - 1; end > 0; end--) {
        int32_t t = data[0];
        data[0] = data[end];
        data[end] = t;
        sift_down(data, 0, end - 1);
    }
    uint32_t h = 0;
    for (int32_t i = 0; i < n; i++) {
        h = h * 16777619u ^ (uint32_t)data[i];
    }
    return (int32_t)h;
}
