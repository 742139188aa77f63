/* The run-based page set against a plain bitmap reference. */
#include "sim/model/mdl-pages-private.h"

static void assert_sound(const MdlPages *p) {
    g_autofree char *why = mdl_pages_check(p);
    g_assert_null(why);
}

/* The reference: one byte per page, and how many are set. */
typedef struct {
    guint8 *bits;   /* 1 iff the page is in the set */
    uint64_t n;     /* pages */
    uint64_t count; /* bits set */
} Ref;

/* Sets pages [@page, @page + @len) of @ref to @value; returns how many changed. */
static uint64_t ref_fill(Ref *ref, uint64_t page, uint64_t len, guint8 value) {
    uint64_t changed = 0;
    for (uint64_t j = page; j < page + len; j++) {
        changed += ref->bits[j] != value;
        ref->bits[j] = value;
    }
    if (value)
        ref->count += changed;
    else
        ref->count -= changed;
    return changed;
}

/* The range operations, each against the reference, from @page. */
static void range_op(MdlPages *p, Ref *ref, GRand *r, uint64_t page, int op) {
    uint64_t len = (uint64_t)g_rand_int_range(r, 0, op == 3 ? 70000 : op == 4 ? 300 : 400);
    len = MIN(len, ref->n - page);
    if (op == 3) {
        g_assert_cmpuint(mdl_pages_remove_range(p, page, len), ==, ref_fill(ref, page, len, 0));
    } else if (op == 4) {
        g_assert_cmpuint(mdl_pages_insert_range(p, page, len), ==, ref_fill(ref, page, len, 1));
    } else {
        uint64_t end = page + len, gap = page, gap_end;
        while (gap < end && ref->bits[gap])
            gap++;
        for (gap_end = gap; gap_end < end && !ref->bits[gap_end];)
            gap_end++;
        ref_fill(ref, gap, gap_end - gap, 1);
        g_assert_cmpuint(mdl_pages_fill_gap(p, page, end, &len), ==, gap_end);
        g_assert_cmpuint(len, ==, gap);
    }
}

static void next_op(MdlPages *p, Ref *ref, GRand *r, uint64_t page) {
    gboolean res = g_rand_boolean(r);
    uint64_t end = page + (uint64_t)g_rand_int_range(r, 0, 30000), want = page;
    end = MIN(end, ref->n);
    while (want < end && ref->bits[want] != res)
        want++;
    g_assert_cmpuint(mdl_pages_next(p, page, end, res), ==, want);
}

/* A set from mdl_pages_new, or with @data "scattered" or "windowed" one of
 * those. */
static MdlPages *new_set(gconstpointer data) {
    if (data == NULL)
        return mdl_pages_new();
    return g_str_equal(data, "windowed") ? mdl_pages_new_windowed() : mdl_pages_new_scattered();
}

/* 150,000 random operations, each checked against the reference, and the
 * set's own invariants checked every 997 of them. A scattered set gets the
 * same operations: it must behave exactly alike (its runs may differ). */
static void test_random_against_bitmap(gconstpointer data) {
    Ref ref = {g_malloc0(200000), 200000, 0};
    g_autoptr(MdlPages) p = new_set(data);
    GRand *r = g_rand_new_with_seed(42);
    for (int i = 0; i < 150000; i++) {
        uint64_t page = (uint64_t)g_rand_int_range(r, 0, (gint32)ref.n);
        int op = g_rand_int_range(r, 0, 7);
        if (op < 2) {
            g_assert_cmpint(mdl_pages_insert(p, page), ==, ref_fill(&ref, page, 1, 1));
        } else if (op == 2) {
            g_assert_cmpint(mdl_pages_remove(p, page), ==, ref_fill(&ref, page, 1, 0));
        } else if (op < 6) {
            range_op(p, &ref, r, page, op);
        } else {
            next_op(p, &ref, r, page);
        }
        g_assert_cmpint(mdl_pages_test(p, page), ==, ref.bits[page]);
        g_assert_cmpuint(mdl_pages_count(p), ==, ref.count);
        if (i % 997 == 0)
            assert_sound(p);
    }
    uint64_t runs = 0;
    for (uint64_t j = 0; j < ref.n; j++)
        runs += ref.bits[j] && (j == 0 || !ref.bits[j - 1]);
    if (data == NULL || g_str_equal(data, "windowed")) {
        g_assert_cmpuint(mdl_pages_next(p, 0, 1, TRUE), ==, ref.bits[0] ? 0 : 1); /* closes */
        g_assert_cmpuint(mdl_pages_get_runs(p), ==, runs);
    }
    assert_sound(p);
    g_rand_free(r);
    g_free(ref.bits);
}

/* A 4 TiB VMO with pages at both ends costs two runs, and searching the hole
 * between them does not walk a billion pages one by one. */
