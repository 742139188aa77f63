/* tests/core/test-core-tree.c: the intrusive red-black tree behind the outstanding
 * map, against a sorted array, with the structural check after every step.
 */
#include "core/request-tree.h"

typedef struct {
    CoreTree tree;       /* Under test. */
    CoreTreeNode *nodes; /* Node storage, node i has key 2 * i + 2. */
    gboolean *in;        /* Which nodes are in the tree. */
    guint n;             /* Storage size. */
    GString *why;        /* Checker output. */
} Fixture;

static void setup(Fixture *f, gconstpointer data) {
    f->n = 2000;
    f->nodes = g_new0(CoreTreeNode, f->n);
    f->in = g_new0(gboolean, f->n);
    f->why = g_string_new(NULL);
    core__tree_init(&f->tree);
    for (guint i = 0; i < f->n; i++) {
        core__tree_node_clear(&f->nodes[i]);
        f->nodes[i].key = 2 * i + 2;
    }
}

static void teardown(Fixture *f, gconstpointer data) {
    g_free(f->nodes);
    g_free(f->in);
    g_string_free(f->why, TRUE);
}

static void check(Fixture *f) {
    g_string_truncate(f->why, 0);
    core__tree_check(&f->tree, f->why);
    g_assert_cmpstr(f->why->str, ==, "");
}

/* The reference upper_bound: the first stored node with key > @key. */
static CoreTreeNode *ref_upper_bound(Fixture *f, guint64 key) {
    for (guint i = 0; i < f->n; i++) {
        if (f->in[i] && f->nodes[i].key > key)
            return &f->nodes[i];
    }
    return NULL;
}

static gint depth(const CoreTreeNode *n) {
    return n == NULL ? 0 : 1 + MAX(depth(n->child[0]), depth(n->child[1]));
}

static void empty_tree(Fixture *f, gconstpointer data) {
    g_assert_null(core__tree_first(&f->tree));
    g_assert_null(core__tree_upper_bound(&f->tree, 0));
    check(f);
}

static void upper_bound_is_strict(Fixture *f, gconstpointer data) {
    for (guint i = 0; i < 3; i++)
        core__tree_insert(&f->tree, &f->nodes[i]); /* keys 2, 4, 6 */
    g_assert_true(core__tree_upper_bound(&f->tree, 0) == &f->nodes[0]);
    g_assert_true(core__tree_upper_bound(&f->tree, 2) == &f->nodes[1]);
    g_assert_true(core__tree_upper_bound(&f->tree, 5) == &f->nodes[2]);
    g_assert_null(core__tree_upper_bound(&f->tree, 6));
    check(f);
}

static void random_against_array(Fixture *f, gconstpointer data) {
    g_autoptr(GRand) rand = g_rand_new_with_seed(20210601);
    for (guint step = 0; step < 40000; step++) {
        guint i = (guint)g_rand_int_range(rand, 0, (gint32)(step < 20000 ? 300 : f->n));
        if (f->in[i]) {
            core__tree_erase(&f->tree, &f->nodes[i]);
            g_assert_false(core__tree_node_is_linked(&f->nodes[i]));
        } else if (step % 2 == 0) {
            core__tree_insert(&f->tree, &f->nodes[i]);
        } else {
            core__tree_insert_before(&f->tree, &f->nodes[i],
                                     core__tree_upper_bound(&f->tree, f->nodes[i].key));
        }
        f->in[i] = !f->in[i];
        guint64 probe = (guint64)g_rand_int_range(rand, 0, (gint32)(2 * f->n + 4));
        g_assert_true(core__tree_upper_bound(&f->tree, probe) == ref_upper_bound(f, probe));
        if (step % 97 == 0 || step < 2000)
            check(f);
    }
    guint count = 0;
    guint64 last = 0;
    for (CoreTreeNode *n = core__tree_first(&f->tree); n != NULL; n = core__tree_next(n)) {
        g_assert_cmpuint(n->key, >, last);
        last = n->key;
        count++;
    }
    g_assert_cmpuint(count, ==, f->tree.count);
}

static void replace_in_place(Fixture *f, gconstpointer data) {
    for (guint i = 0; i < 7; i++)
        core__tree_insert(&f->tree, &f->nodes[i]);
    CoreTreeNode spare;
    core__tree_node_clear(&spare);
    core__tree_replace(&f->tree, &f->nodes[3], &spare);
    g_assert_cmpuint(spare.key, ==, 8);
    g_assert_false(core__tree_node_is_linked(&f->nodes[3]));
    g_assert_true(core__tree_upper_bound(&f->tree, 7) == &spare);
    check(f);
    core__tree_erase(&f->tree, &spare);
    check(f);
}

/* Ascending inserts (the pattern of sequential faults) stay balanced. */
static void ascending_stays_balanced(Fixture *f, gconstpointer data) {
    for (guint i = 0; i < f->n; i++)
        core__tree_insert(&f->tree, &f->nodes[i]);
    check(f);
    g_assert_cmpint(depth(f->tree.root), <=, 22); /* 2 log2(2001) ~ 21.9 */
    for (guint i = 0; i < f->n; i += 2)
        core__tree_erase(&f->tree, &f->nodes[i]);
    check(f);
    g_assert_cmpuint(f->tree.count, ==, f->n / 2);
}

static void check_detects_corruption(Fixture *f, gconstpointer data) {
    for (guint i = 0; i < 3; i++)
        core__tree_insert(&f->tree, &f->nodes[i]);
    f->nodes[0].key = 100;
    g_assert_false(core__tree_check(&f->tree, f->why));
    g_assert_cmpstr(f->why->str, ==, "tree: bad cached child key at key 4");
    f->nodes[0].key = 2;
    f->tree.count = 5;
    g_assert_false(core__tree_check(&f->tree, NULL));
    f->tree.count = 3;
    f->tree.root->red = TRUE;
    g_assert_false(core__tree_check(&f->tree, NULL));
    f->tree.root->red = FALSE;
    f->nodes[0].red = !f->nodes[0].red;
    g_assert_false(core__tree_check(&f->tree, NULL));
    f->nodes[0].red = !f->nodes[0].red;
    check(f);
}

/* Alternating insert and erase at one place (the benchmark's pattern). */
static void insert_erase_same_place(Fixture *f, gconstpointer data) {
    for (guint i = 0; i < f->n; i += 2)
        core__tree_insert(&f->tree, &f->nodes[i]);
    for (guint k = 0; k < 5000; k++) {
        CoreTreeNode *node = &f->nodes[1 + 2 * (k % 300)];
        core__tree_insert_before(&f->tree, node, core__tree_upper_bound(&f->tree, node->key));
        check(f);
        core__tree_erase(&f->tree, node);
    }
    check(f);
}

#define ADD(path, fn) g_test_add("/core/tree/" path, Fixture, NULL, setup, fn, teardown)

int main(int argc, char **argv) {
    g_test_init(&argc, &argv, NULL);
    ADD("empty", empty_tree);
    ADD("upper-bound-is-strict", upper_bound_is_strict);
    ADD("random-against-array", random_against_array);
    ADD("replace-in-place", replace_in_place);
    ADD("ascending-stays-balanced", ascending_stays_balanced);
    ADD("check-detects-corruption", check_detects_corruption);
    ADD("insert-erase-same-place", insert_erase_same_place);
    return g_test_run();
}
