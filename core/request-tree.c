/* core/request-tree.c: an intrusive red-black tree with parent pointers.
 *
 * It backs the PageSource outstanding tree (SEMANTICS.md §1), which the
 * simulator must keep fast with a million outstanding requests. A red-black
 * tree keeps the depth below 2 log2(n + 1) and, unlike an AVL tree, needs only
 * O(1) amortised rebalancing for any mix of inserts and erases (Zircon uses a
 * WAVL tree for the same reason). Descents are written without data-dependent
 * branches (the child is picked by index), because comparisons along a search
 * path are unpredictable, and every node keeps a copy of its children's keys,
 * so that a level of a descent costs one dependent load instead of two.
 *
 * Invariants (checked by core__tree_check):
 * 1. In-order traversal visits strictly increasing keys.
 * 2. Every child's parent pointer names its parent; the root's is NULL.
 * 3. The root is black; a red node has no red child.
 * 4. Every path from a node down to a missing child passes the same number of
 *    black nodes.
 * 5. count equals the number of nodes reachable from the root; exactly those
 *    nodes are marked linked.
 * 6. child_key[d] equals child[d]->key (0 without a child), and root_key the
 *    root's key; every link change goes through set_child or set_root.
 */
#include "core/request-tree.h"

static inline gboolean is_red(const CoreTreeNode *node) { return node != NULL && node->red; }

static inline void set_child(CoreTreeNode *parent, int dir, CoreTreeNode *child) {
    parent->child[dir] = child;
    parent->child_key[dir] = child != NULL ? child->key : 0;
}

static inline void set_root(CoreTree *tree, CoreTreeNode *root) {
    tree->root = root;
    tree->root_key = root != NULL ? root->key : 0;
}

/* Makes @parent (or the root, when @parent is NULL) point at @to instead of
 * @from. */
static void replace_child(CoreTree *tree, CoreTreeNode *parent, CoreTreeNode *from,
                          CoreTreeNode *to) {
    if (parent == NULL)
        set_root(tree, to);
    else
        set_child(parent, parent->child[1] == from, to);
}

/* Rotates at @x: its child on side 1 - @dir comes up, @x goes down on side
 * @dir (dir 0: a left rotation). */
static void rotate(CoreTree *tree, CoreTreeNode *x, int dir) {
    CoreTreeNode *y = x->child[1 - dir];
    set_child(x, 1 - dir, y->child[dir]);
    if (y->child[dir] != NULL)
        y->child[dir]->parent = x;
    y->parent = x->parent;
    replace_child(tree, x->parent, x, y);
    set_child(y, dir, x);
    x->parent = y;
}

/* The last node reached from @node by always taking child @dir (0: the
 * minimum of the subtree, 1: its maximum). */
static CoreTreeNode *extreme(CoreTreeNode *node, int dir) {
    while (node->child[dir] != NULL)
        node = node->child[dir];
    return node;
}

/* Restores invariant 3 after red node @z was linked as a leaf. A red uncle
 * lets the colours move up a level (recolouring only, the common case); a
 * black uncle ends the loop with at most two rotations. */
static void insert_fixup(CoreTree *tree, CoreTreeNode *z) {
    while (is_red(z->parent)) {
        CoreTreeNode *p = z->parent;
        CoreTreeNode *g = p->parent;
        int side = g->child[1] == p;
        CoreTreeNode *uncle = g->child[1 - side];
        if (is_red(uncle)) {
            p->red = FALSE;
            uncle->red = FALSE;
            g->red = TRUE;
            z = g;
            continue;
        }
        if (z == p->child[1 - side]) {
            z = p;
            rotate(tree, z, side);
            p = z->parent;
        }
        p->red = FALSE;
        g->red = TRUE;
        rotate(tree, g, 1 - side);
    }
    tree->root->red = FALSE;
}

/* Links @node as a red leaf under @parent on side @dir (or as the root) and
 * rebalances. */
static void link_leaf(CoreTree *tree, CoreTreeNode *node, CoreTreeNode *parent, int dir) {
    g_assert(!node->linked);
    set_child(node, 0, NULL);
    set_child(node, 1, NULL);
    node->parent = parent;
    node->red = TRUE;
    node->linked = TRUE;
    if (parent == NULL)
        set_root(tree, node);
    else
        set_child(parent, dir, node);
    tree->count++;
    insert_fixup(tree, node);
}