static void test_huge_sparse(void) {
    const uint64_t pages = (4ULL << 40) / MDL_PAGE_SIZE;
    g_autoptr(MdlPages) p = mdl_pages_new();
    g_assert_true(mdl_pages_insert(p, 0));
    g_assert_true(mdl_pages_insert(p, pages - 1));
    g_assert_cmpuint(mdl_pages_next(p, 1, pages, TRUE), ==, pages - 1);
    g_assert_cmpuint(mdl_pages_next(p, 0, pages, FALSE), ==, 1);
    g_assert_cmpuint(mdl_pages_remove_range(p, 1, pages - 1), ==, 1);
    g_assert_cmpuint(mdl_pages_count(p), ==, 1);
    g_assert_true(mdl_pages_test(p, 0));
}

/* A whole 1 PiB range is one run: inserting, probing, cutting and removing it
 * costs per run, and memory does not grow with its 2^38 pages. */
static void test_petabyte_range(void) {
    const uint64_t pages = (1ULL << 50) / MDL_PAGE_SIZE;
    g_autoptr(MdlPages) p = mdl_pages_new();
    g_assert_true(mdl_pages_insert(p, 1000));
    g_assert_cmpuint(mdl_pages_insert_range(p, 0, pages), ==, pages - 1);
    g_assert_cmpuint(mdl_pages_count(p), ==, pages);
    g_assert_cmpuint(mdl_pages_get_runs(p), ==, 1);
    g_assert_cmpuint(mdl_pages_next(p, 0, pages, FALSE), ==, pages);
    /* Evicting the middle third leaves two runs of a third each. */
    uint64_t third = pages / 3;
    g_assert_cmpuint(mdl_pages_remove_range(p, third, third), ==, third);
    g_assert_cmpuint(mdl_pages_get_runs(p), ==, 2);
    g_assert_cmpuint(mdl_pages_next(p, 5, pages, FALSE), ==, third);
    g_assert_cmpuint(mdl_pages_next(p, third, pages, TRUE), ==, 2 * third);
    g_assert_false(mdl_pages_test(p, 2 * third - 1));
    g_assert_true(mdl_pages_test(p, 2 * third));
    /* Refilling it joins the two runs into one again. */
    g_assert_cmpuint(mdl_pages_insert_range(p, 0, pages), ==, third);
    g_assert_cmpuint(mdl_pages_get_runs(p), ==, 1);
    g_assert_cmpuint(mdl_pages_remove_range(p, 0, pages), ==, pages);
    g_assert_cmpuint(mdl_pages_count(p), ==, 0);
    g_assert_cmpuint(mdl_pages_get_runs(p), ==, 0);
    assert_sound(p);
}

/* Scattered single pages are one run each (a scattered set holds up to 256
 * of them in its table instead); a range across them fills the gaps and joins
 * them, counting only the pages it added. */
static void test_scattered_join(gconstpointer data) {
    g_autoptr(MdlPages) p = new_set(data);
    for (uint64_t i = 0; i < 1000; i++)
        g_assert_true(mdl_pages_insert(p, i * 10 + 5));
    g_assert_cmpuint(mdl_pages_count(p), ==, 1000);
    if (data == NULL)
        g_assert_cmpuint(mdl_pages_get_runs(p), ==, 1000);
    else
        g_assert_cmpuint(mdl_pages_get_runs(p), >=, 1000 - 256);
    assert_sound(p);
    g_assert_false(mdl_pages_insert(p, 505));
    g_assert_cmpuint(mdl_pages_insert_range(p, 0, 10000), ==, 9000);
    g_assert_cmpuint(mdl_pages_get_runs(p), ==, 1);
    g_assert_cmpuint(mdl_pages_remove(p, 0), ==, TRUE);
    g_assert_cmpuint(mdl_pages_remove(p, 9999), ==, TRUE);
    g_assert_cmpuint(mdl_pages_remove(p, 500), ==, TRUE);
    g_assert_cmpuint(mdl_pages_get_runs(p), ==, 2);
    g_assert_cmpuint(mdl_pages_count(p), ==, 9997);
    assert_sound(p);
}

/* The unused set's life in a scattered set: pages inserted one by one sit in
 * the table (no run), a page removed from there is gone, a second insert of a
 * present page is refused, and a range removal counts table pages too. */
