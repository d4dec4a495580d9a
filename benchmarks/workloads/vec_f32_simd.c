/* The SIMD twin of vec_f32.c: the same source, built by build.sh with
 * -msimd128 (clang autovectorises its loops) and exported as vec_f32_simd.
 * Comparing the two measures an engine's SIMD against its scalar code. */
#define vec_f32 vec_f32_simd
#include "vec_f32.c"
