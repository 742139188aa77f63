/* core/list.h: a minimal intrusive doubly-linked list (internal to core/).
 *
 * A list is a circular chain through a sentinel CoreListLink; an element is
 * linked by embedding a CoreListLink in it. The PagerProxy pending queue and
 * the port's FIFO use it, and the overlap lists of page requests use the
 * same links as a ring without sentinel (below): insertion at the tail,
 * removal of any element and moving a whole list are O(1) and never allocate.
 *
 * Conventions: a sentinel of an empty list points to itself; an element link
 * that is in no list has next == prev == NULL. A sentinel must not be moved in
 * memory while it is initialised (the chain points back at it).
 */
#pragma once

#include <glib.h>
#include <stddef.h>

G_BEGIN_DECLS

typedef struct _CoreListLink CoreListLink;

struct _CoreListLink {
    CoreListLink *next; /* Following link, the sentinel after the last element. */
    CoreListLink *prev; /* Preceding link, the sentinel before the first element. */
};

/* Gets the structure of type @type that embeds @link as member @member. */
#define CORE_CONTAINER_OF(link, type, member)                                                      \
    ((type *)(void *)((char *)(link)-offsetof(type, member)))

/* Makes @head an empty list. */
static inline void core__list_init(CoreListLink *head) {
    head->next = head;
    head->prev = head;
}

/* Marks @link as being in no list. */
static inline void core__list_link_clear(CoreListLink *link) {
    link->next = NULL;
    link->prev = NULL;
}

/* Returns TRUE if element @link is in some list. */
static inline gboolean core__list_link_is_linked(const CoreListLink *link) {
    return link->next != NULL;
}

/* Returns TRUE if the list at @head has no element. */
static inline gboolean core__list_is_empty(const CoreListLink *head) { return head->next == head; }

/* Appends @link at the tail of @head. */
static inline void core__list_push_back(CoreListLink *head, CoreListLink *link) {
    link->prev = head->prev;
    link->next = head;
    head->prev->next = link;
    head->prev = link;
}

/* Unlinks @link from whatever list holds it and clears it. */
static inline void core__list_unlink(CoreListLink *link) {
    link->prev->next = link->next;
    link->next->prev = link->prev;
    core__list_link_clear(link);
}

/* Removes and returns the first element of @head.
 * Returns NULL if the list is empty. */
static inline CoreListLink *core__list_pop_front(CoreListLink *head) {
    CoreListLink *first = head->next;
    if (first == head)
        return NULL;
    core__list_unlink(first);
    return first;
}

/* Puts @replacement (not linked) exactly where @old is and clears @old. */
static inline void core__list_replace(CoreListLink *old, CoreListLink *replacement) {
    replacement->next = old->next;
    replacement->prev = old->prev;
    old->prev->next = replacement;
    old->next->prev = replacement;
    core__list_link_clear(old);
}

/* A ring: the same links with no sentinel, reached through a pointer to its
 * first link (NULL when empty); the first link's prev is the last. A head
 * request keeps its waiters so (8 bytes where a sentinel takes 16). An
 * element's link means nothing while it is in no ring. */

/* Appends @link at the tail of the ring whose first link is *@first. */
static inline void core__ring_push_back(CoreListLink **first, CoreListLink *link) {
    CoreListLink *head = *first;
    if (head == NULL) {
        link->next = link;
        link->prev = link;
        *first = link;
        return;
    }
    link->prev = head->prev;
    link->next = head;
    head->prev->next = link;
    head->prev = link;
}

/* Unlinks @link from the ring whose first link is *@first. */
static inline void core__ring_unlink(CoreListLink **first, CoreListLink *link) {
    if (link->next == link) {
        *first = NULL;
        return;
    }
    link->prev->next = link->next;
    link->next->prev = link->prev;
    if (*first == link)
        *first = link->next;
}

/* Removes and returns the first link of the ring at *@first.
 * Returns NULL if the ring is empty. */
static inline CoreListLink *core__ring_pop_front(CoreListLink **first) {
    CoreListLink *link = *first;
    if (link != NULL)
        core__ring_unlink(first, link);
    return link;
}

G_END_DECLS