static void test_scattered_table(void) {
    g_autoptr(MdlPages) p = mdl_pages_new_scattered();
    g_assert_true(mdl_pages_insert(p, 7));
    g_assert_true(mdl_pages_insert(p, 70000));
    g_assert_false(mdl_pages_insert(p, 7));
    g_assert_cmpuint(mdl_pages_get_runs(p), ==, 0); /* both in the table */
    g_assert_cmpuint(mdl_pages_count(p), ==, 2);
    g_assert_true(mdl_pages_test(p, 70000));
    g_assert_true(mdl_pages_remove(p, 7));
    g_assert_false(mdl_pages_remove(p, 7));
    g_assert_false(mdl_pages_test(p, 7));
    g_assert_true(mdl_pages_insert(p, 8));
    g_assert_cmpuint(mdl_pages_insert_range(p, 100, 3), ==, 3); /* a run */
    g_assert_cmpuint(mdl_pages_get_runs(p), ==, 1);
    g_assert_cmpuint(mdl_pages_count(p), ==, 5);
    assert_sound(p);
    /* [0, 101) holds 8 (table) and 100 (run); 70000 stays. */
    g_assert_cmpuint(mdl_pages_remove_range(p, 0, 101), ==, 2);
    g_assert_cmpuint(mdl_pages_count(p), ==, 3);
    g_assert_cmpuint(mdl_pages_next(p, 0, 200000, TRUE), ==, 101);
    g_assert_cmpuint(mdl_pages_remove_range(p, 0, G_MAXUINT64), ==, 3);
    g_assert_cmpuint(mdl_pages_count(p), ==, 0);
    assert_sound(p);
}

/* Each way mdl_pages_fill_gap fills a gap, worked by hand from the runs
 * [10, 20) and [30, 40): growing the run before, growing the run after,
 * joining both, a new run touching neither, and no gap at all. */
static void test_fill_gap_cases(void) {
    g_autoptr(MdlPages) p = mdl_pages_new();
    uint64_t gap;
    g_assert_cmpuint(mdl_pages_insert_range(p, 10, 10), ==, 10);
    g_assert_cmpuint(mdl_pages_insert_range(p, 30, 10), ==, 10);
    /* from inside [10, 20): the gap [20, 25) grows it */
    g_assert_cmpuint(mdl_pages_fill_gap(p, 15, 25, &gap), ==, 25);
    g_assert_cmpuint(gap, ==, 20);
    g_assert_cmpuint(mdl_pages_get_runs(p), ==, 2);
    /* [27, 30) touches only [30, 40): that run starts at 27 */
    g_assert_cmpuint(mdl_pages_fill_gap(p, 27, 35, &gap), ==, 30);
    g_assert_cmpuint(gap, ==, 27);
    g_assert_cmpuint(mdl_pages_get_runs(p), ==, 2);
    g_assert_false(mdl_pages_test(p, 26));
    g_assert_true(mdl_pages_test(p, 27));
    /* [25, 27) touches both: one run [10, 40) */
    g_assert_cmpuint(mdl_pages_fill_gap(p, 12, 40, &gap), ==, 27);
    g_assert_cmpuint(gap, ==, 25);
    g_assert_cmpuint(mdl_pages_get_runs(p), ==, 1);
    /* [50, 60) touches neither: a second run */
    g_assert_cmpuint(mdl_pages_fill_gap(p, 50, 60, &gap), ==, 60);
    g_assert_cmpuint(gap, ==, 50);
    g_assert_cmpuint(mdl_pages_get_runs(p), ==, 2);
    /* [3, 10) before the first run, reached from page 3 (the head's slot) */
    g_assert_cmpuint(mdl_pages_fill_gap(p, 3, 10, &gap), ==, 10);
    g_assert_cmpuint(gap, ==, 3);
    /* no gap in [3, 40): @gap and the result are the end */
    g_assert_cmpuint(mdl_pages_fill_gap(p, 3, 40, &gap), ==, 40);
    g_assert_cmpuint(gap, ==, 40);
    g_assert_cmpuint(mdl_pages_count(p), ==, 37 + 10);
    g_assert_cmpuint(mdl_pages_get_runs(p), ==, 2);
    assert_sound(p);
}

/* mdl_pages_fill_gap's lookup through the hint of a page's slot (one per 64
 * pages) while the finger is on another run, and with finger and hint on a
 * freed node, worked by hand: runs [200, 201) and [9000, 9001); a look at
 * 9000 leaves the finger there, so the fill of [201, 202) finds [200, 201)
 * by the hint its look at 200 left (201 is in 200's block) and grows it.
 * Then that run is removed (its node freed, still finger and hint after a
 * look at 201): the fill of [201, 203) must not use it, and makes a run. */
