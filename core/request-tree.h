/* core/request-tree.h: the intrusive ordered map behind the outstanding tree
 * (internal to core/).
 *
 * PageSource keeps its head requests in an ordered map keyed by the END offset
 * of each request and only ever needs insert, erase, in-place replacement,
 * ordered iteration and upper_bound (SEMANTICS.md §1). This is a red-black
 * tree with parent pointers whose nodes are embedded in the requests, so no
 * operation allocates. Keys must be unique.
 *
 * Complexity: upper_bound and insert are O(log n); insert_before (given the
 * successor) and erase are O(log n) worst case but O(1) amortised, even for
 * alternating inserts and erases at one place (where an AVL tree would
 * rebalance up to the root every time); replace is O(1); next is amortised
 * O(1).
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

typedef struct _CoreTreeNode CoreTreeNode;

struct _CoreTreeNode {
    CoreTreeNode *child[2]; /* Subtrees of smaller [0] and larger [1] keys. */
    guint64 child_key[2];   /* Copies of the children's keys (0 if none). */
    CoreTreeNode *parent;   /* NULL at the root. */
    guint64 key;            /* Set by the owner before insertion; fixed while linked. */
    guint32 red;            /* Colour: TRUE red, FALSE black. */
    guint32 linked;         /* TRUE iff in a tree. */
};

typedef struct {
    CoreTreeNode *root; /* NULL when empty. */
    guint64 root_key;   /* Copy of the root's key (0 if empty). */
    gsize count;        /* Number of nodes. */
} CoreTree;

/* Makes @tree empty. */
void core__tree_init(CoreTree *tree);

/* Marks @node as being in no tree. */
void core__tree_node_clear(CoreTreeNode *node);

/* Returns TRUE if @node is in a tree. */
static inline gboolean core__tree_node_is_linked(const CoreTreeNode *node) { return node->linked; }

/* Inserts @node, whose key is set and not present in @tree. */
void core__tree_insert(CoreTree *tree, CoreTreeNode *node);

/* Inserts @node just before @succ (nullable: at the end) without searching:
 * @succ must be the node with the smallest key greater than @node's key, as
 * an earlier upper_bound returned it. */
void core__tree_insert_before(CoreTree *tree, CoreTreeNode *node, CoreTreeNode *succ);

/* Removes @node from @tree and clears it. Other nodes keep their identity. */
void core__tree_erase(CoreTree *tree, CoreTreeNode *node);

/* Puts @replacement (not linked) where @old is, with @old's key, and clears
 * @old. O(1). */
void core__tree_replace(CoreTree *tree, CoreTreeNode *old, CoreTreeNode *replacement);

/* Returns the node with the smallest key strictly greater than @key.
 * Returns NULL if there is none. */
CoreTreeNode *core__tree_upper_bound(const CoreTree *tree, guint64 key);

/* Returns the node with the smallest key.
 * Returns NULL if @tree is empty. */
CoreTreeNode *core__tree_first(const CoreTree *tree);

/* Returns the in-order successor of @node.
 * Returns NULL after the last node. */
CoreTreeNode *core__tree_next(const CoreTreeNode *node);

/* Checks order, parent links, the red-black colouring and the count.
 * O(n), recursion depth O(log n), no allocation unless a violation is found.
 * Returns TRUE if the tree is well formed.
 * Returns FALSE and appends a description to @why (nullable) otherwise. */
gboolean core__tree_check(const CoreTree *tree, GString *why);

G_END_DECLS
