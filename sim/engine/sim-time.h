/* sim-time.h: the one time type of the simulator.
 *
 * Simulated time is an unsigned count of nanoseconds since t=0. It never goes
 * backwards, and no code in sim/ or core/ reads the wall clock. Every duration and
 * every instant is a SimTime; convert units only with the constants below. */
#pragma once

#include <stdint.h>

/* Nanoseconds since the start of the simulation (or a duration in nanoseconds). */
typedef uint64_t SimTime; /* ns since t=0 */

/* "No time": returned where there is no next event, and used as "no horizon". */
#define SIM_TIME_INVALID UINT64_MAX

#define SIM_NSEC ((SimTime)1)
#define SIM_USEC ((SimTime)1000)
#define SIM_MSEC ((SimTime)1000000)
#define SIM_SEC  ((SimTime)1000000000)