static void test_fill_gap_hint(void) {
    g_autoptr(MdlPages) p = mdl_pages_new();
    uint64_t gap;
    g_assert_cmpuint(mdl_pages_insert_range(p, 200, 1), ==, 1);
    g_assert_cmpuint(mdl_pages_insert_range(p, 9000, 1), ==, 1);
    g_assert_true(mdl_pages_test(p, 200));
    g_assert_true(mdl_pages_test(p, 9000));
    g_assert_cmpuint(mdl_pages_fill_gap(p, 201, 202, &gap), ==, 202);
    g_assert_cmpuint(gap, ==, 201);
    g_assert_cmpuint(mdl_pages_get_runs(p), ==, 2);
    g_assert_true(mdl_pages_test(p, 201));
    g_assert_false(mdl_pages_test(p, 202));
    g_assert_true(mdl_pages_test(p, 201));
    g_assert_cmpuint(mdl_pages_remove_range(p, 200, 2), ==, 2);
    g_assert_cmpuint(mdl_pages_fill_gap(p, 201, 203, &gap), ==, 203);
    g_assert_cmpuint(gap, ==, 201);
    g_assert_cmpuint(mdl_pages_get_runs(p), ==, 2);
    g_assert_false(mdl_pages_test(p, 200));
    g_assert_true(mdl_pages_test(p, 202));
    g_assert_cmpuint(mdl_pages_count(p), ==, 3);
    assert_sound(p);
}

/* mdl__pages_add_one_inline against a bitmap: @streams streams each
 * filling its own 4,096 pages one at a time in order (the disjoint scan's
 * supplies: the finger is another stream's run, the hint finds its own, and
 * slots are set as runs grow into them), with every 7th fill one page
 * further on and every 11th one page back (gaps: new runs and joins, freed
 * nodes; pages already there); each fill returns what the bitmap says and
 * the set stays sound. A windowed set with one stream fills out of order
 * near a frontier, so its window opens and slides. */
static void fill_one_random(MdlPages *p, guint streams, guint seed) {
    guint8 *bits = g_new0(guint8, (gsize)streams * 4096 + 2);
    uint64_t cur[64] = {0}, count = 0;
    GRand *r = g_rand_new_with_seed(seed);
    for (guint step = 0; step < streams * 3000; step++) {
        guint t = (guint)g_rand_int_range(r, 0, (gint32)streams);
        uint64_t page = (uint64_t)t * 4096 + cur[t] + (step % 7 == 0);
        if (step % 11 == 0 && cur[t] >= 2)
            page -= 2;
        if (cur[t] + 2 >= 4096)
            continue;
        g_assert_cmpint(mdl__pages_add_one_inline(p, page), ==, !bits[page]);
        count += !bits[page];
        bits[page] = 1;
        cur[t] = MAX(cur[t], page + 1 - (uint64_t)t * 4096);
    }
    g_assert_cmpuint(mdl_pages_count(p), ==, count);
    for (uint64_t page = 0; page < (uint64_t)streams * 4096; page++)
        g_assert_cmpint(mdl_pages_test(p, page), ==, bits[page]);
    assert_sound(p);
    g_rand_free(r);
    g_free(bits);
}

/* fill_one_random, then hand-worked cases: the hint's run grows while the
 * finger is elsewhere, a gap that reaches the next run takes
 * mdl_pages_fill_gap (the two join), and a page already in the set is not
 * added. */
static void test_add_one_inline(void) {
    g_autoptr(MdlPages) p = mdl_pages_new();
    fill_one_random(p, 64, 7);
    g_autoptr(MdlPages) w = mdl_pages_new_windowed();
    fill_one_random(w, 1, 8);
    g_assert_cmpuint(w->aside, ==, ASIDE_WIN); /* its bits took the last pages */

    g_autoptr(MdlPages) q = mdl_pages_new();
    g_assert_cmpuint(mdl_pages_insert_range(q, 200, 1), ==, 1);
    g_assert_cmpuint(mdl_pages_insert_range(q, 203, 1), ==, 1);
    g_assert_cmpuint(mdl_pages_insert_range(q, 9000, 1), ==, 1);
    g_assert_true(mdl_pages_test(q, 200));  /* the hint of 200's slot: [200, 201) */
    g_assert_true(mdl_pages_test(q, 9000)); /* the finger: [9000, 9001) */
    g_assert_true(mdl__pages_add_one_inline(q, 201));
    g_assert_cmpuint(mdl_pages_get_runs(q), ==, 3);
    g_assert_true(mdl__pages_add_one_inline(q, 202));
    g_assert_cmpuint(mdl_pages_get_runs(q), ==, 2); /* [200, 204) and [9000, 9001) */
    g_assert_cmpuint(mdl_pages_next(q, 200, 300, FALSE), ==, 204);
    g_assert_false(mdl__pages_add_one_inline(q, 201)); /* already there */
    g_assert_cmpuint(mdl_pages_count(q), ==, 5);
    /* [200, 204) grows to page 255, then into the next slot's pages */
    for (uint64_t page = 204; page < 260; page++)
        g_assert_true(mdl__pages_add_one_inline(q, page));
    g_assert_cmpuint(mdl_pages_get_runs(q), ==, 2);
    g_assert_cmpuint(mdl_pages_next(q, 200, 300, FALSE), ==, 260);
    g_assert_cmpuint(mdl_pages_count(q), ==, 61);
    assert_sound(q);

    /* A freed node left in a slot is not grown: [0, 59) and [60, 70); a
     * lookup of 65 leaves [60, 70) in the slot of pages 64-127; page 59 joins
     * the two, freeing that node; page 70 then grows [0, 70) found through
     * the finger, not the freed node in 70's slot. */
    g_autoptr(MdlPages) f = mdl_pages_new();
    g_assert_cmpuint(mdl_pages_insert_range(f, 0, 59), ==, 59);
    g_assert_cmpuint(mdl_pages_insert_range(f, 60, 10), ==, 10);
    g_assert_true(mdl_pages_test(f, 0));
    g_assert_true(mdl_pages_test(f, 65));
    g_assert_true(mdl__pages_add_one_inline(f, 59));
    g_assert_cmpuint(mdl_pages_get_runs(f), ==, 1);
    g_assert_true(mdl__pages_add_one_inline(f, 70));
    g_assert_cmpuint(mdl_pages_get_runs(f), ==, 1);
    g_assert_cmpuint(mdl_pages_count(f), ==, 71);
    g_assert_cmpuint(mdl_pages_next(f, 0, 100, FALSE), ==, 71);
    assert_sound(f);
}

