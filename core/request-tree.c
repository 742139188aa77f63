/* core/request-tree.c: a 64-way radix tree over u64 keys with pooled nodes.
 *
 * It backs the PageSource outstanding tree (core/README.md §1), which the
 * simulator must keep fast with a million outstanding requests. A binary
 * search tree doubles its depth from a thousand entries to a million, and out
 * of cache every level is a dependent miss. Here a key is read six bits at a
 * time, most significant first, and a node's 64-bit occupancy bitmap answers
 * "the first child at or after this digit" with one count-trailing-zeros, so
 * the cost of a lookup depends on the size of the largest key (one level per
 * six bits), not on the number of entries. PageSource keys by the end in
 * pages, so a million one-page heads over 8 GiB need 4 levels, a thousand 2.
 *
 * Why a radix tree rather than a wide B+tree: the keys are dense small
 * integers (page numbers), so digits need no comparisons, nodes never split
 * or merge (a subtree covers a fixed key range), and a leaf never moves, so
 * an entry can point at its leaf and erase, replace and next start there.
 *
 * Invariants (checked by core__tree_check, in request-tree-check.c):
 * 1. Bit d of a node's bitmap is set iff slot[d] holds an entry or a live
 *    child; bit d of its cached map iff slot[d] holds a cached child; no slot
 *    is both, and the others are NULL. A live node has an entry under it, a
 *    cached one none (an empty tree has no root; the root is never cached).
 *    A leaf has no cached map.
 * 2. A node at shift s > 0 holds nodes at shift s - 6 in its slots; a node at
 *    shift 0 (a leaf) holds entries. Each child's parent and offset name its
 *    parent and slot; the root's parent is NULL.
 * 3. The entry in slot d of a leaf reached by digits d_h ... d_1 has key
 *    d_h ... d_1 d (base 64) and points back at that leaf and digit (its
 *    key is read from there, core__tree_entry_key). Hence in-order
 *    traversal (slots in ascending order, depth first) visits strictly
 *    increasing keys, and keys are unique.
 * 4. The height is minimal: the root is a leaf or has a child other than
 *    slot 0; a root at shift 60 uses only slots 0-15 (a key has 64 bits).
 * 5. count is the number of entries, nodes the number of nodes reachable from
 *    the root (live or cached), cached the number of cached ones, which are
 *    exactly the nodes of the cache FIFO, and nodes <= capacity.
 * 8. Every cached node under a cached node C was cached before C, so it is
 *    nearer the oldest end of the FIFO: an insert through C revives C first,
 *    and C is cached only once everything under it is empty. Hence the
 *    oldest cached node has no cached child, and evicting it frees one node.
 * 6. Every node on the free list is empty (bitmap 0, so all slots NULL), and
 *    taking one needs no clearing. node_free asserts it; the checker does not
 *    walk the free list, which may be far longer than the tree.
 * 7. A node's prefix is the part of its keys above its digit (key >> (shift +
 *    6)); a free node's is G_MAXUINT64, which no key has. So a hint is the
 *    leaf of key k iff its shift is 0 and its prefix is k >> 6: hints may go
 *    stale, but a stale one is never believed.
 */
#include "core/request-tree.h"

#define DIGIT_MASK ((guint64)CORE_TREE_FANOUT - 1)
#define BLOCK_MIN  4    /* Nodes in the first block; each next block doubles. */
#define BLOCK_MAX  1024 /* Cap on the nodes of a block (576 KiB). */

/* The digit of @key at a node of @shift. */
static inline guint digit(guint64 key, guint shift) { return (guint)((key >> shift) & DIGIT_MASK); }

/* TRUE if a node at @shift can hold @key: no digit of @key lies above it. */
static inline gboolean fits(guint shift, guint64 key) {
    return shift >= CORE_TREE_MAX_SHIFT || (key >> (shift + CORE_TREE_BITS)) == 0;
}

/* The bits of a bitmap strictly above digit @d (none when @d is 63). */
static inline guint64 above(guint d) { return ~(guint64)1 << d; }

/* The lowest set bit of non-zero @bitmap. */
static inline guint lowest(guint64 bitmap) { return (guint)__builtin_ctzll(bitmap); }

