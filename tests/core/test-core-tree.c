/* tests/core/test-core-tree.c: the radix tree behind the outstanding map,
 * against a sorted array, with core__tree_check after every step (or every
 * 97th step in the long runs).
 */
#include "core/request-tree-inline.h"

#define N_ENTRIES 3000

typedef struct {
    CoreTree tree;          /* Under test. */
    CoreTreeEntry *entries; /* Entry storage. */
    guint64 *keys;          /* keys[i]: the key entries[i] is inserted under. */
    GPtrArray *ref;         /* Reference: the linked entries, sorted by key. */
    GString *why;           /* Checker output. */
} Fixture;

static void setup(Fixture *f, gconstpointer data) {
    f->entries = g_new0(CoreTreeEntry, N_ENTRIES);
    f->keys = g_new0(guint64, N_ENTRIES);
    f->ref = g_ptr_array_new();
    f->why = g_string_new(NULL);
    core__tree_init(&f->tree);
    for (guint i = 0; i < N_ENTRIES; i++) {
        core__tree_entry_clear(&f->entries[i]);
        f->keys[i] = 2 * (guint64)i + 2;
    }
}

static void teardown(Fixture *f, gconstpointer data) {
    while (f->tree.count > 0)
        core__tree_erase(&f->tree, core__tree_first(&f->tree));
    core__tree_clear(&f->tree);
    g_assert_null(f->tree.blocks);
    g_free(f->entries);
    g_free(f->keys);
    g_ptr_array_unref(f->ref);
    g_string_free(f->why, TRUE);
}

static void check(Fixture *f) {
    g_string_truncate(f->why, 0);
    core__tree_check(&f->tree, f->why);
    g_assert_cmpstr(f->why->str, ==, "");
}

/* The key of @e, one of f->entries; a linked entry must say the same. */
static guint64 key_of(const Fixture *f, const CoreTreeEntry *e) {
    guint64 key = f->keys[e - f->entries];
    if (core__tree_entry_is_linked(e))
        g_assert_cmpuint(core__tree_entry_key(e), ==, key);
    return key;
}

/* Inserts f->entries[@i] under f->keys[@i]. */
static void insert_at(Fixture *f, guint i) {
    core__tree_insert(&f->tree, &f->entries[i], f->keys[i]);
}