/* A scattered set's table has 256 slots (two per bucket): of 257 single
 * pages at least one meets a full bucket and moves a page to the runs; each
 * page is still in the set exactly once, and removing them all leaves none. */
static void test_scattered_spill(void) {
    g_autoptr(MdlPages) p = mdl_pages_new_scattered();
    /* 257 pages cannot all sit in 256 slots: at least one goes to the runs */
    for (uint64_t i = 0; i < 257; i++)
        g_assert_true(mdl_pages_insert(p, i * 1000));
    g_assert_cmpuint(mdl_pages_count(p), ==, 257);
    g_assert_cmpuint(mdl_pages_get_runs(p), >=, 1);
    for (uint64_t i = 0; i < 257; i++) {
        g_assert_true(mdl_pages_test(p, i * 1000));
        g_assert_false(mdl_pages_test(p, i * 1000 + 1));
        g_assert_false(mdl_pages_insert(p, i * 1000));
    }
    assert_sound(p);
    for (uint64_t i = 0; i < 257; i++)
        g_assert_true(mdl_pages_remove(p, i * 1000));
    g_assert_cmpuint(mdl_pages_count(p), ==, 0);
    g_assert_cmpuint(mdl_pages_get_runs(p), ==, 0);
    assert_sound(p);
}

/* The finger (the run the last lookup found) never answers for a page it
 * does not cover, even when its run is cut, freed or its node reused. Worked
 * from [0, 10) and [100, 110). */
static void test_finger_stale(void) {
    g_autoptr(MdlPages) p = mdl_pages_new();
    uint64_t gap;
    g_assert_cmpuint(mdl_pages_insert_range(p, 0, 10), ==, 10);
    g_assert_cmpuint(mdl_pages_insert_range(p, 100, 10), ==, 10);
    g_assert_true(mdl_pages_test(p, 105)); /* finger: [100, 110) */
    g_assert_cmpuint(mdl_pages_remove_range(p, 100, 10), ==, 10);
    g_assert_false(mdl_pages_test(p, 105)); /* its node is freed */
    g_assert_true(mdl_pages_test(p, 9));
    /* the freed node comes back as [200, 205) */
    g_assert_cmpuint(mdl_pages_insert_range(p, 200, 5), ==, 5);
    g_assert_false(mdl_pages_test(p, 105));
    g_assert_true(mdl_pages_test(p, 204));
    g_assert_false(mdl_pages_test(p, 205));
    /* the finger's run shrinks from the front: 200 and 201 go */
    g_assert_cmpuint(mdl_pages_remove_range(p, 198, 4), ==, 2);
    g_assert_false(mdl_pages_test(p, 201));
    g_assert_true(mdl_pages_test(p, 202));
    /* appends at the finger's end, then one that reaches the next run [202,
     * 205) from [0, 10): the page before it joins the two */
    g_assert_true(mdl_pages_test(p, 9));
    for (uint64_t page = 10; page < 201; page++) {
        g_assert_false(mdl_pages_test(p, page));
        g_assert_cmpuint(mdl_pages_fill_gap(p, page, page + 1, &gap), ==, page + 1);
        g_assert_cmpuint(gap, ==, page);
        g_assert_true(mdl_pages_test(p, page));
    }
    g_assert_cmpuint(mdl_pages_get_runs(p), ==, 2);
    g_assert_cmpuint(mdl_pages_fill_gap(p, 201, 202, &gap), ==, 202);
    g_assert_cmpuint(mdl_pages_get_runs(p), ==, 1);
    g_assert_cmpuint(mdl_pages_count(p), ==, 205);
    g_assert_true(mdl_pages_test(p, 204));
    g_assert_false(mdl_pages_test(p, 205));
    assert_sound(p);
}

