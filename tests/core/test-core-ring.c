/* tests/core/test-core-ring.c: the sentinel-less ring of core/list.h that
 * holds a head's waiters: hand-worked cases, then random pushes, unlinks and
 * pops against an array kept in the same order.
 */
#include "core/list.h"

#include <string.h>

#define N_LINKS 64

/* Asserts that the ring at @first holds exactly @want[0..@n), in order, with
 * every prev pointing back. */
static void assert_ring(CoreListLink *first, CoreListLink **want, guint n) {
    if (n == 0) {
        g_assert_null(first);
        return;
    }
    g_assert_true(first == want[0]);
    g_assert_true(first->prev == want[n - 1]);
    CoreListLink *l = first;
    for (guint i = 0; i < n; i++, l = l->next) {
        g_assert_true(l == want[i]);
        g_assert_true(l->next->prev == l);
    }
    g_assert_true(l == first);
}

static void hand_cases(void) {
    CoreListLink a, b, c;
    CoreListLink *first = NULL;
    g_assert_null(core__ring_pop_front(&first));
    core__ring_push_back(&first, &a);
    assert_ring(first, (CoreListLink *[]){&a}, 1);
    g_assert_true(a.next == &a && a.prev == &a);
    core__ring_push_back(&first, &b);
    core__ring_push_back(&first, &c);
    assert_ring(first, (CoreListLink *[]){&a, &b, &c}, 3);
    core__ring_unlink(&first, &b); /* The middle: a and c close up. */
    assert_ring(first, (CoreListLink *[]){&a, &c}, 2);
    core__ring_unlink(&first, &a); /* The first: c becomes first. */
    assert_ring(first, (CoreListLink *[]){&c}, 1);
    core__ring_push_back(&first, &a);
    core__ring_unlink(&first, &a); /* The last: c stays first. */
    assert_ring(first, (CoreListLink *[]){&c}, 1);
    g_assert_true(core__ring_pop_front(&first) == &c);
    g_assert_null(first);
}

/* The reference: an array in ring order. */
static void random_against_array(void) {
    g_autoptr(GRand) rand = g_rand_new_with_seed(14);
    CoreListLink links[N_LINKS];
    CoreListLink *order[N_LINKS];
    gboolean in[N_LINKS] = {FALSE};
    guint n = 0;
    CoreListLink *first = NULL;
    for (guint step = 0; step < 20000; step++) {
        guint i = (guint)g_rand_int_range(rand, 0, N_LINKS);
        guint op = (guint)g_rand_int_range(rand, 0, 3);
        if (!in[i]) {
            core__ring_push_back(&first, &links[i]);
            order[n++] = &links[i];
            in[i] = TRUE;
        } else if (op == 0 && n > 0) {
            CoreListLink *got = core__ring_pop_front(&first);
            g_assert_true(got == order[0]);
            in[got - links] = FALSE;
            memmove(order, order + 1, --n * sizeof(order[0]));
        } else {
            guint at = 0;
            while (order[at] != &links[i])
                at++;
            core__ring_unlink(&first, &links[i]);
            in[i] = FALSE;
            memmove(order + at, order + at + 1, (--n - at) * sizeof(order[0]));
        }
        assert_ring(first, order, n);
    }
}

int main(int argc, char **argv) {
    g_test_init(&argc, &argv, NULL);
    g_test_add_func("/core/ring/hand-cases", hand_cases);
    g_test_add_func("/core/ring/random-against-array", random_against_array);
    return g_test_run();
}
