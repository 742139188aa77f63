/* Clocks and precise waits for the real pager: absolute CLOCK_MONOTONIC sleeps
 * with the timer slack at 1 ns, and a busy-wait for the last @spin_ns so a
 * deadline is met to well under a microsecond when a core is free. */
#include "tests/realpager/rp.h"

#include <sys/prctl.h>
#include <time.h>

uint64_t rp_now_ns(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

void rp_timer_slack_min(void) { prctl(PR_SET_TIMERSLACK, 1UL, 0UL, 0UL, 0UL); }

void rp_sleep_until(uint64_t deadline_ns, uint64_t spin_ns) {
    uint64_t now = rp_now_ns();
    if (deadline_ns > now + spin_ns) {
        uint64_t wake = deadline_ns - spin_ns;
        struct timespec ts = {(time_t)(wake / 1000000000u), (long)(wake % 1000000000u)};
        while (clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME, &ts, NULL) != 0)
            ; /* EINTR: sleep again to the same deadline */
    }
    while (rp_now_ns() < deadline_ns) {
#if defined(__x86_64__) || defined(__i386__)
        __builtin_ia32_pause();
#endif
    }
}