/* A page added as absent to a scattered set sits aside (newest) until the
 * next one moves it to its bucket; every operation sees it. */
static void test_add_absent(void) {
    g_autoptr(MdlPages) p = mdl_pages_new_scattered();
    uint64_t gap;
    mdl_pages_add_absent(p, 5); /* makes the table: 5 goes to a bucket */
    mdl_pages_add_absent(p, 7); /* newest */
    mdl_pages_add_absent(p, 9); /* 7 moves to its bucket, 9 is newest */
    g_assert_cmpuint(mdl_pages_count(p), ==, 3);
    g_assert_cmpuint(mdl_pages_get_runs(p), ==, 0);
    assert_sound(p);
    g_assert_false(mdl_pages_insert(p, 9));
    g_assert_false(mdl_pages_insert(p, 7));
    g_assert_true(mdl_pages_test(p, 9));
    g_assert_false(mdl_pages_test(p, 8));
    g_assert_true(mdl_pages_remove(p, 9));
    g_assert_false(mdl_pages_remove(p, 9));
    g_assert_cmpuint(mdl_pages_count(p), ==, 2);
    mdl_pages_add_absent(p, 9); /* newest again */
    /* a range removal takes it: [8, 10) holds 9 only */
    g_assert_cmpuint(mdl_pages_remove_range(p, 8, 2), ==, 1);
    g_assert_false(mdl_pages_test(p, 9));
    mdl_pages_add_absent(p, 20);
    /* a range insert over it does not count it as added: [19, 22) adds 2 */
    g_assert_cmpuint(mdl_pages_insert_range(p, 19, 3), ==, 2);
    g_assert_cmpuint(mdl_pages_count(p), ==, 5);
    assert_sound(p);
    /* fill_gap and next move the table to the runs first: [5, 8) holds 5, 7 */
    mdl_pages_add_absent(p, 6);
    g_assert_cmpuint(mdl_pages_fill_gap(p, 4, 30, &gap), ==, 5);
    g_assert_cmpuint(gap, ==, 4);
    g_assert_cmpuint(mdl_pages_next(p, 4, 30, FALSE), ==, 8);
    g_assert_cmpuint(mdl_pages_get_runs(p), ==, 2); /* [4, 8) and [19, 22) */
    g_assert_cmpuint(mdl_pages_count(p), ==, 7);
    assert_sound(p);
    /* on a set that is not scattered it is an insert */
    g_autoptr(MdlPages) q = mdl_pages_new();
    mdl_pages_add_absent(q, 3);
    mdl_pages_add_absent(q, 4);
    g_assert_cmpuint(mdl_pages_get_runs(q), ==, 1);
    g_assert_cmpuint(mdl_pages_count(q), ==, 2);
    assert_sound(q);
}

/* The supply and touch pattern of many threads each faulting its own pages
 * in order, interleaved at random (the disjoint scan), with the unused set's
 * add and remove, random evictions and random lone faults, against two
 * bitmaps: the resident set (plain) and the unused set (scattered). */
static void test_streams_against_bitmap(void) {
    enum { STREAMS = 40, SPAN = 3000 };
    Ref res = {g_malloc0(STREAMS * SPAN), STREAMS * SPAN, 0};
    Ref un = {g_malloc0(STREAMS * SPAN), STREAMS * SPAN, 0};
    uint64_t next[STREAMS], spilled = 0;
    g_autoptr(MdlPages) pages = mdl_pages_new();
    g_autoptr(MdlPages) unused = mdl_pages_new_scattered();
    GRand *r = g_rand_new_with_seed(7);
    for (guint i = 0; i < STREAMS; i++)
        next[i] = (uint64_t)i * SPAN + (i % 3) * 17;
    for (int step = 0; step < 100000; step++) {
        guint i = (guint)g_rand_int_range(r, 0, STREAMS);
        int op = g_rand_int_range(r, 0, 100);
        uint64_t page = next[i] < (i + 1) * (uint64_t)SPAN ? next[i] : (uint64_t)i * SPAN;
        if (op < 3) { /* a lone fault anywhere */
            page = (uint64_t)g_rand_int_range(r, 0, (gint32)res.n);
        } else if (op < 5) { /* evict a range */
            uint64_t len = (uint64_t)g_rand_int_range(r, 1, 200);
            len = MIN(len, res.n - page);
            g_assert_cmpuint(mdl_pages_remove_range(unused, page, len), ==,
                             ref_fill(&un, page, len, 0));
            g_assert_cmpuint(mdl_pages_remove_range(pages, page, len), ==,
                             ref_fill(&res, page, len, 0));
            continue;
        }
        g_assert_cmpint(mdl_pages_test(pages, page), ==, res.bits[page]);
        if (!res.bits[page]) { /* supply: fill_gap of one page, add to unused */
            uint64_t gap;
            g_assert_cmpuint(mdl_pages_fill_gap(pages, page, page + 1, &gap), ==, page + 1);
            g_assert_cmpuint(gap, ==, page);
            ref_fill(&res, page, 1, 1);
            mdl_pages_add_absent(unused, page);
            ref_fill(&un, page, 1, 1);
        }
        if (op % 4 != 0) { /* the touch: usually, not always */
            g_assert_true(mdl_pages_test(pages, page));
            g_assert_cmpint(mdl_pages_remove(unused, page), ==, ref_fill(&un, page, 1, 0));
        }
        g_assert_cmpint(mdl_pages_test(unused, page), ==, un.bits[page]);
        if (op >= 5 && page == next[i])
            next[i]++;
        g_assert_cmpuint(mdl_pages_count(pages), ==, res.count);
        g_assert_cmpuint(mdl_pages_count(unused), ==, un.count);
        spilled = MAX(spilled, mdl_pages_get_runs(unused));
        if (step % 9973 == 0) {
            assert_sound(pages);
            assert_sound(unused);
        }
    }
    for (uint64_t j = 0; j < res.n; j++) {
        g_assert_cmpint(mdl_pages_test(pages, j), ==, res.bits[j]);
        g_assert_cmpint(mdl_pages_test(unused, j), ==, un.bits[j]);
    }
    /* the unused set outgrew its table (pages left untouched): runs too */
    g_assert_cmpuint(spilled, >, 0);
    assert_sound(pages);
    assert_sound(unused);
    g_rand_free(r);
    g_free(res.bits);
    g_free(un.bits);
}