static inline CoreTreeNode *child_at(const CoreTreeNode *node, guint d) {
    return (CoreTreeNode *)node->slot[d];
}

static inline CoreTreeEntry *entry_at(const CoreTreeNode *leaf, guint d) {
    return (CoreTreeEntry *)leaf->slot[d];
}

/* The digit of linked @entry in its leaf. */
static inline guint entry_digit(const CoreTreeEntry *entry) {
    return (guint)(entry->at & DIGIT_MASK);
}

/* The key of the entry in slot @d of @leaf. */
static inline guint64 leaf_key(const CoreTreeNode *leaf, guint d) {
    return leaf->prefix << CORE_TREE_BITS | d;
}

/* Makes @entry name slot @d of @leaf. */
static inline void entry_set(CoreTreeEntry *entry, const CoreTreeNode *leaf, guint d) {
    entry->at = (guintptr)leaf | d;
}

G_STATIC_ASSERT(G_ALIGNOF(CoreTreeNode) >= CORE_TREE_FANOUT); /* Room for the digit. */

guint64 core__tree_entry_key(const CoreTreeEntry *entry) {
    return leaf_key(core__tree_entry_leaf(entry), entry_digit(entry));
}

/* Adds a block of empty nodes to the free list: BLOCK_MIN, then as many as
 * are allocated already (doubling), at most BLOCK_MAX. Nodes are listed in
 * address order so that consecutive allocations are adjacent. */
static void refill(CoreTree *tree) {
    gsize n = CLAMP(tree->capacity, BLOCK_MIN, BLOCK_MAX);
    CoreTreeNode *block = g_aligned_alloc0(n, sizeof(CoreTreeNode), G_ALIGNOF(CoreTreeNode));
    if (tree->blocks == NULL)
        tree->blocks = g_ptr_array_new_with_free_func(g_aligned_free);
    g_ptr_array_add(tree->blocks, block);
    for (gsize i = n; i-- > 0;) {
        block[i].prefix = G_MAXUINT64;
        block[i].parent = tree->free_nodes;
        tree->free_nodes = &block[i];
    }
    tree->capacity += n;
}

/* Takes an empty node from the pool and places it in slot @d of @parent
 * (nullable: the caller makes it the root) at @shift. */
static CoreTreeNode *node_new(CoreTree *tree, CoreTreeNode *parent, guint d, guint shift) {
    if (tree->free_nodes == NULL)
        refill(tree);
    CoreTreeNode *node = tree->free_nodes;
    tree->free_nodes = node->parent;
    node->parent = parent;
    node->shift = (guint8)shift;
    node->offset = (guint8)d;
    node->prefix = parent != NULL ? parent->prefix << CORE_TREE_BITS | d : 0;
    if (parent != NULL) {
        parent->slot[d] = node;
        parent->bitmap |= (guint64)1 << d;
    }
    tree->nodes++;
    return node;
}

/* Returns @node, which must be empty, to the pool. */
static void node_free(CoreTree *tree, CoreTreeNode *node) {
    g_assert(node->bitmap == 0 && node->cached == 0);
    node->prefix = G_MAXUINT64;
    node->parent = tree->free_nodes;
    tree->free_nodes = node;
    tree->nodes--;
}

/* Empties slot @d of @node. */
static inline void slot_clear(CoreTreeNode *node, guint d) {
    node->slot[d] = NULL;
    node->bitmap &= ~((guint64)1 << d);
}

/* Appends @node, just cached, at the newest end of the cache FIFO. */
static void fifo_push(CoreTree *tree, CoreTreeNode *node) {
    node->newer = NULL;
    node->older = tree->newest;
    if (tree->newest != NULL)
        tree->newest->newer = node;
    else
        tree->oldest = node;
    tree->newest = node;
    tree->cached++;
}

/* Takes @node out of the cache FIFO. */
static void fifo_remove(CoreTree *tree, CoreTreeNode *node) {
    if (node->older != NULL)
        node->older->newer = node->newer;
    else
        tree->oldest = node->newer;
    if (node->newer != NULL)
        node->newer->older = node->older;
    else
        tree->newest = node->older;
    tree->cached--;
}

/* Frees cached @node and every node cached under it. */
static void drop_cached_children(CoreTree *tree, CoreTreeNode *node);