void core__tree_init(CoreTree *tree) {
    set_root(tree, NULL);
    tree->count = 0;
}

void core__tree_node_clear(CoreTreeNode *node) {
    set_child(node, 0, NULL);
    set_child(node, 1, NULL);
    node->parent = NULL;
    node->red = FALSE;
    node->linked = FALSE;
}

void core__tree_insert(CoreTree *tree, CoreTreeNode *node) {
    CoreTreeNode *parent = NULL;
    CoreTreeNode *at = tree->root;
    int dir = 0;
    while (at != NULL) {
        g_assert(node->key != at->key);
        parent = at;
        dir = node->key > at->key;
        at = at->child[dir];
    }
    link_leaf(tree, node, parent, dir);
}

/* The new node goes either to the left of its successor or to the right of
 * its predecessor, whichever slot is free; no comparison is needed. */
void core__tree_insert_before(CoreTree *tree, CoreTreeNode *node, CoreTreeNode *succ) {
    g_assert(succ == NULL || (succ->linked && node->key < succ->key));
    if (tree->root == NULL) {
        link_leaf(tree, node, NULL, 0);
    } else if (succ == NULL) {
        CoreTreeNode *last = extreme(tree->root, 1);
        g_assert(last->key < node->key);
        link_leaf(tree, node, last, 1);
    } else if (succ->child[0] == NULL) {
        link_leaf(tree, node, succ, 0);
    } else {
        CoreTreeNode *pred = extreme(succ->child[0], 1);
        g_assert(pred->key < node->key);
        link_leaf(tree, node, pred, 1);
    }
}

/* Restores invariant 4 after a black node was removed above @x (nullable),
 * whose parent is @xp: the side of @x is one black short. A red sibling is
 * first rotated up so the sibling is black; a sibling with two black children
 * turns red and the shortage moves up; otherwise one or two rotations borrow
 * a black node from the sibling's side and end the loop. @x may be NULL, so
 * its side is found from @xp (the sibling cannot be NULL: it carries at least
 * one black node). */
static void erase_fixup(CoreTree *tree, CoreTreeNode *x, CoreTreeNode *xp) {
    while (x != tree->root && !is_red(x)) {
        int side = xp->child[0] == x ? 0 : 1;
        CoreTreeNode *w = xp->child[1 - side];
        if (is_red(w)) {
            w->red = FALSE;
            xp->red = TRUE;
            rotate(tree, xp, side);
            w = xp->child[1 - side];
        }
        if (!is_red(w->child[0]) && !is_red(w->child[1])) {
            w->red = TRUE;
            x = xp;
            xp = x->parent;
            continue;
        }
        if (!is_red(w->child[1 - side])) {
            w->child[side]->red = FALSE;
            w->red = TRUE;
            rotate(tree, w, 1 - side);
            w = xp->child[1 - side];
        }
        w->red = xp->red;
        xp->red = FALSE;
        w->child[1 - side]->red = FALSE;
        rotate(tree, xp, side);
        x = tree->root;
    }
    if (x != NULL)
        x->red = FALSE;
}

/* Puts @v (nullable) where @u is. */
static void transplant(CoreTree *tree, CoreTreeNode *u, CoreTreeNode *v) {
    replace_child(tree, u->parent, u, v);
    if (v != NULL)
        v->parent = u->parent;
}

/* With two children, the in-order successor is relinked into @z's place
 * rather than copying payloads, so every other node keeps its identity. */
void core__tree_erase(CoreTree *tree, CoreTreeNode *z) {
    CoreTreeNode *x, *xp;
    gboolean removed_red = z->red;
    g_assert(z->linked);
    if (z->child[0] == NULL || z->child[1] == NULL) {
        x = z->child[z->child[0] == NULL];
        xp = z->parent;
        transplant(tree, z, x);
    } else {
        CoreTreeNode *y = extreme(z->child[1], 0);
        removed_red = y->red;
        x = y->child[1];
        if (y->parent == z) {
            xp = y;
        } else {
            xp = y->parent;
            transplant(tree, y, x);
            set_child(y, 1, z->child[1]);
            y->child[1]->parent = y;
        }
        transplant(tree, z, y);
        set_child(y, 0, z->child[0]);
        y->child[0]->parent = y;
        y->red = z->red;
    }
    if (!removed_red)
        erase_fixup(tree, x, xp);
    tree->count--;
    core__tree_node_clear(z);
}