static uint64_t fill1(MdlPages *p, uint64_t page) {
    uint64_t gap;
    g_assert_cmpuint(mdl_pages_fill_gap(p, page, page + 1, &gap), ==, page + 1);
    return gap;
}

/* The window of a windowed set, worked by hand: it opens at the fill after
 * two new runs within 256 pages, 256 pages below the fill's 64-page word
 * (here [704, 1216)), taking the runs there; it slides a word at a time,
 * each word's pages going to the runs; it closes for mdl_pages_next and a
 * removal of a range it meets, and a page's removal there clears its bit. */
static void test_window_cases(void) {
    g_autoptr(MdlPages) p = mdl_pages_new_windowed();
    uint64_t gap;
    g_assert_cmpuint(fill1(p, 1000), ==, 1000);
    g_assert_cmpuint(fill1(p, 1002), ==, 1002); /* the second new run: the window is wanted */
    g_assert_cmpuint(mdl_pages_get_runs(p), ==, 2);
    g_assert_cmpuint(fill1(p, 1004), ==, 1004); /* opens [704, 1216), takes both runs */
    g_assert_cmpuint(mdl_pages_get_runs(p), ==, 0);
    g_assert_cmpuint(mdl_pages_count(p), ==, 3);
    g_assert_false(mdl_pages_test(p, 1001));
    g_assert_true(mdl_pages_test(p, 1002));
    g_assert_cmpuint(fill1(p, 1001), ==, 1001);
    g_assert_cmpuint(fill1(p, 1001), ==, 1002); /* present: gap at end */
    g_assert_cmpuint(mdl_pages_fill_gap(p, 999, 1010, &gap), ==, 1000);
    g_assert_cmpuint(gap, ==, 999);
    g_assert_cmpuint(mdl_pages_fill_gap(p, 999, 1010, &gap), ==, 1004);
    g_assert_cmpuint(gap, ==, 1003);
    g_assert_cmpuint(mdl_pages_count(p), ==, 6); /* [999, 1005) */
    assert_sound(p);
    g_assert_cmpuint(fill1(p, 1216), ==, 1216); /* slides one word: [768, 1280) */
    g_assert_cmpuint(mdl_pages_get_runs(p), ==, 0);
    g_assert_cmpuint(fill1(p, 1700), ==, 1700);     /* seven words: [1216, 1728) */
    g_assert_cmpuint(mdl_pages_get_runs(p), ==, 1); /* [999, 1005) */
    g_assert_cmpuint(mdl_pages_count(p), ==, 8);
    g_assert_true(mdl_pages_test(p, 1004));
    g_assert_false(mdl_pages_test(p, 1005));
    assert_sound(p);
    g_assert_cmpuint(mdl_pages_next(p, 999, 2000, FALSE), ==, 1005); /* closes */
    g_assert_cmpuint(mdl_pages_get_runs(p), ==, 3);
    g_assert_cmpuint(fill1(p, 1800), ==, 1800);
    g_assert_cmpuint(fill1(p, 1802), ==, 1802);
    g_assert_cmpuint(fill1(p, 1803), ==, 1803); /* opens [1536, 2048) */
    g_assert_cmpuint(mdl_pages_get_runs(p), ==, 2);
    g_assert_true(mdl_pages_remove(p, 1802));
    g_assert_false(mdl_pages_remove(p, 1802));
    g_assert_cmpuint(mdl_pages_count(p), ==, 10);
    assert_sound(p);
    g_assert_cmpuint(mdl_pages_remove_range(p, 1500, 100), ==, 0); /* closes */
    g_assert_cmpuint(mdl_pages_get_runs(p), ==, 5);
    g_assert_cmpuint(mdl_pages_insert_range(p, 1000, 1000), ==, 991); /* 9 there */
    g_assert_cmpuint(mdl_pages_get_runs(p), ==, 1);
    assert_sound(p);
}