static void drop_cached(CoreTree *tree, CoreTreeNode *node) {
    drop_cached_children(tree, node);
    fifo_remove(tree, node);
    node_free(tree, node);
}

/* Frees the nodes cached under @node (the slots of its cached map). */
static void drop_cached_children(CoreTree *tree, CoreTreeNode *node) {
    for (guint64 m = node->cached; m != 0; m &= m - 1) {
        guint d = lowest(m);
        drop_cached(tree, node->slot[d]);
        node->slot[d] = NULL;
    }
    node->cached = 0;
}

/* Frees the oldest cached node while more than CORE_TREE_CACHE_MAX are
 * cached; by invariant 8 it has no cached child. */
static void evict(CoreTree *tree) {
    while (tree->cached > CORE_TREE_CACHE_MAX) {
        CoreTreeNode *node = tree->oldest;
        CoreTreeNode *parent = node->parent;
        g_assert(node->cached == 0 && parent != NULL);
        parent->slot[node->offset] = NULL;
        parent->cached &= ~((guint64)1 << node->offset);
        fifo_remove(tree, node);
        node_free(tree, node);
    }
}

/* Makes the cached child in slot @d of @node live again (an entry is about
 * to go under it). */
static inline CoreTreeNode *revive(CoreTree *tree, CoreTreeNode *node, guint d) {
    CoreTreeNode *child = child_at(node, d);
    node->cached &= ~((guint64)1 << d);
    node->bitmap |= (guint64)1 << d;
    fifo_remove(tree, child);
    return child;
}

void core__tree_init(CoreTree *tree) {
    for (guint i = 0; i < CORE_TREE_HINTS; i++)
        tree->hint[i] = NULL;
    tree->root = NULL;
    tree->count = 0;
    tree->nodes = 0;
    tree->capacity = 0;
    tree->free_nodes = NULL;
    tree->blocks = NULL;
    tree->oldest = NULL;
    tree->newest = NULL;
    tree->cached = 0;
}

void core__tree_clear(CoreTree *tree) {
    g_return_if_fail(tree->count == 0 && tree->root == NULL);
    if (tree->blocks != NULL)
        g_ptr_array_unref(tree->blocks);
    core__tree_init(tree);
}

void core__tree_entry_clear(CoreTreeEntry *entry) { entry->at = 0; }

/* Puts a new root above the current one, which becomes its slot 0. */
static void grow(CoreTree *tree) {
    CoreTreeNode *old = tree->root;
    CoreTreeNode *top = node_new(tree, NULL, 0, old->shift + CORE_TREE_BITS);
    top->slot[0] = old;
    top->bitmap = 1;
    old->parent = top;
    old->offset = 0;
    tree->root = top;
}

/* Restores invariant 4 after an erase: while the root is an internal node
 * whose only child is slot 0, that child becomes the root. Leaves never move,
 * so the entries' leaf pointers stay valid. */
static void shrink(CoreTree *tree) {
    CoreTreeNode *root = tree->root;
    while (root->shift > 0 && root->bitmap == 1) {
        CoreTreeNode *child = child_at(root, 0);
        slot_clear(root, 0);
        drop_cached_children(tree, root);
        node_free(tree, root);
        child->parent = NULL;
        root = child;
    }
    tree->root = root;
}

/* The hint slot of the leaf that holds (or would hold) @key. */
static inline CoreTreeNode **hint_slot(const CoreTree *tree, guint64 key) {
    guint64 h = (key >> CORE_TREE_BITS) * G_GUINT64_CONSTANT(0x9E3779B97F4A7C15);
    return (CoreTreeNode **)&tree->hint[h >> (64 - CORE_TREE_HINT_BITS)];
}

/* Puts @entry in slot @d of @leaf, which is @key's, and makes live again the
 * cached nodes on the way up from it. */
static inline void leaf_put(CoreTree *tree, CoreTreeNode *leaf, guint d, CoreTreeEntry *entry) {
    g_assert(!(leaf->bitmap >> d & 1)); /* Keys are unique. */
    leaf->slot[d] = entry;
    leaf->bitmap |= (guint64)1 << d;
    entry_set(entry, leaf, d);
    tree->count++;
    for (CoreTreeNode *node = leaf, *parent = node->parent;
         parent != NULL && (parent->cached >> node->offset & 1);
         node = parent, parent = node->parent)
        revive(tree, parent, node->offset);
}

