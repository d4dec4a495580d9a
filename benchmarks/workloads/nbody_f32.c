/* A float loop in f32: the n-body simulation of the Jovian planets (the
 * Computer Language Benchmarks Game's algorithm) in single precision, n time
 * steps. The result is the final energy as an f32, compared bit-exactly. */
#include <stdint.h>

#define NBODIES 5
#define PI 3.141592653589793f
#define SOLAR_MASS (4.0f * PI * PI)
#define DAYS_PER_YEAR 365.24f

struct body {
    float x, y, z, vx, vy, vz, mass;
};

static struct body bodies[NBODIES];

static void init(void) {
    static const float data[NBODIES][7] = {
        {0.0f, 0.0f, 0.0f, 0.0f, 0.0f, 0.0f, 1.0f},
        {4.84143144246472090e+00f, -1.16032004402742839e+00f, -1.03622044471123109e-01f,
         1.66007664274403694e-03f, 7.69901118419740425e-03f, -6.90460016972063023e-05f,
         9.54791938424326609e-04f},
        {8.34336671824457987e+00f, 4.12479856412430479e+00f, -4.03523417114321381e-01f,
         -2.76742510726862411e-03f, 4.99852801234917238e-03f, 2.30417297573763929e-05f,
         2.85885980666130812e-04f},
        {1.28943695621391310e+01f, -1.51111514016986312e+01f, -2.23307578892655734e-01f,
         2.96460137564761618e-03f, 2.37847173959480950e-03f, -2.96589568540237556e-05f,
         4.36624404335156298e-05f},
        {1.53796971148509165e+01f, -2.59193146099879641e+01f, 1.79258772950371181e-01f,
         2.68067772490389322e-03f, 1.62824170038242295e-03f, -9.51592254519715870e-05f,
         5.15138902046611451e-05f},
    };
    float px = 0.0f, py = 0.0f, pz = 0.0f;
    for (int i = 0; i < NBODIES; i++) {
        struct body *b = &bodies[i];
        b->x = data[i][0];
        b->y = data[i][1];
        b->z = data[i][2];
        b->vx = data[i][3] * DAYS_PER_YEAR;
        b->vy = data[i][4] * DAYS_PER_YEAR;
        b->vz = data[i][5] * DAYS_PER_YEAR;
        b->mass = data[i][6] * SOLAR_MASS;
        px += b->vx * b->mass;
        py += b->vy * b->mass;
        pz += b->vz * b->mass;
    }
    bodies[0].vx = -px / SOLAR_MASS;
    bodies[0].vy = -py / SOLAR_MASS;
    bodies[0].vz = -pz / SOLAR_MASS;
}

static void advance(float dt) {
    for (int i = 0; i < NBODIES; i++) {
        struct body *a = &bodies[i];
        for (int j = i + 1; j < NBODIES; j++) {
            struct body *b = &bodies[j];
            float dx = a->x - b->x;
            float dy = a->y - b->y;
            float dz = a->z - b->z;
            float d2 = dx * dx + dy * dy + dz * dz;
            float mag = dt / (d2 * __builtin_sqrtf(d2));
            a->vx -= dx * b->mass * mag;
            a->vy -= dy * b->mass * mag;
            a->vz -= dz * b->mass * mag;
            b->vx += dx * a->mass * mag;
            b->vy += dy * a->mass * mag;
            b->vz += dz * a->mass * mag;
        }
    }
    for (int i = 0; i < NBODIES; i++) {
        struct body *b = &bodies[i];
        b->x += dt * b->vx;
        b->y += dt * b->vy;
        b->z += dt * b->vz;
    }
}

static float energy(void) {
    float e = 0.0f;
    for (int i = 0; i < NBODIES; i++) {
        struct body *a = &bodies[i];
        e += 0.5f * a->mass * (a->vx * a->vx + a->vy * a->vy + a->vz * a->vz);
        for (int j = i + 1; j < NBODIES; j++) {
            struct body *b = &bodies[j];
            float dx = a->x - b->x;
            float dy = a->y - b->y;
            float dz = a->z - b->z;
            e -= a->mass * b->mass / __builtin_sqrtf(dx * dx + dy * dy + dz * dz);
        }
    }
    return e;
}

float nbody_f32(int32_t n) {
    init();
    for (int32_t i = 0; i < n; i++) {
        advance(0.01f);
    }
    return energy();
}