/* Supplies out of order near a moving frontier (open M/M/c: each arrival
 * faults the page after the last, up to 12 are served at once and finish in
 * any order), with touches, lone faults, evictions, range supplies and
 * searches now and then, against a bitmap; the window must have held pages. */
static void test_window_frontier(void) {
    Ref ref = {g_malloc0(300000), 300000, 0};
    g_autoptr(MdlPages) p = mdl_pages_new_windowed();
    GRand *r = g_rand_new_with_seed(11);
    uint64_t frontier = 0, pending[12], held = 0;
    guint n = 0;
    while (frontier < ref.n - 1000) {
        int op = g_rand_int_range(r, 0, 1000);
        if (n < 12 && g_rand_boolean(r)) {
            pending[n++] = frontier++;
            continue;
        }
        uint64_t page = n ? pending[0] : frontier;
        if (op < 5) {
            page = (uint64_t)g_rand_int_range(r, 0, (gint32)frontier + 1);
            range_op(p, &ref, r, page, 3 + op % 3);
        } else if (op < 7) {
            next_op(p, &ref, r, (uint64_t)g_rand_int_range(r, 0, (gint32)frontier + 1));
        } else if (n) {
            guint i = (guint)g_rand_int_range(r, 0, (gint32)n);
            page = pending[i];
            pending[i] = pending[--n];
            uint64_t gap;
            g_assert_cmpint(mdl_pages_test(p, page), ==, ref.bits[page]);
            uint64_t want = ref.bits[page] ? page + 1 : page;
            g_assert_cmpuint(mdl_pages_fill_gap(p, page, page + 1, &gap), ==, page + 1);
            g_assert_cmpuint(gap, ==, want);
            ref_fill(&ref, page, 1, 1);
        }
        g_assert_cmpint(mdl_pages_test(p, page), ==, ref.bits[page]);
        g_assert_cmpuint(mdl_pages_count(p), ==, ref.count);
        uint64_t runs = 0;
        for (uint64_t j = frontier > 2000 ? frontier - 2000 : 0; j < frontier; j++)
            runs += ref.bits[j] && (j == 0 || !ref.bits[j - 1]);
        held += mdl_pages_get_runs(p) < runs; /* some of these in the window */
        if (frontier % 1009 == 0)
            assert_sound(p);
    }
    for (uint64_t j = 0; j < ref.n; j++)
        g_assert_cmpint(mdl_pages_test(p, j), ==, ref.bits[j]);
    g_assert_cmpuint(held, >, 1000);
    assert_sound(p);
    g_rand_free(r);
    g_free(ref.bits);
}

int main(int argc, char **argv) {
    g_test_init(&argc, &argv, NULL);
    g_test_add_data_func("/model/pages/random-against-bitmap", NULL, test_random_against_bitmap);
    g_test_add_data_func("/model/pages/scattered/random-against-bitmap", "scattered",
                         test_random_against_bitmap);
    g_test_add_data_func("/model/pages/windowed/random-against-bitmap", "windowed",
                         test_random_against_bitmap);
    g_test_add_func("/model/pages/windowed/cases", test_window_cases);
    g_test_add_func("/model/pages/windowed/frontier", test_window_frontier);
    g_test_add_func("/model/pages/huge-sparse", test_huge_sparse);
    g_test_add_func("/model/pages/petabyte-range", test_petabyte_range);
    g_test_add_data_func("/model/pages/scattered-join", NULL, test_scattered_join);
    g_test_add_data_func("/model/pages/scattered/scattered-join", "scattered", test_scattered_join);
    g_test_add_func("/model/pages/scattered/table", test_scattered_table);
    g_test_add_func("/model/pages/fill-gap-cases", test_fill_gap_cases);
    g_test_add_func("/model/pages/fill-gap-hint", test_fill_gap_hint);
    g_test_add_func("/model/pages/add-one-inline", test_add_one_inline);
    g_test_add_func("/model/pages/scattered/spill", test_scattered_spill);
    g_test_add_func("/model/pages/finger-stale", test_finger_stale);
    g_test_add_func("/model/pages/scattered/add-absent", test_add_absent);
    g_test_add_func("/model/pages/streams-against-bitmap", test_streams_against_bitmap);
    return g_test_run();
}