void core__tree_insert(CoreTree *tree, CoreTreeEntry *entry, const guint64 key) {
    g_assert(entry->at == 0);

    /* A hinted leaf that invariant 7 proves to be @key's, live or cached,
     * takes the entry without a walk down. */
    CoreTreeNode *hinted = *hint_slot(tree, key);
    if (hinted != NULL && hinted->shift == 0 && hinted->prefix == key >> CORE_TREE_BITS) {
        leaf_put(tree, hinted, digit(key, 0), entry);
        return;
    }
    if (tree->root == NULL) {
        /* The first entry: a root just high enough for @key. */
        guint shift = 0;
        while (!fits(shift, key))
            shift += CORE_TREE_BITS;
        tree->root = node_new(tree, NULL, 0, shift);
    }
    while (!fits(tree->root->shift, key))
        grow(tree);
    /* Down along @key's digits, reviving cached nodes and creating the
     * missing ones. */
    CoreTreeNode *node = tree->root;
    for (guint shift = node->shift; shift > 0; shift -= CORE_TREE_BITS) {
        guint d = digit(key, shift);
        if (node->bitmap >> d & 1)
            node = child_at(node, d);
        else if (node->cached >> d & 1)
            node = revive(tree, node, d);
        else
            node = node_new(tree, node, d, shift - CORE_TREE_BITS);
    }
    *hint_slot(tree, key) = node;
    leaf_put(tree, node, digit(key, 0), entry);
}

void core__tree_erase(CoreTree *tree, CoreTreeEntry *entry) {
    CoreTreeNode *node = core__tree_entry_leaf(entry);
    guint d = entry_digit(entry);
    g_assert(node != NULL && entry_at(node, d) == entry);
    slot_clear(node, d);
    entry->at = 0;
    tree->count--;
    /* Cache the nodes left empty, bottom up; the last entry's going frees
     * them all. */
    while (node->bitmap == 0) {
        CoreTreeNode *parent = node->parent;
        if (parent == NULL) {
            drop_cached_children(tree, node);
            node_free(tree, node);
            tree->root = NULL;
            return;
        }
        d = node->offset;
        parent->bitmap &= ~((guint64)1 << d);
        parent->cached |= (guint64)1 << d;
        fifo_push(tree, node);
        node = parent;
    }
    shrink(tree);
    evict(tree);
}

void core__tree_replace(CoreTree *tree, CoreTreeEntry *old, CoreTreeEntry *replacement) {
    CoreTreeNode *leaf = core__tree_entry_leaf(old);
    guint d = entry_digit(old);
    g_assert(tree->root != NULL && leaf != NULL && replacement->at == 0);
    g_assert(entry_at(leaf, d) == old);
    leaf->slot[d] = replacement;
    replacement->at = old->at;
    old->at = 0;
}

/* The leaf of the smallest key under non-empty @node: the lowest set digit at
 * every level. */
static const CoreTreeNode *leftmost_leaf(const CoreTreeNode *node) {
    for (guint shift = node->shift; shift > 0; shift -= CORE_TREE_BITS)
        node = child_at(node, lowest(node->bitmap));
    return node;
}

/* The entry with the smallest key under non-empty @node. */
static CoreTreeEntry *leftmost(const CoreTreeNode *node) {
    node = leftmost_leaf(node);
    return entry_at(node, lowest(node->bitmap));
}

/* The first entry after the whole subtree of @node: up to the nearest
 * ancestor with a child after the path's digit, then its leftmost entry. */
static CoreTreeEntry *after_subtree(const CoreTreeNode *node) {
    for (const CoreTreeNode *p = node->parent; p != NULL; node = p, p = p->parent) {
        guint64 later = p->bitmap & above(node->offset);
        if (later != 0)
            return leftmost(child_at(p, lowest(later)));
    }
    return NULL;
}

/* The smallest key the subtree in slot @d of @node can hold. */
static inline guint64 slot_min_key(const CoreTreeNode *node, guint d) {
    return (node->prefix << CORE_TREE_BITS | d) << node->shift;
}

