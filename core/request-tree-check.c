/* core/request-tree-check.c: core__tree_check, the checker of the radix
 * tree's invariants (listed in request-tree.c), out of the file of the
 * operations. It reads the nodes only; O(nodes * 64).
 */
#include "core/request-tree.h"

/* Appends "tree: @what at key @key" to @why (nullable); returns FALSE. */
static gboolean bad(GString *why, const char *what, guint64 key) {
    if (why != NULL)
        g_string_append_printf(why, "tree: bad %s at key %" G_GUINT64_FORMAT, what, key);
    return FALSE;
}

/* What the walk counts and where it reports. */
typedef struct {
    const CoreTreeNode *stale; /* The tree's stale leaf (nullable). */
    gboolean saw_stale;        /* It was reached as a leaf in use. */
    gsize entries, nodes;      /* Counted so far. */
    GString *why;              /* Nullable. */
} Walk;

static gboolean check_node(const CoreTreeNode *node, const CoreTreeNode *parent, guint offset,
                           guint shift, guint64 base, gboolean parked, Walk *walk);

/* Checks slot @d of @node (at @shift, keys from @base): a set bit holds a
 * child in use or an entry, the parked digit a parked child, any other slot
 * nothing. */
static gboolean check_slot(const CoreTreeNode *node, guint d, guint shift, guint64 base,
                           Walk *walk) {
    guint64 key = base + ((guint64)d << shift);
    gboolean set = (node->bitmap >> d & 1) != 0;
    gboolean parked = node->parked == d + 1u;
    if ((set || parked) != (node->slot[d] != NULL) || (set && parked))
        return bad(walk->why, "bitmap", key);
    if (!set && !parked)
        return TRUE;
    if (shift > 0)
        return check_node((const CoreTreeNode *)node->slot[d], node, d, shift - CORE_TREE_BITS, key,
                          parked, walk);
    const CoreTreeEntry *e = node->slot[d];
    if (core__tree_entry_leaf(e) != node || (e->at & (CORE_TREE_FANOUT - 1)) != d)
        return bad(walk->why, "entry", key);
    walk->entries++;
    return TRUE;
}

/* Checks invariants 1-3, 8 and 9 for the subtree of @node, whose keys all
 * start with @base (the digits above it), and counts its entries and nodes.
 * A node in use (@parked FALSE) is not empty, but for the stale leaf; a
 * parked one is. */
static gboolean check_node(const CoreTreeNode *node, const CoreTreeNode *parent, guint offset,
                           guint shift, guint64 base, gboolean parked, Walk *walk) {
    GString *why = walk->why;
    walk->nodes++;
    if (node->parent != parent || node->offset != offset)
        return bad(why, "back link of a node", base);
    if (node->shift != shift)
        return bad(why, "node level", base);
    if (node->prefix != (shift + CORE_TREE_BITS >= 64 ? 0 : base >> (shift + CORE_TREE_BITS)))
        return bad(why, "node prefix", base);
    if (node->leaf_prefix != (shift == 0 ? node->prefix : G_MAXUINT64))
        return bad(why, "leaf prefix", base);
    if (node == walk->stale) {
        if (parked || shift != 0 || node->bitmap != 0)
            return bad(why, "stale leaf", base);
        walk->saw_stale = TRUE;
    } else if ((node->bitmap == 0) != parked) {
        return bad(why, parked ? "parked node" : "empty node", base);
    }
    if (node->parked > (shift > 0 ? CORE_TREE_FANOUT : 0))
        return bad(why, "parked digit", base);
    for (guint d = 0; d < CORE_TREE_FANOUT; d++)
        if (!check_slot(node, d, shift, base, walk))
            return FALSE;
    return TRUE;
}

gboolean core__tree_check(const CoreTree *tree, GString *why) {
    const CoreTreeNode *root = tree->root;
    Walk walk = {tree->stale, FALSE, 0, 0, why};
    if (root != NULL) {
        if (root->shift % CORE_TREE_BITS != 0 || root->shift > CORE_TREE_MAX_SHIFT)
            return bad(why, "root level", 0);
        if (root->shift > 0 && root->bitmap == 1)
            return bad(why, "height (root with only slot 0)", 0);
        if (root->shift == CORE_TREE_MAX_SHIFT && (root->bitmap >> 16) != 0)
            return bad(why, "root digit", 0);
        if (!check_node(root, NULL, 0, root->shift, 0, FALSE, &walk))
            return FALSE;
    }
    if (tree->stale != NULL && !walk.saw_stale)
        return bad(why, "stale leaf (not in the tree)", 0);
    gsize entries = walk.entries, nodes = walk.nodes;
    if (entries != tree->count || nodes != tree->nodes || nodes > tree->capacity) {
        if (why != NULL)
            g_string_append_printf(why,
                                   "tree: count %" G_GSIZE_FORMAT " and %" G_GSIZE_FORMAT
                                   " nodes but %" G_GSIZE_FORMAT " entries and %" G_GSIZE_FORMAT
                                   " nodes reachable",
                                   tree->count, tree->nodes, entries, nodes);
        return FALSE;
    }
    return TRUE;
}
