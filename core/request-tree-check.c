/* core/request-tree-check.c: core__tree_check, the checker of the radix
 * tree's invariants (listed in request-tree.c). Kept apart from the tree's
 * operations, which it only reads.
 *
 * Invariant 8 (the cache FIFO's order) is not checked here: it would cost a
 * walk per cached node; evict() asserts its consequence instead.
 */
#include "core/request-tree.h"

/* What a walk of the tree found, and where a violation goes. */
typedef struct {
    gsize entries; /* Entries reached. */
    gsize nodes;   /* Nodes reached, live or cached. */
    gsize cached;  /* Of those, cached. */
    GString *why;  /* Violation output (nullable). */
} Tally;

/* Appends "tree: @what at key @key" to @why (nullable); returns FALSE. */
static gboolean bad(GString *why, const char *what, guint64 key) {
    if (why != NULL)
        g_string_append_printf(why, "tree: bad %s at key %" G_GUINT64_FORMAT, what, key);
    return FALSE;
}

/* Checks the slots of @node, at @shift with keys starting with @base
 * (invariants 1-3). */
static gboolean check_slots(const CoreTreeNode *node, guint shift, guint64 base, Tally *t);

/* Checks the subtree of @node, live (@live) or cached, whose keys all start
 * with @base (the digits above it), and counts what it holds. */
static gboolean check_node(const CoreTreeNode *node, const CoreTreeNode *parent, guint offset,
                           guint shift, guint64 base, gboolean live, Tally *t) {
    t->nodes++;
    t->cached += !live;
    if (node->parent != parent || node->offset != offset)
        return bad(t->why, "back link of a node", base);
    if (node->shift != shift)
        return bad(t->why, "node level", base);
    if (node->prefix != (shift + CORE_TREE_BITS >= 64 ? 0 : base >> (shift + CORE_TREE_BITS)))
        return bad(t->why, "node prefix", base);
    if (live && node->bitmap == 0)
        return bad(t->why, "empty node", base);
    if (!live && node->bitmap != 0)
        return bad(t->why, "cached node with entries", base);
    if ((node->bitmap & node->cached) != 0 || (shift == 0 && node->cached != 0))
        return bad(t->why, "cached map", base);
    return check_slots(node, shift, base, t);
}

static gboolean check_slots(const CoreTreeNode *node, guint shift, guint64 base, Tally *t) {
    for (guint d = 0; d < CORE_TREE_FANOUT; d++) {
        guint64 key = base + ((guint64)d << shift);
        gboolean set = (node->bitmap >> d & 1) != 0;
        gboolean kept = (node->cached >> d & 1) != 0;
        if ((set || kept) != (node->slot[d] != NULL))
            return bad(t->why, "bitmap", key);
        if (!set && !kept)
            continue;
        if (shift > 0) {
            if (!check_node(node->slot[d], node, d, shift - CORE_TREE_BITS, key, set, t))
                return FALSE;
            continue;
        }
        const CoreTreeEntry *e = node->slot[d];
        if (core__tree_entry_leaf(e) != node || (e->at & (CORE_TREE_FANOUT - 1)) != d)
            return bad(t->why, "entry", key);
        t->entries++;
    }
    return TRUE;
}

/* Checks the cache FIFO against the cached nodes reached (invariant 5): a
 * well-linked list of exactly those, each cached in its parent. */
static gboolean check_fifo(const CoreTree *tree, gsize reached, GString *why) {
    const CoreTreeNode *prev = NULL;
    gsize n = 0;
    for (const CoreTreeNode *c = tree->oldest; c != NULL; prev = c, c = c->newer) {
        if (++n > tree->cached || c->older != prev || c->bitmap != 0 || c->parent == NULL ||
            c->parent->slot[c->offset] != c || !(c->parent->cached >> c->offset & 1))
            return bad(why, "cache FIFO", n);
    }
    if (prev != tree->newest || n != tree->cached || n != reached || n > CORE_TREE_CACHE_MAX)
        return bad(why, "cache count", n);
    return TRUE;
}

gboolean core__tree_check(const CoreTree *tree, GString *why) {
    const CoreTreeNode *root = tree->root;
    Tally t = {0, 0, 0, why};
    if (root != NULL) {
        if (root->shift % CORE_TREE_BITS != 0 || root->shift > CORE_TREE_MAX_SHIFT)
            return bad(why, "root level", 0);
        if (root->shift > 0 && root->bitmap == 1)
            return bad(why, "height (root with only slot 0)", 0);
        if (root->shift == CORE_TREE_MAX_SHIFT && ((root->bitmap | root->cached) >> 16) != 0)
            return bad(why, "root digit", 0);
        if (!check_node(root, NULL, 0, root->shift, 0, TRUE, &t))
            return FALSE;
    }
    if (t.entries != tree->count || t.nodes != tree->nodes || t.nodes > tree->capacity) {
        if (why != NULL)
            g_string_append_printf(why,
                                   "tree: count %" G_GSIZE_FORMAT " and %" G_GSIZE_FORMAT
                                   " nodes but %" G_GSIZE_FORMAT " entries and %" G_GSIZE_FORMAT
                                   " nodes reachable",
                                   tree->count, tree->nodes, t.entries, t.nodes);
        return FALSE;
    }
    return check_fifo(tree, t.cached, why);
}
