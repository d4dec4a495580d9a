/* A float loop in f64: escape-time Mandelbrot over an n x n grid of the
 * square [-2, 1] x [-1.5, 1.5] with at most 64 iterations per point. The
 * checksum is the total iteration count (an integer, so the result does not
 * depend on printing floats). */
#include <stdint.h>

#define MAX_ITER 64

int32_t mandel_f64(int32_t n) {
    int32_t total = 0;
    double step = 3.0 / (double)n;
    for (int32_t py = 0; py < n; py++) {
        double ci = -1.5 + step * (double)py;
        for (int32_t px = 0; px < n; px++) {
            double cr = -2.0 + step * (double)px;
            double zr = 0.0;
            double zi = 0.0;
            int32_t k = 0;
            while (k < MAX_ITER) {
                double zr2 = zr * zr;
                double zi2 = zi * zi;
                if (zr2 + zi2 > 4.0) {
                    break;
                }
                zi = 2.0 * zr * zi + ci;
                zr = zr2 - zi2 + cr;
                k++;
            }
            total += k;
        }
    }
    return total;
}