/* The leftmost entry of the subtree in slot @d of @node if its key is at most
 * @limit; NULL otherwise. The subtree's smallest possible key is checked first,
 * so a subtree wholly above @limit is not entered. */
static CoreTreeEntry *first_within(const CoreTreeNode *node, guint d, guint64 limit) {
    if (slot_min_key(node, d) > limit)
        return NULL;
    if (node->shift == 0)
        return entry_at(node, d);
    const CoreTreeNode *leaf = leftmost_leaf(child_at(node, d));
    guint e = lowest(leaf->bitmap);
    return leaf_key(leaf, e) <= limit ? entry_at(leaf, e) : NULL;
}

/* after_subtree, bounded: NULL as soon as the keys after @node's subtree
 * exceed @limit, which spares the climb when @limit lies inside it. */
static CoreTreeEntry *after_subtree_within(const CoreTreeNode *node, guint64 limit) {
    for (const CoreTreeNode *p = node->parent; p != NULL; node = p, p = p->parent) {
        guint64 last = slot_min_key(p, node->offset) | (((guint64)1 << p->shift) - 1);
        if (last >= limit)
            return NULL;
        guint64 later = p->bitmap & above(node->offset);
        if (later != 0)
            return first_within(p, lowest(later), limit);
    }
    return NULL;
}

/* The hot path of every GetPage and supply. Going down, the child on @key's
 * digit is taken while it exists; where it does not, the next set bit of the
 * same bitmap gives the answer's subtree at once. Only when @key's own
 * subtree holds nothing greater does the search climb
 * (after_subtree_within). The shift is counted down rather than read from
 * each node, so that a level costs one dependent load (the slot), not two.
 * Before all that, a hinted leaf that invariant 7 proves to be @key's own
 * skips the descent: writing the hint through a const tree is sound because
 * the hints are a cache that no other operation reads as content. Where the
 * answer's subtree can only hold keys above @limit, the search stops without
 * going down to it. */
CoreTreeEntry *core__tree_upper_bound_within(const CoreTree *tree, guint64 key, guint64 limit) {
    if (limit <= key)
        return NULL;
    CoreTreeNode **hint = hint_slot(tree, key);
    const CoreTreeNode *node = *hint;
    if (node == NULL || node->shift != 0 || node->prefix != key >> CORE_TREE_BITS) {
        node = tree->root;
        if (node == NULL || !fits(node->shift, key))
            return NULL;
        for (guint shift = node->shift; shift > 0; shift -= CORE_TREE_BITS) {
            guint d = digit(key, shift);
            if (!(node->bitmap >> d & 1)) {
                guint64 later = node->bitmap & above(d);
                return later != 0 ? first_within(node, lowest(later), limit)
                                  : after_subtree_within(node, limit);
            }
            node = child_at(node, d);
        }
        *hint = (CoreTreeNode *)node;
    }
    guint64 later = node->bitmap & above(digit(key, 0));
    if (later != 0)
        return first_within(node, lowest(later), limit);
    /* The first step of after_subtree_within, without the call: the leaf's
     * last possible key already reaches @limit (a GetPage's usual miss). */
    if ((node->prefix << CORE_TREE_BITS | DIGIT_MASK) >= limit)
        return NULL;
    return after_subtree_within(node, limit);
}

/* No ceiling: every key is at most G_MAXUINT64, so the bounded search finds
 * what the unbounded one would. */
CoreTreeEntry *core__tree_upper_bound(const CoreTree *tree, guint64 key) {
    return core__tree_upper_bound_within(tree, key, G_MAXUINT64);
}

CoreTreeEntry *core__tree_first(const CoreTree *tree) {
    return tree->root != NULL ? leftmost(tree->root) : NULL;
}

/* Starts at the entry's own leaf: usually the next entry shares it. */
CoreTreeEntry *core__tree_next(const CoreTreeEntry *entry) {
    const CoreTreeNode *leaf = core__tree_entry_leaf(entry);
    g_assert(leaf != NULL);
    guint64 later = leaf->bitmap & above(entry_digit(entry));
    return later != 0 ? entry_at(leaf, lowest(later)) : after_subtree(leaf);
}

guint core__tree_height(const CoreTree *tree) {
    return tree->root != NULL ? tree->root->shift / CORE_TREE_BITS + 1u : 0;
}
