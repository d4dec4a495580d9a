/* The SIMD twin of blend_u8.c: the same source, built by build.sh with
 * -msimd128 (clang autovectorises its loops) and exported as blend_u8_simd.
 * Comparing the two measures an engine's SIMD against its scalar code. */
#define blend_u8 blend_u8_simd
#include "blend_u8.c"