/* Index in f->ref of the first entry with key > @key (binary search). */
static guint ref_upper_index(Fixture *f, guint64 key) {
    guint lo = 0, hi = f->ref->len;
    while (lo < hi) {
        guint mid = lo + (hi - lo) / 2;
        if (key_of(f, g_ptr_array_index(f->ref, mid)) <= key)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo;
}

static CoreTreeEntry *ref_upper_bound(Fixture *f, guint64 key) {
    guint i = ref_upper_index(f, key);
    return i < f->ref->len ? g_ptr_array_index(f->ref, i) : NULL;
}

/* The entry with key @key in the reference, or NULL. */
static CoreTreeEntry *ref_find_key(Fixture *f, guint64 key) {
    guint i = ref_upper_index(f, key);
    CoreTreeEntry *e = i > 0 ? g_ptr_array_index(f->ref, i - 1) : NULL;
    return e != NULL && key_of(f, e) == key ? e : NULL;
}

static void ref_insert(Fixture *f, CoreTreeEntry *e) {
    guint i = ref_upper_index(f, key_of(f, e));
    g_assert_true(i == 0 || key_of(f, g_ptr_array_index(f->ref, i - 1)) < key_of(f, e));
    g_ptr_array_insert(f->ref, (gint)i, e);
}

/* Index of @e, which is in f->ref. */
static guint ref_find(Fixture *f, const CoreTreeEntry *e) {
    guint i = ref_upper_index(f, key_of(f, e)) - 1;
    g_assert_true(g_ptr_array_index(f->ref, i) == e);
    return i;
}

/* The whole iteration (first, next) equals the reference. */
static void check_iteration(Fixture *f) {
    guint i = 0;
    for (CoreTreeEntry *e = core__tree_first(&f->tree); e != NULL; e = core__tree_next(e), i++) {
        g_assert_cmpuint(i, <, f->ref->len);
        g_assert_true(e == g_ptr_array_index(f->ref, i));
    }
    g_assert_cmpuint(i, ==, f->ref->len);
    g_assert_cmpuint(f->tree.count, ==, f->ref->len);
}

/* Inserts @e under @key in the tree and the reference, through the inline
 * insert (the full one when the fast path does not apply). */
static void insert(Fixture *f, CoreTreeEntry *e, guint64 key) {
    f->keys[e - f->entries] = key;
    core__tree_insert_inline(&f->tree, e, key);
    ref_insert(f, e);
}

static void empty_tree(Fixture *f, gconstpointer data) {
    g_assert_null(core__tree_first(&f->tree));
    g_assert_null(core__tree_upper_bound(&f->tree, 0));
    g_assert_null(core__tree_upper_bound(&f->tree, G_MAXUINT64));
    g_assert_cmpuint(core__tree_height(&f->tree), ==, 0);
    /* The finger and the hints name no leaf, and no key matches that. */
    g_assert_true(f->tree.finger == CORE_TREE_NOWHERE);
    g_assert_true(f->tree.hint[0] == CORE_TREE_NOWHERE);
    g_assert_true(f->tree.hint[CORE_TREE_HINTS - 1] == CORE_TREE_NOWHERE);
    g_assert_null(core__tree_find(&f->tree, 0));
    g_assert_null(core__tree_find(&f->tree, G_MAXUINT64));
    check(f);
    core__tree_clear(&f->tree); /* Never used: nothing to free. */
    g_assert_true(f->tree.finger == CORE_TREE_NOWHERE);
    check(f);
}

static void upper_bound_is_strict(Fixture *f, gconstpointer data) {
    for (guint i = 0; i < 3; i++)
        insert_at(f, i); /* keys 2, 4, 6 */
    g_assert_true(core__tree_upper_bound(&f->tree, 0) == &f->entries[0]);
    g_assert_true(core__tree_upper_bound(&f->tree, 2) == &f->entries[1]);
    g_assert_true(core__tree_upper_bound(&f->tree, 5) == &f->entries[2]);
    g_assert_null(core__tree_upper_bound(&f->tree, 6));
    g_assert_null(core__tree_upper_bound(&f->tree, G_MAXUINT64));
    check(f);
}

/* Keys 2, 4, 6, 10, then one in another level-6 node (5 * 4096 + 3) and one
 * under another root slot (70000): the ceiling cuts the answer off exactly
 * past its key, from a hinted leaf and from a descent alike. */
static void upper_bound_within_limit(Fixture *f, gconstpointer data) {
    static const guint64 keys[] = {2, 4, 6, 10, 5 * 4096 + 3, 70000};
    for (guint i = 0; i < G_N_ELEMENTS(keys); i++)
        insert(f, &f->entries[i], keys[i]);
    g_assert_null(core__tree_upper_bound_within(&f->tree, 5, 5)); /* empty range */
    g_assert_true(core__tree_upper_bound_within(&f->tree, 5, 6) == &f->entries[2]);
    g_assert_null(core__tree_upper_bound_within(&f->tree, 6, 9));
    g_assert_true(core__tree_upper_bound_within(&f->tree, 6, 10) == &f->entries[3]);
    g_assert_null(core__tree_upper_bound_within(&f->tree, 10, 5 * 4096 + 2));
    g_assert_true(core__tree_upper_bound_within(&f->tree, 10, 5 * 4096 + 3) == &f->entries[4]);
    g_assert_null(core__tree_upper_bound_within(&f->tree, 4000, 5 * 4096)); /* descent */
    g_assert_null(core__tree_upper_bound_within(&f->tree, 5 * 4096 + 3, 69999));
    g_assert_true(core__tree_upper_bound_within(&f->tree, 5 * 4096 + 3, G_MAXUINT64) ==
                  &f->entries[5]);
    g_assert_null(core__tree_upper_bound_within(&f->tree, 70000, G_MAXUINT64));
    check(f);
}

/* Exact lookups: present keys, their neighbours, a key in an empty leaf
 * slot of a leaf in use, one under a missing subtree, one above the root's
 * range, and a key in a parked leaf. */
static void find_exact(Fixture *f, gconstpointer data) {
    static const guint64 keys[] = {2, 4, 70000};
    for (guint i = 0; i < G_N_ELEMENTS(keys); i++)
        insert(f, &f->entries[i], keys[i]);
    g_assert_true(core__tree_find(&f->tree, 2) == &f->entries[0]);
    g_assert_true(core__tree_find(&f->tree, 4) == &f->entries[1]);
    g_assert_true(core__tree_find(&f->tree, 70000) == &f->entries[2]);
    g_assert_null(core__tree_find(&f->tree, 3));        /* Same leaf, empty slot. */
    g_assert_null(core__tree_find(&f->tree, 69999));    /* Same leaf as 70000. */
    g_assert_null(core__tree_find(&f->tree, 5 * 4096)); /* No level-1 node there. */
    g_assert_null(core__tree_find(&f->tree, 1u << 18)); /* Past the root's range. */
    g_assert_null(core__tree_find(&f->tree, G_MAXUINT64));
    core__tree_erase(&f->tree, &f->entries[2]); /* Parks 70000's leaf and node. */
    g_ptr_array_remove_index(f->ref, 2);
    g_assert_null(core__tree_find(&f->tree, 70000));
    g_assert_null(core__tree_find(&f->tree, 70001));
    g_assert_true(core__tree_find(&f->tree, 4) == &f->entries[1]);
    check(f);
}

/* A random key for phase @phase: dense small keys (one or two levels),
 * clustered page-like keys (runs of neighbours far apart, so leaves fill and
 * empty and searches cross empty subtrees), then any 64-bit key. */
static guint64 random_key(GRand *rand, guint phase) {
    switch (phase) {
        case 0:
            return (guint64)g_rand_int_range(rand, 0, 4000);
        case 1:
            return ((guint64)g_rand_int_range(rand, 0, 64) << 30) +
                   (guint64)g_rand_int_range(rand, 0, 200);
        default: {
            guint64 k = ((guint64)g_rand_int(rand) << 32) | g_rand_int(rand);
            return k >> g_rand_int_range(rand, 0, 64); /* Every height, up to 11. */
        }
    }
}

/* A probe for phase @phase: a random key, or the key of a random entry. */
static guint64 random_probe(Fixture *f, GRand *rand, guint phase) {
    if (f->ref->len == 0 || g_rand_boolean(rand))
        return random_key(rand, phase);
    guint i = (guint)g_rand_int_range(rand, 0, (gint)f->ref->len);
    return key_of(f, g_ptr_array_index(f->ref, i));
}

/* upper_bound_within(@probe, limit) for ceilings at and around the leaf and
 * node boundaries: @ub (the reference upper_bound) while its key is within
 * the limit, NULL beyond. */
static void check_within(Fixture *f, guint64 probe, const CoreTreeEntry *ub) {
    static const guint64 dist[] = {0, 1, 2, 63, 64, 65, 4095, 4096, 1u << 20, G_MAXUINT64};
    for (guint i = 0; i < G_N_ELEMENTS(dist); i++) {
        guint64 limit = probe + MIN(dist[i], G_MAXUINT64 - probe);
        const CoreTreeEntry *want = ub != NULL && key_of(f, ub) <= limit ? ub : NULL;
        g_assert_true(core__tree_upper_bound_within(&f->tree, probe, limit) == want);
    }
}

/* Erases linked @e, under @key, as a supply does: core__tree_find_leaf, then
 * core__tree_erase_found with the leaf it gave, which must be @e's. */
static void erase_by_key(Fixture *f, guint64 key, CoreTreeEntry *e) {
    CoreTreeNode *leaf = NULL;
    g_assert_true(core__tree_find_leaf(&f->tree, key, &leaf) == e);
    g_assert_true(leaf == core__tree_entry_leaf(e));
    core__tree_erase_found(&f->tree, leaf, key, e);
}

/* One random operation: insert, erase or replace, then an upper_bound probe
 * and a next, each against the reference. */
static void random_step(Fixture *f, GRand *rand, guint phase, CoreTreeEntry *spare) {
    CoreTreeEntry *e = &f->entries[g_rand_int_range(rand, 0, N_ENTRIES)];
    if (!core__tree_entry_is_linked(e)) {
        guint64 key = random_key(rand, phase);
        guint at = ref_upper_index(f, key);
        if (at > 0 && key_of(f, g_ptr_array_index(f->ref, at - 1)) == key)
            return; /* Present already. */
        insert(f, e, key);
    } else if (g_rand_int_range(rand, 0, 8) == 0) {
        /* Replace, then swap back so that entry storage stays indexed. */
        guint i = ref_find(f, e);
        core__tree_replace(&f->tree, e, spare);
        g_assert_false(core__tree_entry_is_linked(e));
        g_assert_cmpuint(core__tree_entry_key(spare), ==, key_of(f, e));
        g_ptr_array_index(f->ref, i) = spare;
        g_assert_true(core__tree_upper_bound(&f->tree, key_of(f, e) - 1) == spare ||
                      key_of(f, e) == 0);
        core__tree_replace(&f->tree, spare, e);
        g_ptr_array_index(f->ref, i) = e;
    } else {
        g_ptr_array_remove_index(f->ref, ref_find(f, e));
        guint how = (guint)g_rand_int_range(rand, 0, 3);
        if (how == 0)
            core__tree_erase(&f->tree, e);
        else if (how == 1)
            core__tree_erase_inline(&f->tree, e);
        else
            erase_by_key(f, key_of(f, e), e);
        g_assert_false(core__tree_entry_is_linked(e));
    }
    guint64 probe = random_probe(f, rand, phase);
    CoreTreeEntry *ub = core__tree_upper_bound(&f->tree, probe);
    g_assert_true(ub == ref_upper_bound(f, probe));
    check_within(f, probe, ub);
    g_assert_true(core__tree_find(&f->tree, probe) == ref_find_key(f, probe));
    if (probe < G_MAXUINT64)
        g_assert_true(core__tree_find(&f->tree, probe + 1) == ref_find_key(f, probe + 1));
    if (ub != NULL) {
        guint i = ref_find(f, ub);
        CoreTreeEntry *want = i + 1 < f->ref->len ? g_ptr_array_index(f->ref, i + 1) : NULL;
        g_assert_true(core__tree_next(ub) == want);
    }
}

/* 100,000 operations in three phases of key distribution. */
static void random_against_array(Fixture *f, gconstpointer data) {
    g_autoptr(GRand) rand = g_rand_new_with_seed(20210601);
    CoreTreeEntry spare;
    core__tree_entry_clear(&spare);
    for (guint step = 0; step < 100000; step++) {
        guint phase = step / 33334;
        if (step % 33334 == 0) {
            /* A new phase starts from an empty tree. */
            while (f->ref->len > 0) {
                core__tree_erase(&f->tree, g_ptr_array_index(f->ref, f->ref->len - 1));
                g_ptr_array_remove_index(f->ref, f->ref->len - 1);
            }
            check(f);
            g_assert_cmpuint(f->tree.nodes, ==, 0);
        }
        random_step(f, rand, phase, &spare);
        if (step % 97 == 0 || step % 33334 < 2000)
            check(f);
        if (step % 5000 == 4999)
            check_iteration(f);
    }
    check(f);
    check_iteration(f);
}

/* Scans like the simulator's faulting threads, against the reference: 24
 * cursors, each in its own range of 3000 keys (neighbours share the nodes
 * over 4096 keys, all share the root), each step erasing one cursor's entry
 * and inserting it a little further on (now and then far away in its range),
 * so that leaves and their parents are parked, taken back and displaced all
 * the time. Lookups at and around the cursors are checked at every step. */
static void scans_against_array(Fixture *f, gconstpointer data) {
    g_autoptr(GRand) rand = g_rand_new_with_seed(20261206);
    enum { CURSORS = 24, SPAN = 3000 };
    for (guint step = 0; step < 60000; step++) {
        guint c = (guint)g_rand_int_range(rand, 0, CURSORS);
        CoreTreeEntry *e = &f->entries[c];
        guint64 base = (guint64)c * SPAN, key = base;
        if (core__tree_entry_is_linked(e)) {
            key = key_of(f, e);
            g_ptr_array_remove_index(f->ref, ref_find(f, e));
            if (step % 2)
                core__tree_erase_inline(&f->tree, e);
            else
                erase_by_key(f, key, e);
        }
        guint64 probe = key + (guint64)g_rand_int_range(rand, 0, 3);
        CoreTreeEntry *ub = core__tree_upper_bound(&f->tree, probe);
        g_assert_true(ub == ref_upper_bound(f, probe));
        check_within(f, probe, ub);
        g_assert_true(core__tree_find(&f->tree, probe) == ref_find_key(f, probe));
        if (g_rand_int_range(rand, 0, 50) == 0)
            key = base + (guint64)g_rand_int_range(rand, 0, SPAN);
        else
            key = base + (key - base + (guint64)g_rand_int_range(rand, 1, 3)) % SPAN;
        if (g_rand_int_range(rand, 0, 10) > 0)
            insert(f, e, key); /* Else the cursor rests a while. */
        if (step % 7 == 0)
            check(f);
        if (step % 1000 == 999)
            check_iteration(f);
    }
    check(f);
    check_iteration(f);
}

/* Keys 5000 and 5001 share a leaf L under a level-1 node N in root slot 1;
 * 70000 lies under root slot 17 (root at shift 12: 5 nodes). Emptying L
 * parks it in N and N in the root: no node is freed, lookups step over
 * them, and the next insert near 5000 takes the same leaf back. */
static void empty_nodes_are_parked(Fixture *f, gconstpointer data) {
    CoreTreeEntry *e = f->entries;
    insert(f, &e[0], 5000);
    insert(f, &e[1], 70000);
    insert(f, &e[2], 5001);
    CoreTreeNode *leaf = core__tree_entry_leaf(&e[0]);
    CoreTreeNode *root = f->tree.root;
    g_assert_true(core__tree_entry_leaf(&e[2]) == leaf);
    g_assert_cmpuint(f->tree.nodes, ==, 5);
    core__tree_erase(&f->tree, &e[0]);
    core__tree_erase(&f->tree, &e[2]);
    g_ptr_array_remove_range(f->ref, 0, 2);
    check(f);
    g_assert_cmpuint(f->tree.nodes, ==, 5);
    g_assert_cmpuint(root->bitmap, ==, G_GUINT64_CONSTANT(1) << 17);
    g_assert_cmpuint(root->parked, ==, 1 + 1);          /* N, in slot 1 */
    g_assert_cmpuint(leaf->parent->parked, ==, 14 + 1); /* L: 5000 / 64 = 78 = 64 + 14 */
    g_assert_cmpuint(leaf->bitmap, ==, 0);
    g_assert_true(core__tree_upper_bound(&f->tree, 4999) == &e[1]);
    g_assert_null(core__tree_upper_bound_within(&f->tree, 5000, 5063));
    g_assert_true(core__tree_first(&f->tree) == &e[1]);
    insert(f, &e[4], 5002);
    check(f);
    g_assert_true(core__tree_entry_leaf(&e[4]) == leaf); /* Taken back, with N. */
    g_assert_cmpuint(f->tree.nodes, ==, 5);
    g_assert_cmpuint(root->bitmap, ==, (G_GUINT64_CONSTANT(1) << 17) | 2);
    g_assert_cmpuint(root->parked, ==, 0);
    g_assert_true(core__tree_upper_bound(&f->tree, 3) == &e[4]);
    g_assert_true(core__tree_next(&e[4]) == &e[1]);
    check_iteration(f);
}

/* A node parks one child at most: parking a second frees the first with the
 * chain below it. An emptied tree frees every node; a root left with slot 0
 * alone gives up its parked chain when it steps down. */
static void parking_replaces_and_shrinks(Fixture *f, gconstpointer data) {
    CoreTreeEntry *e = f->entries;
    insert(f, &e[0], 5000);
    insert(f, &e[1], 70000);
    insert(f, &e[5], 3); /* Root slot 0: a level-1 node and a leaf, 7 nodes. */
    CoreTreeNode *leaf = core__tree_entry_leaf(&e[0]);
    g_assert_cmpuint(f->tree.nodes, ==, 7);
    core__tree_erase(&f->tree, &e[0]); /* Parks L and N under root slot 1. */
    g_assert_cmpuint(f->tree.nodes, ==, 7);
    core__tree_erase(&f->tree, &e[5]); /* Parks slot 0's pair, frees slot 1's. */
    g_ptr_array_remove_index(f->ref, 0);
    g_ptr_array_remove_index(f->ref, 0);
    check(f);
    g_assert_cmpuint(f->tree.nodes, ==, 5);
    g_assert_cmpuint(f->tree.root->parked, ==, 0 + 1);
    g_assert_cmpuint(leaf->prefix, ==, G_MAXUINT64); /* Free. */
    g_assert_true(core__tree_upper_bound(&f->tree, 0) == &e[1]);
    core__tree_erase(&f->tree, &e[1]);
    g_ptr_array_set_size(f->ref, 0);
    check(f);
    g_assert_cmpuint(f->tree.nodes, ==, 0);
    g_assert_null(f->tree.root);
    g_assert_null(core__tree_upper_bound(&f->tree, 0));
    insert(f, &e[5], 3);
    insert(f, &e[1], 70000);
    g_assert_cmpuint(core__tree_height(&f->tree), ==, 3);
    core__tree_erase(&f->tree, &e[1]); /* Root keeps slot 0 only: down to a leaf. */
    g_ptr_array_remove_index(f->ref, 1);
    check(f);
    g_assert_cmpuint(core__tree_height(&f->tree), ==, 1);
    g_assert_cmpuint(f->tree.nodes, ==, 1);
    g_assert_true(core__tree_upper_bound(&f->tree, 2) == &e[5]);
}

/* The inline erase defers the park of the leaf it empties. Keys 3, 5000 and
 * 70000 lie under root slots 0, 1 and 17 (root at shift 12, 7 nodes); 5000's
 * leaf L sits in slot 14 of the level-1 node N. Emptied by the inline erase,
 * L stays in use: no bit changes above it, lookups and walks step over it,
 * and an insert into it only clears the stale mark. The next leaf emptied
 * parks L (and N); a full erase parks the stale leaf first. */
static void erase_inline_defers_park(Fixture *f, gconstpointer data) {
    CoreTreeEntry *e = f->entries;
    insert(f, &e[0], 5000);
    insert(f, &e[1], 70000);
    insert(f, &e[5], 3);
    CoreTreeNode *leaf = core__tree_entry_leaf(&e[0]), *root = f->tree.root;
    CoreTreeNode *n = leaf->parent, *leaf3 = core__tree_entry_leaf(&e[5]);
    guint64 root_bits = (G_GUINT64_CONSTANT(1) << 17) | 2 | 1;
    core__tree_erase_inline(&f->tree, &e[0]);
    g_ptr_array_remove_index(f->ref, 1);
    check(f);
    g_assert_true(f->tree.stale == leaf);
    g_assert_cmpuint(f->tree.nodes, ==, 7);
    g_assert_cmpuint(leaf->bitmap, ==, 0);
    g_assert_cmpuint(n->bitmap, ==, G_GUINT64_CONSTANT(1) << 14);
    g_assert_cmpuint(root->bitmap, ==, root_bits);
    g_assert_true(core__tree_upper_bound(&f->tree, 3) == &e[1]);    /* climbs out of L */
    g_assert_true(core__tree_upper_bound(&f->tree, 4999) == &e[1]); /* descends into L */
    g_assert_null(core__tree_upper_bound_within(&f->tree, 4999, 69999));
    g_assert_null(core__tree_find(&f->tree, 5000));
    g_assert_true(core__tree_next(&e[5]) == &e[1]);
    check_iteration(f);
    insert(f, &e[4], 5001);
    check(f);
    g_assert_null(f->tree.stale);
    g_assert_true(core__tree_entry_leaf(&e[4]) == leaf);
    g_assert_cmpuint(f->tree.nodes, ==, 7);
    g_assert_cmpuint(root->parked, ==, 0);
    core__tree_erase_inline(&f->tree, &e[4]);
    core__tree_erase_inline(&f->tree, &e[5]); /* Parks L, N under root slot 1. */
    g_ptr_array_remove_range(f->ref, 0, 2);
    check(f);
    g_assert_true(f->tree.stale == leaf3);
    g_assert_cmpuint(f->tree.nodes, ==, 7);
    g_assert_cmpuint(root->bitmap, ==, root_bits & ~(guint64)2);
    g_assert_cmpuint(root->parked, ==, 1 + 1);
    g_assert_cmpuint(n->parked, ==, 14 + 1);
    g_assert_true(core__tree_first(&f->tree) == &e[1]);
    core__tree_erase(&f->tree, &e[1]); /* Parks 3's pair first: frees L and N. */
    g_ptr_array_set_size(f->ref, 0);
    check(f);
    g_assert_null(f->tree.stale);
    g_assert_cmpuint(f->tree.nodes, ==, 0);
    g_assert_null(f->tree.root);
}

static void replace_in_place(Fixture *f, gconstpointer data) {
    for (guint i = 0; i < 7; i++)
        insert_at(f, i);
    CoreTreeEntry spare;
    core__tree_entry_clear(&spare);
    core__tree_replace(&f->tree, &f->entries[3], &spare);
    g_assert_cmpuint(core__tree_entry_key(&spare), ==, 8);
    g_assert_false(core__tree_entry_is_linked(&f->entries[3]));
    g_assert_true(core__tree_upper_bound(&f->tree, 7) == &spare);
    g_assert_true(core__tree_next(&f->entries[2]) == &spare);
    g_assert_true(core__tree_next(&spare) == &f->entries[4]);
    check(f);
    core__tree_erase(&f->tree, &spare);
    check(f);
}

/* Ascending inserts (sequential faults): keys 2..6000 need two levels. */
static void ascending_stays_low(Fixture *f, gconstpointer data) {
    for (guint i = 0; i < N_ENTRIES; i++)
        insert_at(f, i);
    check(f);
    g_assert_cmpuint(core__tree_height(&f->tree), ==, 3); /* 6000 >= 64 * 64 */
    for (guint i = N_ENTRIES / 2; i < N_ENTRIES; i++)
        core__tree_erase(&f->tree, &f->entries[i]);
    check(f);
    g_assert_cmpuint(core__tree_height(&f->tree), ==, 2); /* 3000 < 4096 */
    for (guint i = 0; i < N_ENTRIES / 2; i += 2)
        core__tree_erase(&f->tree, &f->entries[i]);
    check(f);
    g_assert_cmpuint(f->tree.count, ==, N_ENTRIES / 4);
}

/* The height follows the largest key, from 1 to 11 levels and back. */
static void height_grows_and_shrinks(Fixture *f, gconstpointer data) {
    CoreTreeEntry *e = f->entries;
    insert(f, &e[0], 0);
    g_assert_cmpuint(core__tree_height(&f->tree), ==, 1);
    insert(f, &e[1], 64);
    g_assert_cmpuint(core__tree_height(&f->tree), ==, 2);
    insert(f, &e[2], G_GUINT64_CONSTANT(1) << 63);
    g_assert_cmpuint(core__tree_height(&f->tree), ==, 11);
    insert(f, &e[3], G_MAXUINT64);
    insert(f, &e[4], G_MAXUINT64 - 1);
    check(f);
    check_iteration(f);
    g_assert_true(core__tree_upper_bound(&f->tree, 0) == &e[1]);
    g_assert_true(core__tree_upper_bound(&f->tree, 64) == &e[2]);
    g_assert_true(core__tree_upper_bound(&f->tree, G_MAXUINT64 - 2) == &e[4]);
    g_assert_true(core__tree_upper_bound(&f->tree, G_MAXUINT64 - 1) == &e[3]);
    g_assert_null(core__tree_upper_bound(&f->tree, G_MAXUINT64));
    g_assert_null(core__tree_next(&e[3]));
    core__tree_erase(&f->tree, &e[2]);
    core__tree_erase(&f->tree, &e[3]);
    check(f);
    g_assert_cmpuint(core__tree_height(&f->tree), ==, 11);
    core__tree_erase(&f->tree, &e[4]);
    check(f);
    g_assert_cmpuint(core__tree_height(&f->tree), ==, 2);
    g_assert_null(core__tree_upper_bound(&f->tree, 1000));
    core__tree_erase(&f->tree, &e[1]);
    g_assert_cmpuint(core__tree_height(&f->tree), ==, 1);
    core__tree_erase(&f->tree, &e[0]);
    g_assert_cmpuint(core__tree_height(&f->tree), ==, 0);
    g_assert_cmpuint(f->tree.nodes, ==, 0);
    check(f);
    g_ptr_array_set_size(f->ref, 0);
}

static void check_detects_corruption(Fixture *f, gconstpointer data) {
    for (guint i = 0; i < 40; i++)
        insert_at(f, i); /* keys 2..80: two levels */
    check(f);
    CoreTreeNode *leaf = core__tree_entry_leaf(&f->entries[0]);
    f->entries[0].at ^= 1; /* Key 2's entry says digit 3. */
    g_assert_false(core__tree_check(&f->tree, f->why));
    g_assert_cmpstr(f->why->str, ==, "tree: bad entry at key 2");
    f->entries[0].at ^= 1;
    leaf->bitmap ^= 1; /* Slot 0 is empty. */
    g_assert_false(core__tree_check(&f->tree, NULL));
    leaf->bitmap ^= 1;
    leaf->offset = 1;
    g_assert_false(core__tree_check(&f->tree, NULL));
    leaf->offset = 0;
    guintptr at1 = f->entries[1].at;
    f->entries[1].at = (guintptr)core__tree_entry_leaf(&f->entries[39]) | (at1 & 63);
    g_assert_false(core__tree_check(&f->tree, NULL));
    f->entries[1].at = at1;
    f->tree.count++;
    g_assert_false(core__tree_check(&f->tree, NULL));
    f->tree.count--;
    f->tree.nodes++;
    g_assert_false(core__tree_check(&f->tree, NULL));
    f->tree.nodes--;
    leaf->prefix++;
    g_assert_false(core__tree_check(&f->tree, f->why));
    g_assert_cmpstr(f->why->str, ==, "tree: bad entry at key 2tree: bad node prefix at key 0");
    leaf->prefix--;
    g_string_truncate(f->why, 0);
    f->tree.stale = leaf; /* A stale leaf must be empty, */
    g_assert_false(core__tree_check(&f->tree, f->why));
    g_assert_cmpstr(f->why->str, ==, "tree: bad stale leaf at key 0");
    f->tree.stale = f->tree.root; /* a leaf, */
    g_assert_false(core__tree_check(&f->tree, NULL));
    f->tree.stale = f->tree.free_nodes; /* and in the tree. */
    g_assert_nonnull(f->tree.stale);
    g_assert_false(core__tree_check(&f->tree, NULL));
    f->tree.stale = NULL;
    check(f);
}

/* A hint left on a leaf that was freed, and whose node now serves elsewhere
 * (here as the root above another path), is never believed. */
static void stale_hint_ignored(Fixture *f, gconstpointer data) {
    f->keys[0] = 5;
    insert_at(f, 0);
    g_assert_true(core__tree_upper_bound(&f->tree, 3) == &f->entries[0]);
    core__tree_erase(&f->tree, &f->entries[0]);
    g_assert_null(core__tree_upper_bound(&f->tree, 3));
    f->keys[1] = 64 * 1000 + 1; /* three levels: the freed node comes back */
    insert_at(f, 1);
    g_assert_cmpuint(core__tree_height(&f->tree), ==, 3);
    g_assert_true(core__tree_upper_bound(&f->tree, 3) == &f->entries[1]);
    g_assert_true(core__tree_upper_bound(&f->tree, 64 * 1000) == &f->entries[1]);
    g_assert_null(core__tree_upper_bound(&f->tree, 64 * 1000 + 1));
    core__tree_erase(&f->tree, &f->entries[1]);
    check(f);
}

/* Alternating insert and erase at one place (the benchmark's pattern) never
 * allocates after the first round. */
static void insert_erase_same_place(Fixture *f, gconstpointer data) {
    for (guint i = 0; i < N_ENTRIES; i += 2)
        insert_at(f, i);
    gsize capacity = 0;
    for (guint k = 0; k < 5000; k++) {
        CoreTreeEntry *e = &f->entries[1 + 2 * (k % 300)];
        g_assert_true(core__tree_upper_bound(&f->tree, key_of(f, e)) ==
                      &f->entries[e - f->entries + 1]);
        insert_at(f, (guint)(e - f->entries));
        check(f);
        core__tree_erase(&f->tree, e);
        if (k == 300)
            capacity = f->tree.capacity;
    }
    check(f);
    g_assert_cmpuint(f->tree.capacity, ==, capacity);
}

/* Emptying the tree keeps the nodes for the next fill: the same fill again
 * allocates nothing, even with sparse 52-bit keys (a path per entry). */
static void pool_reuses_nodes(Fixture *f, gconstpointer data) {
    g_autoptr(GRand) rand = g_rand_new();
    gsize capacity = 0;
    for (guint round = 0; round < 3; round++) {
        g_rand_set_seed(rand, 7);
        for (guint i = 0; i < N_ENTRIES; i++) {
            f->keys[i] = ((guint64)g_rand_int(rand) << 20) | i;
            insert_at(f, i);
        }
        check(f);
        if (round == 0)
            capacity = f->tree.capacity;
        g_assert_cmpuint(f->tree.capacity, ==, capacity);
        for (guint i = 0; i < N_ENTRIES; i++)
            core__tree_erase(&f->tree, &f->entries[i]);
        g_assert_cmpuint(f->tree.nodes, ==, 0);
        g_assert_null(f->tree.root);
        check(f);
    }
}

#define ADD(path, fn) g_test_add("/core/tree/" path, Fixture, NULL, setup, fn, teardown)

int main(int argc, char **argv) {
    g_test_init(&argc, &argv, NULL);
    ADD("empty", empty_tree);
    ADD("upper-bound-is-strict", upper_bound_is_strict);
    ADD("upper-bound-within-limit", upper_bound_within_limit);
    ADD("find-exact", find_exact);
    ADD("random-against-array", random_against_array);
    ADD("scans-against-array", scans_against_array);
    ADD("empty-nodes-are-parked", empty_nodes_are_parked);
    ADD("parking-replaces-and-shrinks", parking_replaces_and_shrinks);
    ADD("erase-inline-defers-park", erase_inline_defers_park);
    ADD("replace-in-place", replace_in_place);
    ADD("ascending-stays-low", ascending_stays_low);
    ADD("height-grows-and-shrinks", height_grows_and_shrinks);
    ADD("check-detects-corruption", check_detects_corruption);
    ADD("stale-hint-ignored", stale_hint_ignored);
    ADD("insert-erase-same-place", insert_erase_same_place);
    ADD("pool-reuses-nodes", pool_reuses_nodes);
    return g_test_run();
}