void core__tree_replace(CoreTree *tree, CoreTreeNode *old, CoreTreeNode *replacement) {
    g_assert(old->linked && !replacement->linked);
    *replacement = *old;
    for (int dir = 0; dir < 2; dir++) {
        if (old->child[dir] != NULL)
            old->child[dir]->parent = replacement;
    }
    replace_child(tree, old->parent, old, replacement);
    core__tree_node_clear(old);
}

/* The hot path of every GetPage and supply: the direction is an index, not a
 * branch, and the next key comes from the parent's copy, so each level waits
 * for one load only. */
CoreTreeNode *core__tree_upper_bound(const CoreTree *tree, guint64 key) {
    CoreTreeNode *best = NULL;
    CoreTreeNode *node = tree->root;
    guint64 node_key = tree->root_key;
    while (node != NULL) {
        int dir = node_key <= key;
        best = dir ? best : node;
        node_key = node->child_key[dir];
        node = node->child[dir];
    }
    return best;
}

CoreTreeNode *core__tree_first(const CoreTree *tree) {
    return tree->root != NULL ? extreme(tree->root, 0) : NULL;
}

/* The successor is the minimum of the right subtree, or else the first
 * ancestor reached from its left side. */
CoreTreeNode *core__tree_next(const CoreTreeNode *node) {
    if (node->child[1] != NULL)
        return extreme(node->child[1], 0);
    while (node->parent != NULL && node->parent->child[1] == node)
        node = node->parent;
    return node->parent;
}

/* Checks the subtree at @node whose keys must lie in (lo, hi), each bound
 * ignored when its has_ flag is FALSE. Returns its black height, or -1 after
 * describing a violation. *n counts the nodes. */
static gssize check_subtree(const CoreTreeNode *node, const CoreTreeNode *parent, gboolean has_lo,
                            guint64 lo, gboolean has_hi, guint64 hi, gsize *n, GString *why) {
    const char *what = NULL;
    if (node == NULL)
        return 0;
    (*n)++;
    if (node->parent != parent)
        what = "parent pointer";
    else if ((has_lo && node->key <= lo) || (has_hi && node->key >= hi))
        what = "key order";
    else if (!node->linked)
        what = "linked flag";
    else if (node->child_key[0] != (node->child[0] != NULL ? node->child[0]->key : 0) ||
             node->child_key[1] != (node->child[1] != NULL ? node->child[1]->key : 0))
        what = "cached child key";
    else if (node->red && (is_red(node->child[0]) || is_red(node->child[1])))
        what = "red node with a red child";
    gssize l =
        what == NULL ? check_subtree(node->child[0], node, has_lo, lo, TRUE, node->key, n, why) : 0;
    if (l < 0)
        return -1;
    gssize r =
        what == NULL ? check_subtree(node->child[1], node, TRUE, node->key, has_hi, hi, n, why) : 0;
    if (r < 0)
        return -1;
    if (what == NULL && l != r)
        what = "black height";
    if (what != NULL) {
        if (why != NULL)
            g_string_append_printf(why, "tree: bad %s at key %" G_GUINT64_FORMAT, what, node->key);
        return -1;
    }
    return l + (node->red ? 0 : 1);
}

gboolean core__tree_check(const CoreTree *tree, GString *why) {
    gsize n = 0;
    if (tree->root_key != (tree->root != NULL ? tree->root->key : 0)) {
        if (why != NULL)
            g_string_append(why, "tree: cached root key");
        return FALSE;
    }
    if (is_red(tree->root)) {
        if (why != NULL)
            g_string_append(why, "tree: red root");
        return FALSE;
    }
    if (check_subtree(tree->root, NULL, FALSE, 0, FALSE, 0, &n, why) < 0)
        return FALSE;
    if (n != tree->count) {
        if (why != NULL)
            g_string_append_printf(
                why, "tree: count %" G_GSIZE_FORMAT " but %" G_GSIZE_FORMAT " nodes reachable",
                tree->count, n);
        return FALSE;
    }
    return TRUE;
}
